// SPDX-License-Identifier: MIT
// The run's page (OUT/index.html, cli/page/versions.js) in Debian's headless chromium through
// playwright-core.
//
//   node versions.js PAGE WORKDIR N-MIXES [SCREENSHOT]
//
// Checked: one set of entries per mix, every element loads; equal loudness starts off and no
// entry is trimmed (each mix plays as rendered), ticking it trims to the quietest; while
// playing, switching the mix (click on a version, v, shift+v) keeps the headphone selected and
// the one compared, the position within 10 ms (read in the same task before and after the
// switch), the sound moves to that headphone's element of the other mix, and every element
// (all mixes) plays within 10 ms of the audible one; switching the headphone keeps the mix;
// no request but the page's own audio files. A screenshot goes to SCREENSHOT (default
// WORKDIR/page-versions.png). Exits 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const { launchChromium } = require('./browser');

const [pageArg, workArg, nArg, shotArg] = process.argv.slice(2);
if (!pageArg || !workArg || !nArg) {
  console.error('usage: node versions.js PAGE WORKDIR N-MIXES [SCREENSHOT]');
  process.exit(2);
}
const pagePath = path.resolve(pageArg);
const workDir = path.resolve(workArg);
const nMixes = Number(nArg);
const shotPath = path.resolve(shotArg || path.join(workDir, 'page-versions.png'));

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} versions: ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures++;
  return ok;
}

// The sound as the elements say it: the audible one(s), every element's time and state.
function state(page) {
  return page.evaluate(() => {
    const s = window.cansim;
    const m = s.entries[s.sounding];
    return {
      mix: s.mix, bodyMix: document.body.dataset.mix,
      sounding: m.id, soundingMix: m.mix, selected: s.entries[s.selected].id,
      selectedMix: s.entries[s.selected].mix,
      compare: s.compare >= 0 ? s.entries[s.compare].id : null,
      compareMix: s.compare >= 0 ? s.entries[s.compare].mix : null,
      position: m.el.currentTime,
      audible: s.entries.filter((e) => e.el && e.el.volume > 1e-3).map((e) => ({ id: e.id, mix: e.mix, volume: e.el.volume, paused: e.el.paused, src: e.el.src })),
      times: s.entries.filter((e) => e.el).map((e) => ({ id: e.id, mix: e.mix, t: e.el.currentTime, paused: e.el.paused })),
      shownMix: [...document.querySelectorAll('#list .entry')].filter((b) => b.offsetParent !== null).map((b) => window.cansim.entries[Number(b.dataset.index)].mix),
      headers: [...document.querySelectorAll('#list h3')].filter((h) => h.offsetParent !== null).map((h) => h.textContent).join(),
      allHeaders: document.querySelectorAll('#list h3').length,
      pressed: [...document.querySelectorAll('#list .entry[aria-pressed="true"]')].map((b) => b.dataset.profile),
      trace: document.getElementById('trace-a').getAttribute('data-profile'),
      traceB: document.getElementById('trace-b').getAttribute('data-profile'),
    };
  });
}

async function inStep(page, what) {
  const ok = await page.waitForFunction(() => {
    const s = window.cansim;
    const m = s.entries[s.sounding].el;
    return !s.starting && s.pending < 0 && s.entries.every((e) => !e.el || !e.playable ||
      (!e.joining && !e.el.paused && Math.abs(e.el.currentTime - m.currentTime) < 0.005));
  }, null, { timeout: 10000, polling: 20 }).then(() => true, () => false);
  check(ok, `${what}: every element of every mix runs in step with the audible one`);
}

