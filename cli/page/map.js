/* SPDX-License-Identifier: MIT */
/* The translation map (runs after page.js, through window.cansim.api): the report's
 * translation (docs/translation.md) as a profiles x bands heat map of each band's change after
 * level matching, the drawer's spread per band on top, a diverging colour scale with its dB
 * legend. A click on a cell selects that profile and seeks to its strongest moment in that
 * band; the selected profile's moments are listed under the curve, each a seek. On a run's
 * page (versions.js) the map is the mix heard. Without translation figures (level not
 * matched, a report from before them) the map stays hidden. */
(function () {
  'use strict';

  var page = window.cansim;
  var api = page.api;
  var el = api.el;
  var fmtDb = api.fmtDb;
  var $ = function (id) { return document.getElementById(id); };
  var SHORT = {
    sub: 'sub', bass: 'bass', 'low-mid': 'low-mid', mid: 'mid', 'upper-mid': 'up-mid',
    presence: 'pres', brilliance: 'brill', air: 'air'
  };
  var POS = [215, 48, 39];   /* a band raised */
  var NEG = [33, 102, 172];  /* a band lowered */
  var SPREAD = [118, 42, 131];

  function mixData() {
    for (var i = 0; i < page.entries.length; i++) {
      if (page.entries[i].mix === page.mix) return page.entries[i].mixData;
    }
    return null;
  }

  function hz(f) { return f >= 1000 ? f / 1000 + 'k' : String(f); }

  /* The scale's half range: the largest |change| rounded up to 1 dB, 3 to 12 dB. */
  function rangeOf(rows, bands) {
    var m = 0;
    rows.forEach(function (e) {
      bands.forEach(function (b) {
        var v = e.output.translation.band_db[b.band];
        if (typeof v === 'number' && Math.abs(v) > m) m = Math.abs(v);
      });
    });
    return Math.max(3, Math.min(12, Math.ceil(m)));
  }

  function colour(rgb, a) {
    return 'rgba(' + rgb.join(',') + ',' + Math.max(0, Math.min(1, a)).toFixed(3) + ')';
  }
  function cellColour(v, range) {
    return colour(v >= 0 ? POS : NEG, 0.85 * Math.abs(v) / range);
  }

  function seekTo(s) {
    api.seekAll(s);
  }

  function cell(tr, v, range, attrs, title, rgb) {
    /* To 0.1 dB, signed; what rounds to 0 reads 0.0. */
    var text = typeof v !== 'number' ? '\u2013' : Math.abs(v) < 0.05 ? '0.0' : (v > 0 ? '+' : '') + v.toFixed(1);
    var td = el('td', attrs, text);
    if (typeof v === 'number') {
      td.style.backgroundColor = rgb ? colour(rgb, 0.85 * Math.min(1, v / (2 * range))) : cellColour(v, range);
      td.setAttribute('data-db', String(v));
    } else {
      td.className = (td.className ? td.className + ' ' : '') + 'empty';
    }
    td.title = title;
    tr.appendChild(td);
    return td;
  }

  /* One scale of the legend: its bar, its ticks, what it shows. */
  function scale(cls, background, ticks, what) {
    var box = el('div', { 'class': 'scale ' + cls });
    var bar = el('span', { 'class': 'bar' });
    bar.style.background = background;
    var t = el('span', { 'class': 'ticks' });
    ticks.forEach(function (v) { t.appendChild(el('span', {}, v)); });
    box.appendChild(bar);
    box.appendChild(t);
    box.appendChild(el('span', { 'class': 'what' }, what));
    return box;
  }

  function legend(range) {
    var box = el('div', { 'class': 'map-legend' });
    var sign = function (v) { return (v > 0 ? '+' : v < 0 ? '\u2212' : '') + Math.abs(v); };
    box.appendChild(scale('change', 'linear-gradient(to right, ' + colour(NEG, 0.85) + ', ' + colour(NEG, 0) + ' 50%, ' +
      colour(POS, 0) + ' 50%, ' + colour(POS, 0.85) + ')',
      [-range, -range / 2, 0, range / 2].map(sign).concat([sign(range) + ' dB']),
      'each band\u2019s change after level matching (beyond the ends: full colour)'));
    box.appendChild(scale('spread', 'linear-gradient(to right, ' + colour(SPREAD, 0) + ', ' + colour(SPREAD, 0.85) + ')',
      ['0', 2 * range + ' dB'], 'spread (top row: highest minus lowest) and rms'));
    return box;
  }

  function render() {
    var mx = mixData();
    var box = $('map-box');
    var tr0 = mx && mx.translation;
    var rows = page.entries.filter(function (e) {
      return e.mix === page.mix && e.profile && e.output && e.output.translation;
    });
    box.textContent = '';
    if (!tr0 || !tr0.bands || !rows.length) { box.hidden = true; return; }
    box.hidden = false;
    var bands = tr0.bands;
    var range = rangeOf(rows, bands);
    box.appendChild(el('h2', {}, 'Where to listen'));
    var table = el('table', { id: 'map' });
    var head = el('tr', {});
    head.appendChild(el('th', { scope: 'col' }, 'dB'));
    bands.forEach(function (b) {
      head.appendChild(el('th', { scope: 'col', title: b.band + ': ' + hz(b.lo_hz) + '-' + hz(b.hi_hz) + ' Hz' },
        SHORT[b.band] || b.band));
    });
    head.appendChild(el('th', { scope: 'col', title: 'RMS of the band changes: how far the profile moves this mix' }, 'rms'));
    var thead = el('thead', {});
    thead.appendChild(head);
    table.appendChild(thead);
    var tb = el('tbody', {});
    var sr = el('tr', { 'class': 'spread' });
    sr.appendChild(el('th', { scope: 'row', title: 'highest minus lowest across the profiles' }, 'spread'));
    bands.forEach(function (b) {
      var s = tr0.spread && tr0.spread[b.band];
      var v = s ? s.spread_db : null;
      var td = cell(sr, v, range, { 'data-band': b.band, 'class': 'spread' },
        s ? b.band + ': ' + fmtDb(v, 'dB') + ' from ' + s.lowest + ' (' + fmtDb(s.lowest_db, 'dB', true) + ') to ' +
          s.highest + ' (' + fmtDb(s.highest_db, 'dB', true) + ')' : b.band + ': no spread', SPREAD);
      if (s) td.setAttribute('data-profile', s.highest);
    });
    sr.appendChild(el('td', {}, ''));
    tb.appendChild(sr);
    rows.forEach(function (e) {
      var t = e.output.translation;
      var tr = el('tr', { 'data-profile': e.id });
      tr.appendChild(el('th', { scope: 'row', title: e.name }, e.name));
      bands.forEach(function (b) {
        var v = t.band_db[b.band];
        var mo = t.band_moments && t.band_moments[b.band];
        cell(tr, v, range, { 'data-band': b.band, 'data-profile': e.id },
          e.name + ', ' + b.band + ': ' + fmtDb(v, 'dB', true) +
          (mo ? '; strongest at ' + api.fmtTime(mo.start_s) + '-' + api.fmtTime(mo.end_s) + ' (' +
            fmtDb(mo.rise_db, 'dB', true) + ')' : ''));
      });
      cell(tr, t.overall_db, range, { 'class': 'rms' }, e.name + ': RMS ' + fmtDb(t.overall_db, 'dB'), SPREAD);
      tb.appendChild(tr);
    });
    table.appendChild(tb);
    box.appendChild(table);
    box.appendChild(legend(range));
    renderSelected();
  }

  /* The click on a band's cell: that profile, at its strongest moment in that band. */
  function onClick(ev) {
    var td = ev.target.closest ? ev.target.closest('td[data-band]') : null;
    if (!td || !td.getAttribute('data-profile')) return;
    var id = td.getAttribute('data-profile'), band = td.getAttribute('data-band');
    var e = null;
    page.entries.forEach(function (f) { if (f.mix === page.mix && f.id === id) e = f; });
    if (!e) return;
    api.choose(e.index, ev.timeStamp || performance.now());
    var t = e.output && e.output.translation;
    var mo = t && t.band_moments && t.band_moments[band];
    if (mo) seekTo(mo.start_s);
    page.mapClick = { profile: id, band: band, seek_s: mo ? mo.start_s : null };
  }

  /* The selected profile's moments, under the curve. */
  function renderSelected() {
    var ul = $('moments');
    ul.textContent = '';
    var e = page.entries[page.selected];
    [].forEach.call(document.querySelectorAll('#map tr[data-profile]'), function (tr) {
      tr.classList.toggle('selected', !!e && tr.getAttribute('data-profile') === e.id);
    });
    var t = e && e.output && e.output.translation;
    if (!t || !t.moments || !t.moments.length) { ul.hidden = true; return; }
    ul.hidden = false;
    ul.appendChild(el('li', { 'class': 'what' }, 'Listen for:'));
    t.moments.forEach(function (mo) {
      var li = el('li', {});
      var b = el('button', { type: 'button', 'data-start': String(mo.start_s), 'data-band': mo.band,
        title: 'seek to ' + api.fmtTime(mo.start_s) },
        mo.band + ' ' + api.fmtTime(mo.start_s) + '-' + api.fmtTime(mo.end_s) + ' ' + fmtDb(mo.rise_db, 'dB', true));
      li.appendChild(b);
      ul.appendChild(li);
    });
  }

  $('map-box').addEventListener('click', onClick);
  $('moments').addEventListener('click', function (ev) {
    var b = ev.target.closest ? ev.target.closest('button[data-start]') : null;
    if (b) seekTo(Number(b.getAttribute('data-start')));
  });
  new MutationObserver(renderSelected).observe(document.body, { attributes: true, attributeFilter: ['data-selected'] });
  document.addEventListener('cansim:mix', render);
  render();
}());
