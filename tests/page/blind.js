// SPDX-License-Identifier: MIT
// The audition page's blind test (cli/page/blind.js) in Debian's headless chromium through
// playwright-core.
//
//   node blind.js PAGE WORKDIR [SCREENSHOT]
//
// Which label is which is found the way a listener's ears would: play the label, see which
// <audio> element is the audible one and which file it plays. Checked: the round's panel names
// nothing, the visible text names no entry of the set, the rest of the DOM is the same
// whichever label plays, the labels stand in alphabetical order, no file is requested once the
// round runs; two seeds give two orders, the same seed the same; ratings and notes survive a
// reload (same labels); reveal names every label's entry; the JSON download holds the ratings
// (names only after reveal); ABX: X is the entry the trial records, the score counts the right
// answers and the p-value is the binomial one. A screenshot of a round goes to SCREENSHOT
// (default WORKDIR/page-blind.png). Exits 1 on any failure.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { launchChromium } = require('./browser');

const [pageArg, workArg, shotArg] = process.argv.slice(2);
if (!pageArg || !workArg) {
  console.error('usage: node blind.js PAGE WORKDIR [SCREENSHOT]');
  process.exit(2);
}
const pagePath = path.resolve(pageArg);
const workDir = path.resolve(workArg);
const shotPath = path.resolve(shotArg || path.join(workDir, 'page-blind.png'));
const SET = ['reference', 'sennheiser-hd-650', 'sony-mdr-7506', 'speakers', 'room'];
const LABELS = ['A', 'B', 'C', 'D', 'E'];

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} blind: ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures++;
  return ok;
}

// P(at least k of n right by guessing), computed here independently of the page.
function binomialP(k, n) {
  let p = 0;
  const choose = (a, b) => { let c = 1; for (let i = 1; i <= b; i++) c = c * (a - b + i) / i; return c; };
  for (let i = k; i <= n; i++) p += choose(n, i);
  return p / 2 ** n;
}

async function loaded(page) {
  await page.waitForFunction(() => window.cansim && window.cansim.entries.length > 0 &&
    window.cansim.entries.every((e) => e.playable !== null), null, { timeout: 20000 });
}

// The entry whose element is audible, by its element alone, and its volume.
function audible(page) {
  return page.evaluate(() => {
    const loud = [...document.querySelectorAll('#players audio')].filter((a) => a.volume > 1e-3);
    return loud.length === 1 ? { id: loud[0].dataset.profile, src: loud[0].src, volume: loud[0].volume } : { id: `${loud.length} audible`, src: '' };
  });
}

// Presses a key and returns the entry then heard.
async function hear(page, key) {
  await page.keyboard.press(key);
  await page.waitForTimeout(60);
  return audible(page);
}

// The DOM outside the round's panel, with the transport's moving readouts left out.
function domOutside(page) {
  return page.evaluate(() => {
    const body = document.body.cloneNode(true);
    for (const sel of ['#blind', '#switch-time', '#time']) { const n = body.querySelector(sel); if (n) n.textContent = ''; }
    return body.outerHTML;
  });
}

// Every element runs within 5 ms of the clock one.
async function inStep(page, what) {
  const ok = await page.waitForFunction(() => {
    const s = window.cansim;
    const m = s.entries[s.blind ? s.blind.clock : s.sounding].el;
    return !s.starting && s.pending < 0 && s.entries.every((e) => !e.el || !e.playable ||
      (!e.joining && !e.el.paused && Math.abs(e.el.currentTime - m.currentTime) < 0.005));
  }, null, { timeout: 8000, polling: 20 }).then(() => true, () => false);
  if (!ok) check(false, `${what}: every element runs in step`);
}

async function mapping(page) {
  const m = {};
  for (const l of LABELS) m[l] = (await hear(page, l.toLowerCase())).id;
  return m;
}

async function startRound(page, seed, ids) {
  if (await page.$eval('#blind', (b) => b.hidden)) await page.click('#blind-open');
  await page.waitForSelector('#blind-picks');
  await page.$$eval('#blind-picks input', (cbs, want) => { for (const c of cbs) c.checked = want.includes(c.value); }, ids);
  await page.fill('#blind-seed', seed);
  await page.click('#blind-start');
  await page.waitForSelector('#blind-table');
}