// Switches the mix by `how` in one task and reads the position just before and just after it
// there (no time passes inside a task): the position must not move by 10 ms or more.
async function switchMix(page, how, to) {
  const before = await state(page);
  const r = await page.evaluate(([how, to]) => {
    const s = window.cansim;
    const t0 = s.entries[s.sounding].el.currentTime;
    if (how === 'click') document.querySelector(`#versions button.mix[data-mix="${to}"]`).click();
    else document.dispatchEvent(new KeyboardEvent('keydown', { key: how === 'shift+v' ? 'V' : 'v', shiftKey: how === 'shift+v', bubbles: true }));
    const m = s.entries[s.sounding];
    return { t0, t1: m.el.currentTime, mix: m.mix, id: m.id, inStep: s.switches.length };
  }, [how, to]);
  await page.waitForTimeout(250);
  const after = await state(page);
  const sw = await page.evaluate(() => window.cansim.switches[window.cansim.switches.length - 1]);
  check(r.mix === to && after.mix === to && after.bodyMix === String(to), `${how}: mix ${before.mix} -> ${to}`, `heard mix ${r.mix}, page mix ${after.mix}`);
  check(Math.abs(r.t1 - r.t0) < 0.01, `${how}: the position is kept within 10 ms`, `${(1000 * (r.t1 - r.t0)).toFixed(2)} ms`);
  check(after.selected === before.selected && after.selectedMix === to && after.pressed.join() === before.selected,
    `${how}: the headphone selected stays ${before.selected}`, `${after.selected} of mix ${after.selectedMix}, pressed ${after.pressed.join()}`);
  check(after.compare === before.compare && (after.compare === null || after.compareMix === to),
    `${how}: the compared profile stays ${before.compare}`, `${after.compare}`);
  check(after.audible.length === 1 && after.audible[0].id === before.sounding && after.audible[0].mix === to && !after.audible[0].paused,
    `${how}: only ${before.sounding} of mix ${to} is audible, and it plays`, after.audible.map((a) => `${a.id}@${a.mix}`).join(' '));
  check(sw && sw.in_step, `${how}: the switch went to an element already running in step`, sw && `${sw.ms.toFixed(1)} ms`);
  check(after.shownMix.every((m) => m === to) && after.shownMix.length === after.times.length / nMixes,
    `${how}: the list shows mix ${to}'s entries only`, `${after.shownMix.length} shown`);
  check(after.headers.split(',').length === after.allHeaders / nMixes && after.headers.startsWith('Original,'),
    `${how}: the list shows one mix's group titles`, after.headers);
  const spread = Math.max(...after.times.map((e) => Math.abs(e.t - after.position)));
  check(after.times.every((e) => !e.paused) && spread < 0.01, `${how}: every element (${after.times.length}) plays within 10 ms of the audible one`,
    `largest offset ${(spread * 1000).toFixed(1)} ms`);
  // The map is the heard mix's: its cells are that input's report.json band changes.
  const rel = await page.evaluate((m) => JSON.parse(document.getElementById('cansim-data').textContent).mixes[m].relative_path, to);
  const rep = JSON.parse(fs.readFileSync(path.join(path.dirname(pagePath), rel, 'report.json'), 'utf8'));
  const cells = await page.$$eval('#map td[data-band]:not(.spread)', (tds) => tds.map((td) => [td.dataset.profile, td.dataset.band, td.dataset.db]));
  const want = rep.outputs.flatMap((o) => Object.entries(o.translation.band_db).map(([b, v]) => [o.profile, b, v === null ? undefined : String(v)]));
  const key = (c) => c.join('|');
  check(cells.length === want.length && want.every((w) => cells.some((c) => key(c) === key(w))),
    `${how}: the map holds ${rel}'s report`, `${cells.length} cells`);
  return after;
}

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  const profileDir = fs.mkdtempSync(path.join(workDir, 'chromium-profile-'));
  const context = await launchChromium(profileDir, { viewport: { width: 1280, height: 900 } });
  const errors = [];
  const requests = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(pagePath).href);
    await page.waitForFunction(() => window.cansim && window.cansim.entries.length > 0 &&
      window.cansim.entries.every((e) => e.playable !== null), null, { timeout: 30000 });
    const info = await page.evaluate(() => {
      const s = window.cansim;
      return {
        n: s.entries.length, mixes: [...new Set(s.entries.map((e) => e.mix))],
        playable: s.entries.every((e) => e.playable), equal: document.getElementById('equal').checked,
        trims: s.entries.map((e) => e.trimDb), versions: document.querySelectorAll('#versions button.mix').length,
        lufs: s.entries.filter((e) => !e.profile).map((e) => e.loudness),
        perMix: s.entries.filter((e) => e.mix === 0).map((e) => e.id).join(),
        same: [...new Set(s.entries.map((e) => e.mix))].every((m) => s.entries.filter((e) => e.mix === m).map((e) => e.id).join() === s.entries.filter((e) => e.mix === 0).map((e) => e.id).join()),
        srcs: s.entries.map((e) => e.el && e.el.src),
      };
    });
    check(info.mixes.length === nMixes && info.versions === nMixes && info.same, `${nMixes} mixes, each with the same entries`, info.perMix);
    check(info.playable, `every element of every mix loads (${info.n})`);
    check(!info.equal && info.trims.every((t) => t === 0), 'equal loudness starts off: no entry is trimmed');
    check(Math.abs(info.lufs[0] - info.lufs[1]) > 1, 'the first two mixes differ in loudness (the fixture)', info.lufs.join(' LUFS, ') + ' LUFS');

    await page.click('#play');
    await page.waitForFunction(() => window.cansim.entries[window.cansim.sounding].el.currentTime > 0.1, null, { timeout: 10000 });
    await inStep(page, 'play');
    const hp = await page.evaluate(() => window.cansim.entries.filter((e) => e.mix === 0 && e.profile).map((e) => ({ id: e.id, key: e.key })));
    await page.click(`#list .entry[data-profile="${hp[0].id}"]`);
    await page.click(`#list .entry[data-profile="${hp[1].id}"]`, { modifiers: ['Shift'] });
    await page.waitForTimeout(150);
    const s1 = await switchMix(page, 'click', 1);
    // Each mix as rendered: the audible element's volume is the transport's, untrimmed.
    check(s1.audible[0].volume === 1, 'mix 1 plays as rendered (volume 1, no trim)', String(s1.audible[0].volume));
    await page.keyboard.press(hp[2 % hp.length].key);
    await page.waitForTimeout(250);
    const s2 = await state(page);
    check(s2.sounding === hp[2 % hp.length].id && s2.soundingMix === 1 && s2.mix === 1,
      `key ${hp[2 % hp.length].key}: the headphone switches, the mix stays 1`, `${s2.sounding}@${s2.soundingMix}`);
    await switchMix(page, 'v', nMixes > 2 ? 2 : 0);
    await switchMix(page, 'shift+v', 1);
    // Equal loudness ticked: every entry trimmed to the quietest, so the louder mix turns down.
    await page.click('#equal');
    await page.waitForTimeout(100);
    const eq = await page.evaluate(() => {
      const s = window.cansim;
      const q = Math.min(...s.entries.map((e) => e.loudness).filter((v) => typeof v === 'number'));
      return s.entries.map((e) => ({ trim: e.trimDb, want: typeof e.loudness === 'number' ? q - e.loudness : 0 }));
    });
    check(eq.every((e) => Math.abs(e.trim - e.want) < 1e-9) && eq.some((e) => e.trim < -1),
      'equal loudness ticked: every entry of every mix trimmed to the quietest');
    await page.click('#equal');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shotPath });
    console.log(`     screenshot ${shotPath}`);
    await page.keyboard.press(' ');

    const outDir = path.dirname(pagePath);
    const allowed = new Set([pagePath, ...info.srcs.filter(Boolean).map((u) => fileURLToPath(u))]);
    const stray = requests.filter((u) => !u.startsWith('file://') || !allowed.has(fileURLToPath(u.split('#')[0])));
    check(stray.length === 0, 'no request but the page and its audio files', stray.join(' '));
    const outside = [...allowed].filter((p) => !p.startsWith(outDir + path.sep) && p !== pagePath);
    check(outside.length <= nMixes, 'audio comes from the run\'s folders and the originals only', outside.join(' '));
    check(errors.length === 0, 'no console error or page error', errors.join(' | '));
  } finally {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(failures ? 1 : 0), (e) => { console.error(e); process.exit(1); });
