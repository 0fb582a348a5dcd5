// SPDX-License-Identifier: MIT
// The audition page under load, for docs/page.md's figures (not a ctest): loads PAGE in Debian's
// headless chromium, plays, switches profile every 2 s by number key, seeks to the middle, and
// reports switch latencies (median, 95th percentile, max), the time a seek takes to play again,
// timer lateness on the page's main thread, the CPU used and the memory (proportional set size,
// PSS) of every chromium process. A mix shorter than the run goes back to its start near its
// end (not counted as a switch).
//
//   node measure.js PAGE [SECONDS] [versions]
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { launchChromium } = require('./browser');

const pagePath = path.resolve(process.argv[2] || '');
const seconds = Number(process.argv[3] || 60);
// versions: a run's page (OUT/index.html): every other switch is one of the mix (v).
const versions = process.argv[4] === 'versions';

// The browser (its command line names the profile directory) and all its descendants.
function chromiumPids(profileDir) {
  const parent = new Map();
  const roots = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      parent.set(d, fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(profileDir)) roots.push(d);
    } catch (e) { /* gone */ }
  }
  const pids = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parent) if (!pids.has(pid) && pids.has(ppid)) { pids.add(pid); grew = true; }
  }
  return [...pids];
}
function memory(pids) {
  let pss = 0, rss = 0;
  for (const p of pids) {
    try {
      const s = fs.readFileSync(`/proc/${p}/smaps_rollup`, 'utf8');
      pss += Number(/^Pss:\s+(\d+)/m.exec(s)[1]);
      rss += Number(/^Rss:\s+(\d+)/m.exec(s)[1]);
    } catch (e) { /* gone */ }
  }
  return { pssMiB: pss / 1024, rssMiB: rss / 1024 };
}
function cpuTicks(pids) {
  let t = 0;
  for (const p of pids) {
    try {
      const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      t += Number(f[11]) + Number(f[12]);
    } catch (e) { /* gone */ }
  }
  return t;
}

