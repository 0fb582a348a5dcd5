// SPDX-License-Identifier: MIT
// The translation map (cli/page/map.js) in Debian's headless chromium through playwright-core.
//
//   node map.js PAGE REPORT WORKDIR [SCREENSHOT]
//
// Checked against REPORT (the input's report.json): every cell of every profile and band holds
// the report's band change (data-db exactly, the text to 0.1 dB, "-" and no colour for null),
// the spread row holds the report's spreads, the legend's scale is in dB and spans the largest
// change; a click on a cell selects that profile and seeks to its strongest moment in that band
// (paused: the position is the moment's start; playing: it runs from there); a cell without a
// moment selects without seeking; the moments under the curve are the selected profile's, and
// each seeks. A screenshot of the curve, the moments and the map goes to SCREENSHOT (default WORKDIR/page-map.png).
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { launchChromium } = require('./browser');

const [pageArg, reportArg, workArg, shotArg] = process.argv.slice(2);
if (!pageArg || !reportArg || !workArg) {
  console.error('usage: node map.js PAGE REPORT WORKDIR [SCREENSHOT]');
  process.exit(2);
}
const pagePath = path.resolve(pageArg);
const report = JSON.parse(fs.readFileSync(reportArg, 'utf8'));
const workDir = path.resolve(workArg);
const shotPath = path.resolve(shotArg || path.join(workDir, 'page-map.png'));

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} map: ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures++;
  return ok;
}

const fmt = (v) => (Math.abs(v) < 0.05 ? '0.0' : (v > 0 ? '+' : '') + v.toFixed(1));