async function download(page, click) {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  return JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
}

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  const profileDir = fs.mkdtempSync(path.join(workDir, 'chromium-profile-'));
  const context = await launchChromium(profileDir, { acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const errors = [];
  const requests = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(pagePath).href);
    await loaded(page);
    const entries = await page.evaluate(() => window.cansim.entries.map((e) => ({ id: e.id, name: e.name, file: e.file })));
    const byId = Object.fromEntries(entries.map((e) => [e.id, e]));
    check(SET.every((id) => byId[id]), 'the page has the entries of the set', entries.map((e) => e.id).join(' '));

    // The keys, visible without scrolling; long names wrap and carry a tooltip.
    const keysBottom = await page.$eval('#keys', (k) => k.getBoundingClientRect().bottom);
    check(keysBottom > 0 && keysBottom <= 900, 'the keyboard help is on screen without scrolling', `bottom at ${keysBottom.toFixed(0)} px of 900`);
    const names = await page.$$eval('#list .entry .name', (ns) => ns.map((n) => ({ title: n.title, text: n.textContent, ws: getComputedStyle(n).whiteSpace })));
    check(names.every((n) => n.title === n.text && n.ws !== 'nowrap'), 'every listed name wraps and has its full name as a tooltip',
      names.map((n) => `${n.text}:${n.ws}`).join(' '));

    // The setup: by default the reference and 4 others.
    await page.click('#blind-open');
    await page.waitForSelector('#blind-picks');
    const picked = await page.$$eval('#blind-picks input:checked', (cbs) => cbs.map((c) => c.value));
    check(picked.length === 5 && picked.includes('reference'), 'the default set is the reference and 4 others', picked.join(' '));

    // Round 1, seed 'alpha', once every file has loaded whole (10 s each): a request later
    // would be one the round made.
    await page.waitForFunction(() => window.cansim.entries.every((e) => e.el.buffered.length > 0 &&
      e.el.buffered.end(e.el.buffered.length - 1) >= e.el.duration - 0.01), null, { timeout: 20000 });
    const before = requests.length;
    await page.evaluate(() => {
      window.seeks = [];
      for (const a of document.querySelectorAll('#players audio')) a.addEventListener('seeking', () => window.seeks.push(a.dataset.profile));
    });
    // The renders here are matched to each other: make one 6 dB louder (as the original of a
    // --level -14 run would be), and turn equal loudness off, for the round to turn it on.
    await page.evaluate(() => {
      const e = window.cansim.entries.find((x) => x.id === 'room');
      e.loudness += 6;
    });
    await page.click('#equal');
    await startRound(page, 'alpha', SET);
    const m1 = await mapping(page);
    check(new Set(Object.values(m1)).size === 5 && Object.values(m1).every((id) => SET.includes(id)),
      'each label plays a different entry of the set', JSON.stringify(m1));
    // Loudness-matched: equal loudness is on and locked, and each label's element plays at
    // the trim to the quietest entry's loudness from the page's data (volume slider at 1).
    const equal = await page.$eval('#equal', (c) => ({ checked: c.checked, disabled: c.disabled }));
    check(equal.checked && equal.disabled, 'equal loudness is on and locked during the round', JSON.stringify(equal));
    const lufs = Object.fromEntries(await page.evaluate(() => window.cansim.entries.map((e) => [e.id, e.loudness])));
    const quietest = Math.min(...Object.values(lufs));
    const volumes = [];
    for (const l of LABELS) {
      const h = await hear(page, l.toLowerCase());
      volumes.push([h.id, h.volume, Math.min(1, 10 ** ((quietest - lufs[h.id]) / 20))]);
    }
    check(volumes.every(([, v, want]) => Math.abs(v - want) < 1e-6) && volumes.some(([, v]) => v < 0.6),
      'each label plays at its equal-loudness trim (the louder one 6 dB down)',
      volumes.map(([id, v, want]) => `${id} ${v.toFixed(4)}/${want.toFixed(4)}`).join(' '));
    const panel = await page.$eval('#blind', (b) => b.outerHTML.toLowerCase());
    const giveaways = [];
    for (const id of SET) {
      const e = byId[id];
      for (const s of [e.id, e.name, e.file, path.parse(e.file).name]) if (panel.includes(s.toLowerCase())) giveaways.push(s);
    }
    check(giveaways.length === 0, 'the round\'s panel names no entry, id or file', giveaways.join(' '));
    const visible = (await page.evaluate(() => document.body.innerText)).toLowerCase();
    const shown = SET.map((id) => byId[id].name).filter((n) => visible.includes(n.toLowerCase()));
    check(shown.length === 0, 'the visible page names no entry of the set', shown.join(' '));
    const order = await page.$$eval('#blind-table tr', (rs) => rs.map((r) => r.dataset.label).join(''));
    check(order === LABELS.join(''), 'the labels stand in alphabetical order in the DOM', order);
    const snaps = [];
    const diff = (a, b) => { let i = 0; while (i < a.length && a[i] === b[i]) i++; return `${a.slice(Math.max(0, i - 80), i + 80)} | ${b.slice(Math.max(0, i - 80), i + 80)}`; };
    const seeksPaused = await page.evaluate(() => window.seeks.length);
    for (const l of LABELS) {
      await hear(page, l.toLowerCase());
      snaps.push(await domOutside(page));
    }
    check(snaps.every((s) => s === snaps[0]), 'the DOM outside the panel is the same whichever label plays',
      `${new Set(snaps).size} different${snaps.every((s) => s === snaps[0]) ? '' : `: ${diff(snaps[0], snaps.find((s) => s !== snaps[0]))}`}`);
    const pausedSwitchSeeks = await page.evaluate((n) => window.seeks.slice(n), seeksPaused);
    check(pausedSwitchSeeks.length === 0, 'a label switch while paused seeks no element', pausedSwitchSeeks.join(' '));
    const bodyData = await page.evaluate(() => ({ ...document.body.dataset }));
    check(!bodyData.sounding && !(await page.$('#list .entry.sounding')), 'no entry is marked as the one heard', JSON.stringify(bodyData));

    // Play and switch labels: no element is sought and no file requested by a switch; a seek
    // seeks the elements in the same order whichever label is heard.
    const seeksBefore = await page.evaluate(() => window.seeks.length);
    const reqBefore = requests.length;
    await page.keyboard.press(' ');
    await inStep(page, 'play');
    const seeksPlaying = await page.evaluate(() => window.seeks.length);
    for (const l of ['c', 'a', 'e', 'b']) { await page.keyboard.press(l); await page.waitForTimeout(250); }
    const heardPlaying = await audible(page);
    check(heardPlaying.id === m1.B, 'while playing, a label\'s key plays the same entry as paused', `${heardPlaying.id} vs ${m1.B}`);
    const switchSeeks = await page.evaluate((n) => window.seeks.slice(n), seeksPlaying);
    check(switchSeeks.length === 0, 'a label switch while playing seeks no element', switchSeeks.join(' '));
    const seekOrder = async (key) => {
      await page.keyboard.press(key);
      await inStep(page, `label ${key}`);
      await page.waitForTimeout(1200);
      const n = await page.evaluate(() => window.seeks.length);
      const r = requests.length;
      await page.keyboard.press('Home');
      await page.waitForTimeout(300);
      await inStep(page, `label ${key}, a seek`);
      return {
        seeks: [...new Set(await page.evaluate((k) => window.seeks.slice(k), n))].join(' '),
        requests: requests.slice(r).map((u) => decodeURIComponent(u.split('/').pop())).join(' '),
      };
    };
    const orderB = await seekOrder('b');
    const orderD = await seekOrder('d');
    check(orderB.seeks.split(' ').length === entries.length && orderB.seeks === orderD.seeks,
      'a seek seeks the elements in the same order whichever label is heard',
      `with ${m1.B} heard: ${orderB.seeks}; with ${m1.D}: ${orderD.seeks}`);
    // Chromium reads a file again when it chooses to after a seek (timing): reported, the seeks
    // that cause them are what is asserted above.
    console.log(`     requests after a seek with ${m1.B} heard: ${orderB.requests || 'none'}; with ${m1.D}: ${orderD.requests || 'none'}`);
    await page.keyboard.press(' ');
    const pausedSeeks = await page.evaluate((n) => window.seeks.length - n, seeksBefore);
    console.log(`     ${pausedSeeks} element seeks in the round so far (starts and seeks)`);
    const audio = requests.slice(0, before).filter((u) => /\.(wav|flac)$/i.test(u.split('#')[0])).map((u) => decodeURIComponent(u.split('/').pop()));
    // Once the round runs, the only requests are Chromium's re-reads after the seeks above,
    // of files the page loaded before it.
    const known = new Set(entries.map((e) => e.file));
    const later = requests.slice(before).map((u) => decodeURIComponent(u.split('/').pop()));
    check(later.every((f) => known.has(f)), 'once the round runs, no file is requested that the page had not loaded before', later.join(' '));
    check(audio.join(' ') === entries.map((e) => e.file).join(' '), 'the files load in the page\'s order, whatever the labels', audio.join(' '));
    void reqBefore;
    const keysHelp = await page.$eval('#blind-keys', (k) => k.getBoundingClientRect().bottom);
    check(keysHelp > 0 && keysHelp <= 900, 'the round\'s keys are on screen without scrolling', `bottom at ${keysHelp.toFixed(0)} px`);

    // Ratings by key and by click, notes typed.
    const scores = { A: 5, B: 2, C: 4, D: 1, E: 3 };
    for (const l of LABELS) {
      await page.keyboard.press(l.toLowerCase());
      if (l === 'D') await page.click('#blind-table tr[data-label="D"] .score[data-score="1"]');
      else await page.keyboard.press(String(scores[l]));
    }
    await page.fill('#blind-table input.note[data-label="A"]', 'airy, wide');
    await page.fill('#blind-table input.note[data-label="C"]', 'boomy');
    await page.keyboard.press('Escape');
    await page.keyboard.press('a');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: shotPath });
    console.log(`     screenshot ${shotPath}`);
    const unrevealed = await download(page, () => page.click('#blind-download'));
    const leak = JSON.stringify(unrevealed).toLowerCase();
    check(!SET.some((id) => leak.includes(`"${id}"`)) && unrevealed.revealed === false,
      'the download before reveal holds the ratings but no names', JSON.stringify(unrevealed.entries));

    // A reload: the same round, labels, ratings and notes.
    await page.reload();
    await loaded(page);
    await page.waitForSelector('#blind-table', { timeout: 10000 });
    const kept = await page.$$eval('#blind-table tr', (rs) => rs.map((r) => ({
      label: r.dataset.label,
      score: Number((r.querySelector('.score[aria-pressed="true"]') || { dataset: { score: 0 } }).dataset.score),
      note: r.querySelector('input.note').value,
    })));
    check(kept.every((k) => k.score === scores[k.label]), 'the ratings survive a reload', JSON.stringify(kept));
    check(kept[0].note === 'airy, wide' && kept[2].note === 'boomy' && kept[1].note === '', 'the notes survive a reload');
    const m1again = await mapping(page);
    check(JSON.stringify(m1again) === JSON.stringify(m1), 'after the reload every label plays the same entry', JSON.stringify(m1again));

    // Reveal: every label's name is the entry it played.
    await page.click('#blind-reveal');
    const revealed = await page.$$eval('#blind-table tr', (rs) => rs.map((r) => [r.dataset.label, r.querySelector('td.name').textContent]));
    check(revealed.every(([l, n]) => n === byId[m1[l]].name), 'reveal names every label\'s entry beside its rating',
      revealed.map(([l, n]) => `${l}=${n}`).join(' '));
    const json = await download(page, () => page.click('#blind-download'));
    check(json.seed === 'alpha' && json.revealed === true && json.entries.length === 5 &&
      json.entries.every((e) => e.score === scores[e.label] && e.id === m1[e.label] && e.name === byId[m1[e.label]].name),
      'the JSON download holds every label\'s rating, note and entry', JSON.stringify(json.entries));
    check(json.entries[0].note === 'airy, wide', 'the JSON download holds the notes');

    // Round 2, another seed: another order. Then ABX on its A and C.
    await page.click('#blind-leave');
    await page.waitForFunction(() => !document.body.classList.contains('blind'));
    const named = await page.evaluate(() => document.body.dataset.sounding);
    check(!!named, 'leaving the round brings the named list back', named);
    const eqAfter = await page.$eval('#equal', (c) => ({ checked: c.checked, disabled: c.disabled }));
    check(!eqAfter.checked && !eqAfter.disabled, 'leaving the round gives equal loudness back as it was (off)', JSON.stringify(eqAfter));
    await startRound(page, 'beta', SET);
    const m2 = await mapping(page);
    check(JSON.stringify(m2) !== JSON.stringify(m1), 'two seeds give two orders', `alpha ${JSON.stringify(m1)}, beta ${JSON.stringify(m2)}`);
    await page.click('#blind-abx');
    await page.selectOption('#abx-a', 'A');
    await page.selectOption('#abx-b', 'C');
    await page.fill('#abx-n', '6');
    await page.click('#abx-start');
    await page.waitForSelector('#abx-trial');
    const truth = [];
    for (let k = 0; k < 6; k++) {
      const x = (await hear(page, 'x')).id;
      const a = (await hear(page, 'a')).id;
      const b = (await hear(page, 'b')).id;
      check(a === m2.A && b === m2.C && (x === a || x === b), `ABX trial ${k + 1}: A, B and X play the right entries`,
        `A ${a}, B ${b}, X ${x}`);
      const isA = x === m2.A;
      truth.push(isA ? 'A' : 'B');
      const right = k < 4; // four right, two wrong
      await page.keyboard.press((isA === right) ? '1' : '2');
      await page.waitForTimeout(30);
    }
    const abx = await download(page, () => page.click('#blind-download'));
    const xs = abx.abx ? abx.abx.trials.map((t) => t.x) : [];
    check(xs.join('') === truth.join(''), 'every trial records the X that played', `recorded ${xs.join('')}, heard ${truth.join('')}`);
    check(abx.abx && abx.abx.correct === 4 && abx.abx.answered === 6 &&
      abx.abx.trials.filter((t) => t.correct).length === 4 && abx.abx.trials.every((t, k) => t.correct === (k < 4)),
      'the score counts the right answers', abx.abx && `${abx.abx.correct} of ${abx.abx.answered}`);
    check(abx.abx && Math.abs(abx.abx.p_value - binomialP(4, 6)) < 1e-12, 'the p-value is the one-sided binomial one',
      abx.abx && `${abx.abx.p_value} vs ${binomialP(4, 6)}`);
    const score = await page.textContent('#abx-score');
    check(/^4 of 6 right; p = 0\.344/.test(score), 'the page shows the score and p-value', score);
    // A second ABX keeps the first.
    await page.click('#blind-abx');
    await page.selectOption('#abx-a', 'B');
    await page.selectOption('#abx-b', 'E');
    await page.fill('#abx-n', '2');
    await page.click('#abx-start');
    await page.keyboard.press('1');
    await page.keyboard.press('1');
    const two = await download(page, () => page.click('#blind-download'));
    check(two.abx && two.abx.a === 'B' && two.abx.answered === 2 && Array.isArray(two.abx_earlier) &&
      two.abx_earlier.length === 1 && two.abx_earlier[0].correct === 4 && two.abx_earlier[0].answered === 6,
      'a second ABX keeps the first in the download', JSON.stringify({ abx: two.abx && `${two.abx.a}${two.abx.b} ${two.abx.answered}`, earlier: two.abx_earlier && two.abx_earlier.length }));
    check(errors.length === 0, 'no console error or page error', errors.join(' | '));
  } finally {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

main().then(() => {
  console.log(`blind: ${failures ? `${failures} check(s) failed` : 'all checks passed'}`);
  process.exit(failures ? 1 : 0);
}, (e) => {
  console.error(`FAIL blind: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