async function main() {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cansim-measure-'));
  const context = await launchChromium(profileDir);
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`console ${m.type()}: ${m.text()}`); });
    const t0 = Date.now();
    await page.goto(pathToFileURL(pagePath).href);
    await page.waitForFunction(() => window.cansim && window.cansim.entries.every((e) => e.playable !== null), null, { timeout: 60000 });
    const n = await page.evaluate(() => window.cansim.entries.length);
    console.log(`loaded ${n} entries in ${Date.now() - t0} ms`);
    const pids = chromiumPids(profileDir);
    console.log(`memory after load: ${JSON.stringify(memory(pids))} over ${pids.length} processes`);
    // Main-thread lateness: a 10 ms timer, how late it fires.
    await page.evaluate(() => {
      window.lateness = [];
      let last = performance.now();
      setInterval(() => { const now = performance.now(); window.lateness.push(now - last - 10); last = now; }, 10);
    });
    await page.click('#play');
    const tPlay = Date.now();
    await page.waitForFunction(() => { const s = window.cansim; const m = s.entries[s.sounding].el;
      return s.entries.every((e) => !e.el || !e.playable || (!e.joining && !e.el.paused && Math.abs(e.el.currentTime - m.currentTime) < 0.005)); },
      null, { timeout: 20000, polling: 10 });
    console.log(`play: every element in step after ${Date.now() - tPlay} ms`);
    const keys = await page.evaluate(() => window.cansim.entries.map((e) => e.key).filter(Boolean));
    const cpu0 = cpuTicks(pids), w0 = Date.now();
    let peak = { pssMiB: 0, rssMiB: 0 };
    const allInStep = () => page.waitForFunction(() => { const s = window.cansim; const m = s.entries[s.sounding].el;
      return !s.starting && s.pending < 0 && s.entries.every((e) => !e.el || !e.playable ||
        (!e.joining && !e.el.paused && Math.abs(e.el.currentTime - m.currentTime) < 0.005)); },
      null, { timeout: 20000, polling: 10 });
    let rewinds = 0;
    for (let i = 0; i < seconds / 2; i++) {
      // A mix shorter than the run: near its end, back to the start (not a switch, not counted),
      // once every element runs in step again.
      const left = await page.evaluate(() => { const m = window.cansim.entries[window.cansim.sounding].el; return m.duration - m.currentTime; });
      if (left < 8) {
        await page.keyboard.press('Home');
        await allInStep();
        rewinds++;
      }
      await page.keyboard.press(versions && i % 2 ? 'v' : keys[(i * 7 + 1) % keys.length]);
      await page.waitForTimeout(2000);
      const m = memory(chromiumPids(profileDir));
      if (m.pssMiB > peak.pssMiB) peak = m;
      if (i === Math.floor(seconds / 4)) {
        // A seek to the middle: how long until the sound runs again, and until every silent
        // element runs in step (within 5 ms) again.
        const r = await page.evaluate(() => new Promise((resolve) => {
          const s = window.cansim;
          const target = s.entries[s.sounding].el.duration / 2;
          const t = performance.now();
          const seek = document.getElementById('seek');
          seek.value = String(target);
          seek.dispatchEvent(new Event('change'));
          let audible = 0;
          const poll = () => {
            const m = s.entries[s.sounding].el;
            if (!audible && !m.paused && m.currentTime > target + 0.005) audible = performance.now() - t;
            const all = audible && s.entries.every((e) => !e.el || !e.playable ||
              (!e.joining && !e.el.paused && Math.abs(e.el.currentTime - m.currentTime) < 0.005));
            if (all) resolve({ audible, all: performance.now() - t });
            else if (performance.now() - t > 10000) resolve({ audible, all: NaN });
            else setTimeout(poll, 2);
          };
          poll();
        }));
        console.log(`seek to the middle: sound again after ${r.audible.toFixed(0)} ms (5 ms of it is the position check), every element in step after ${r.all.toFixed(0)} ms`);
      }
    }
    const ticks = cpuTicks(chromiumPids(profileDir)) - cpu0;
    const wall = (Date.now() - w0) / 1000;
    const hz = 100; // USER_HZ on Linux
    const stats = await page.evaluate(() => {
      const s = window.cansim;
      const m = s.entries[s.sounding].el;
      const offsets = s.entries.filter((e) => e.el && !e.el.paused).map((e) => Math.abs(e.el.currentTime - m.currentTime));
      const late = window.lateness.slice().sort((a, b) => a - b);
      return {
        switches: s.switches.slice(),
        resyncs: s.resyncs,
        maxOffsetMs: 1000 * Math.max(...offsets),
        lateP50: late[Math.floor(late.length / 2)], lateP99: late[Math.floor(late.length * 0.99)], lateMax: late[late.length - 1],
        position: m.currentTime,
      };
    });
    // Every switch counts, in step already or not (one that waited for its element to join is
    // slower, and says so).
    const summary = (list) => {
      const ms = list.map((x) => x.ms).sort((a, b) => a - b);
      const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
      return `${ms.length} (${list.filter((x) => !x.in_step).length} waited for their element), median ${q(0.5).toFixed(1)} ms, ` +
        `95th percentile ${q(0.95).toFixed(1)} ms, max ${ms[ms.length - 1].toFixed(1)} ms`;
    };
    const sws = stats.switches;
    if (!versions) console.log(`switches: ${summary(sws)}`);
    else {
      // A switch of the mix goes from an entry to the entry of the same id in the other mix.
      console.log(`switches of the headphone: ${summary(sws.filter((x) => x.from !== x.to))}`);
      console.log(`switches of the version: ${summary(sws.filter((x) => x.from === x.to))}`);
    }
    if (rewinds) console.log(`back to the start near the mix's end: ${rewinds} times`);
    console.log(`elements' largest offset from the audible one: ${stats.maxOffsetMs.toFixed(1)} ms; re-syncs ${stats.resyncs}`);
    console.log(`10 ms timer lateness: median ${stats.lateP50.toFixed(1)} ms, 99th percentile ${stats.lateP99.toFixed(1)} ms, max ${stats.lateMax.toFixed(1)} ms`);
    console.log(`CPU while playing: ${(100 * ticks / hz / wall).toFixed(0)} % of one core over ${wall.toFixed(0)} s`);
    console.log(`memory: peak PSS ${peak.pssMiB.toFixed(0)} MiB (RSS ${peak.rssMiB.toFixed(0)} MiB) over all chromium processes`);
  } finally {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