function position(page) {
  return page.evaluate(() => {
    const s = window.cansim;
    return { t: s.entries[s.sounding].el.currentTime, selected: s.entries[s.selected].id, sounding: s.entries[s.sounding].id };
  });
}

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  const profileDir = fs.mkdtempSync(path.join(workDir, 'chromium-profile-'));
  const context = await launchChromium(profileDir, { viewport: { width: 1280, height: 1100 } });
  const errors = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    await page.goto(pathToFileURL(pagePath).href);
    await page.waitForFunction(() => window.cansim && window.cansim.entries.length > 0 &&
      window.cansim.entries.every((e) => e.playable !== null), null, { timeout: 20000 });
    check(await page.isVisible('#map'), 'the map is shown');
    const bands = report.translation.bands.map((b) => b.band);
    const cells = await page.$$eval('#map td[data-band]', (tds) => tds.map((td) => ({
      profile: td.getAttribute('data-profile'), band: td.getAttribute('data-band'), spread: td.classList.contains('spread'),
      db: td.getAttribute('data-db'), text: td.textContent, bg: td.style.backgroundColor, empty: td.classList.contains('empty'),
    })));
    const heads = await page.$$eval('#map thead th', (th) => th.map((h) => h.textContent));
    check(heads.length === bands.length + 2, 'one column per band of the report, and rms', heads.join(' '));
    let bad = [], n = 0, nulls = 0;
    for (const o of report.outputs) {
      const t = o.translation;
      if (!t) continue;
      for (const b of bands) {
        const c = cells.filter((x) => !x.spread && x.profile === o.profile && x.band === b);
        const v = t.band_db[b];
        n++;
        if (c.length !== 1) { bad.push(`${o.profile}/${b}: ${c.length} cells`); continue; }
        if (v === null) {
          nulls++;
          if (!c[0].empty || c[0].db !== null || c[0].bg) bad.push(`${o.profile}/${b}: null shown as ${c[0].text}`);
        } else if (Number(c[0].db) !== v || c[0].text !== fmt(v) || !c[0].bg) {
          bad.push(`${o.profile}/${b}: ${c[0].db} '${c[0].text}' vs ${v}`);
        }
      }
    }
    check(n > 0 && bad.length === 0, `every cell (${n}, ${nulls} empty) holds the report's band change`, bad.slice(0, 5).join('; '));
    bad = [];
    for (const b of bands) {
      const s = report.translation.spread[b];
      const c = cells.filter((x) => x.spread && x.band === b);
      if (c.length !== 1 || Number(c[0].db) !== s.spread_db || c[0].profile !== s.highest) bad.push(`${b}: ${c.map((x) => x.db)} vs ${s.spread_db}`);
    }
    const firstRow = await page.$eval('#map tbody tr', (tr) => tr.className);
    check(bad.length === 0 && firstRow === 'spread', 'the spread row, on top, holds the report\'s spreads', bad.join('; '));
    const ticks = await page.$$eval('.map-legend .change .ticks span', (s) => s.map((x) => x.textContent.replace('\u2212', '-')));
    const maxAbs = Math.max(...report.outputs.flatMap((o) => Object.values(o.translation.band_db).filter((v) => v !== null).map(Math.abs)));
    const top = parseFloat(ticks[ticks.length - 1]);
    check(/dB/.test(ticks.join(' ')) && top >= Math.min(12, maxAbs) && parseFloat(ticks[0]) === -top,
      'the legend is a symmetric dB scale spanning the largest change', ticks.join(' '));

    // A click on a cell while paused: that profile, at its strongest moment in the band.
    const targets = [];
    for (const o of report.outputs) {
      for (const b of bands) {
        const m = o.translation.band_moments[b];
        // Moments away from the start, so that a seek there moves (the test goes back to 0 first).
        if (m && m.start_s >= 0.5 && targets.length < 3 && !targets.some((x) => x.profile === o.profile)) targets.push({ profile: o.profile, band: b, start: m.start_s });
      }
    }
    check(targets.length >= 2, 'the report has moments of two profiles or more to click', String(targets.length));
    for (const x of targets) {
      await page.keyboard.press('Home');
      await page.click(`#map td[data-profile="${x.profile}"][data-band="${x.band}"]:not(.spread)`);
      await page.waitForTimeout(150);
      const p = await position(page);
      check(p.selected === x.profile && p.sounding === x.profile && Math.abs(p.t - x.start) < 0.005,
        `click on ${x.profile}/${x.band} selects it and seeks to ${x.start} s`, `${p.selected}, ${p.t.toFixed(3)} s`);
      const moments = await page.$$eval('#moments button', (bs) => bs.map((b) => ({ band: b.dataset.band, start: Number(b.dataset.start) })));
      const want = report.outputs.find((o) => o.profile === x.profile).translation.moments;
      check(moments.length === want.length && moments.every((m, i) => m.band === want[i].band && m.start === want[i].start_s),
        `the moments under the curve are ${x.profile}'s`, moments.map((m) => `${m.band}@${m.start}`).join(' '));
    }
    // A cell without a moment: selects, no seek.
    const none = report.outputs.flatMap((o) => bands.filter((b) => o.translation.band_db[b] !== null && !o.translation.band_moments[b]).map((b) => ({ profile: o.profile, band: b })))[0];
    if (none) {
      const before = await position(page);
      await page.click(`#map td[data-profile="${none.profile}"][data-band="${none.band}"]:not(.spread)`);
      await page.waitForTimeout(150);
      const p = await position(page);
      check(p.selected === none.profile && Math.abs(p.t - before.t) < 0.005, `click on ${none.profile}/${none.band} (no moment) selects without seeking`);
    }
    // A moment's button seeks (one of the first target's, away from the start).
    await page.click(`#list .entry[data-profile="${targets[0].profile}"]`);
    await page.keyboard.press('Home');
    const mb = await page.$$eval('#moments button', (bs) => bs.map((b) => Number(b.dataset.start)).find((t) => t >= 0.5));
    await page.click(`#moments button[data-start="${mb}"]`);
    await page.waitForTimeout(150);
    check(Math.abs((await position(page)).t - mb) < 0.005, `a moment's button seeks to ${mb} s`);
    // Playing: the click's seek restarts everything there.
    await page.click('#play');
    await page.waitForFunction(() => window.cansim.entries[window.cansim.sounding].el.currentTime > 0.1 && !window.cansim.starting, null, { timeout: 10000 });
    const x = targets[targets.length - 1];
    await page.click(`#map td[data-profile="${x.profile}"][data-band="${x.band}"]:not(.spread)`);
    await page.waitForFunction(() => !window.cansim.starting && !window.cansim.entries[window.cansim.sounding].el.paused, null, { timeout: 5000 });
    const p = await position(page);
    check(p.selected === x.profile && p.t >= x.start - 0.005 && p.t < x.start + 1.5, `playing, a click seeks to ${x.start} s and plays on`, `${p.t.toFixed(3)} s`);
    await page.click('#play');
    // At the top of the page, where the transport (sticky) covers nothing, the whole section.
    await page.evaluate(() => window.scrollTo(0, 0));
    const clip = await page.$eval('#detail', (d) => { const r = d.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; });
    await page.screenshot({ path: shotPath, fullPage: true, clip });
    console.log(`     screenshot ${shotPath}`);
    check(errors.length === 0, 'no console error or page error', errors.join(' | '));
  } finally {
    await context.close();
    fs.rmSync(profileDir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(failures ? 1 : 0), (e) => { console.error(e); process.exit(1); });
