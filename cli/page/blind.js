/* SPDX-License-Identifier: MIT */
/* Blind listening on the audition page (runs after page.js, through window.cansim.api).
 *
 * A round takes a set of entries (by default the flat reference and 4 random profiles) and
 * names them A, B, C... in an order shuffled by a seed. Nothing the listener can see tells
 * the labels apart: every <audio> element was created and loading, in the page's own order,
 * when the page opened, before any round (so neither the file names it loads nor the network
 * panel's order depend on the labels); the list, the plot and the facts are hidden, and
 * page.js marks no entry as the one heard while a round runs; the labels stand in alphabetical
 * order; equal loudness is forced on. Each label gets a 1-5 rating and a note; reveal puts the
 * names beside them; abx.js adds an ABX round on two labels. The round lives in localStorage
 * (per page) and downloads as JSON. */
(function () {
  'use strict';

  var page = window.cansim;
  var api = page.api;
  var el = api.el;
  var $ = function (id) { return document.getElementById(id); };
  var STORE = 'cansim.blind:' + location.pathname;
  var LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  var DEFAULT_PICKS = 4;

  /* The round: null, or {seed, ids (the set, in page order), labels (id per label), ratings
   * {label: {score, note}}, revealed, created, abx (abx.js's, or null), abx_earlier}. Only seed
   * and ids are stored with the ratings: the label order is derived again from them. */
  var round = null;
  var current = '';      /* the label last played */
  var ui = {};
  var storageOk = true;

  /* ------------------------------------------------------------------ seeded order */

  /* FNV-1a of the seed text, then mulberry32: the same seed gives the same order anywhere. */
  function rng(seed) {
    var h = 0x811c9dc5;
    for (var i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return function () {
      h = (h + 0x6d2b79f5) >>> 0;
      var t = h;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function shuffled(list, seed) {
    var r = rng(seed), a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(r() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  function newSeed() {
    var u = new Uint32Array(1);
    window.crypto.getRandomValues(u);
    return String(u[0] % 1000000);
  }

  /* ------------------------------------------------------------------ entries and storage */

  function entryById(id) {
    for (var i = 0; i < page.entries.length; i++) if (page.entries[i].id === id) return page.entries[i];
    return null;
  }
  function entryOf(label) { return entryById(round.labels[LETTERS.indexOf(label)]); }
  function labelsOf() { return LETTERS.slice(0, round.ids.length).split(''); }

  function makeRound(seed, ids, saved) {
    var order = page.entries.filter(function (e) { return ids.indexOf(e.id) >= 0; }).map(function (e) { return e.id; });
    var r = {
      seed: seed, ids: order, labels: shuffled(order, seed), ratings: {}, revealed: false,
      created: new Date().toISOString(), abx: null, abx_earlier: []
    };
    order.forEach(function (id, i) { r.ratings[LETTERS[i]] = { score: 0, note: '' }; });
    if (saved) {
      r.created = saved.created || r.created;
      r.revealed = !!saved.revealed;
      r.abx = saved.abx || null;
      r.abx_earlier = Array.isArray(saved.abx_earlier) ? saved.abx_earlier : [];
      Object.keys(r.ratings).forEach(function (l) {
        var s = saved.ratings && saved.ratings[l];
        if (s) r.ratings[l] = { score: Number(s.score) || 0, note: String(s.note || '') };
      });
    }
    return r;
  }

  function save(active) {
    if (!round) return;
    try {
      localStorage.setItem(STORE, JSON.stringify({
        version: 1, active: active, seed: round.seed, ids: round.ids, ratings: round.ratings,
        revealed: round.revealed, created: round.created, abx: round.abx, abx_earlier: round.abx_earlier,
        equal_before: page.blind ? page.blind.saveEqual : page.equal
      }));
    } catch (err) {
      storageOk = false;
    }
  }

  function load() {
    try {
      var s = JSON.parse(localStorage.getItem(STORE) || 'null');
      if (!s || s.version !== 1 || !Array.isArray(s.ids) || s.ids.length < 2) return null;
      if (!s.ids.every(function (id) { var e = entryById(id); return e && e.playable !== false; })) return null;
      return s;
    } catch (err) {
      storageOk = false;
      return null;
    }
  }

  /* ------------------------------------------------------------------ the results */

  /* What the download holds: names only once revealed. */
  function results() {
    var out = {
      kind: 'cansim blind test', cansim: '', page: document.title, seed: round.seed,
      created: round.created, revealed: round.revealed, entries: []
    };
    var data = JSON.parse($('cansim-data').textContent);
    out.cansim = data.cansim;
    labelsOf().forEach(function (l) {
      var r = round.ratings[l], row = { label: l, score: r.score || null, note: r.note };
      if (round.revealed) {
        var e = entryOf(l);
        row.id = e.id;
        row.name = e.name;
        row.file = e.file;
      }
      out.entries.push(row);
    });
    kit.abx.results(out);
    return out;
  }

  function download() {
    var blob = new Blob([JSON.stringify(results(), null, 2) + '\n'], { type: 'application/json' });
    var a = el('a', { href: URL.createObjectURL(blob), download: 'cansim-blind-' + round.seed + '.json' });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  /* ------------------------------------------------------------------ playing */

  /* Sound a label; `mark` shows it as the one playing (ABX's A, B and X are not marked). */
  function play(label, t0, mark) {
    current = mark === false ? '' : label;
    var e = entryOf(label);
    if (e.index !== page.sounding || page.pending >= 0) api.sound(e.index, t0);
    update();
  }

  function start(seed, ids, saved) {
    round = makeRound(seed, ids, saved);
    current = '';
    /* The clock the others follow: fixed for the round (see master() in page.js). Set while
     * paused, or through a start from where the heard one is. */
    var clock = entryById(round.ids[0]).index;
    var wasPlaying = page.playing;
    if (wasPlaying) api.pause();
    var at = page.entries[page.sounding].el ? page.entries[page.sounding].el.currentTime : 0;
    /* Equal loudness as the listener had it, given back on leaving (kept across a reload). */
    var eq = saved && typeof saved.equal_before === 'boolean' ? saved.equal_before : page.equal;
    page.blind = { saveEqual: eq, clock: clock };
    api.seekAll(at);
    page.equal = true;
    $('equal').checked = true;
    $('equal').disabled = true;
    api.setTrims();
    page.entries.forEach(api.applyVolume);
    /* The longest of the set, whichever is heard. */
    var d = 0;
    round.ids.forEach(function (id) { var e = entryById(id); if (e.el && isFinite(e.el.duration)) d = Math.max(d, e.el.duration); });
    if (d > 0) $('seek').max = String(d);
    document.body.classList.add('blind');
    api.renderList();
    buildRound();
    play('A', performance.now());
    if (wasPlaying) api.play();
    save(true);
  }

  function leave() {
    save(false);
    var eq = page.blind ? page.blind.saveEqual : true;
    var wasPlaying = page.playing;
    if (wasPlaying) api.pause();
    var at = page.entries[page.blind.clock].el.currentTime;
    page.blind = null;
    api.seekAll(at);
    round = null;
    page.equal = eq;
    $('equal').checked = eq;
    $('equal').disabled = false;
    api.setTrims();
    page.entries.forEach(api.applyVolume);
    document.body.classList.remove('blind');
    api.sound(page.selected, performance.now());
    if (wasPlaying) api.play();
    api.renderList();
    api.renderDetail();
    buildSetup();
  }

  /* Every entry of the set must have loaded (or failed) before a round: all were created at
   * once when the page opened, so the loads never follow the labels. */
  function whenLoaded(ids, go) {
    var wait = function () {
      var es = ids.map(entryById);
      if (es.some(function (e) { return e.playable === null; })) { setTimeout(wait, 50); return; }
      var bad = es.filter(function (e) { return !e.playable; });
      if (!bad.length) { go(); return; }
      document.body.classList.remove('blind');
      if (ui.status) ui.status.textContent = 'Cannot start: ' + bad.map(function (e) { return e.name + ' (' + e.problem + ')'; }).join('; ');
    };
    wait();
  }

  /* ------------------------------------------------------------------ the setup view */

  function defaultPicks() {
    var ok = page.entries.filter(function (e) { return e.playable !== false; });
    var first = entryById('reference') || page.entries[0];
    var rest = shuffled(ok.filter(function (e) { return e !== first && e.profile; }).map(function (e) { return e.id; }), newSeed());
    return [first.id].concat(rest.slice(0, DEFAULT_PICKS));
  }

  function button(id, text, title) {
    var b = el('button', { type: 'button', id: id }, text);
    if (title) b.title = title;
    return b;
  }

  function buildSetup() {
    var box = $('blind');
    box.textContent = '';
    box.className = 'setup';
    var head = el('div', { 'class': 'blind-head' });
    head.appendChild(el('h2', {}, 'Blind test'));
    head.appendChild(el('p', { 'class': 'help' }, 'Pick 2-26 entries: they play under the labels A, B, C... in an order ' +
      'shuffled by the seed, at equal loudness. Rate each, then reveal. Everything stays in this browser.'));
    box.appendChild(head);
    var picks = defaultPicks();
    var list = el('div', { id: 'blind-picks', 'class': 'picks' });
    page.entries.forEach(function (e) {
      var lab = el('label', { title: e.name });
      var cb = el('input', { type: 'checkbox', value: e.id });
      cb.checked = picks.indexOf(e.id) >= 0;
      cb.disabled = e.playable === false;
      lab.appendChild(cb);
      lab.appendChild(document.createTextNode(' ' + e.name));
      list.appendChild(lab);
    });
    box.appendChild(list);
    var row = el('p', { 'class': 'row' });
    var seedLab = el('label', {}, 'Seed ');
    ui.seed = el('input', { id: 'blind-seed', type: 'text', size: '10', value: newSeed(), spellcheck: 'false' });
    seedLab.appendChild(ui.seed);
    row.appendChild(seedLab);
    ui.startBtn = button('blind-start', 'Start', 'Hide the names and play the first label');
    row.appendChild(ui.startBtn);
    var saved = load();
    if (saved) row.appendChild(button('blind-resume', 'Resume the last round', 'Its labels, ratings and ABX trials'));
    row.appendChild(button('blind-close', 'Close'));
    ui.status = el('span', { id: 'blind-status', 'class': 'status' });
    if (!storageOk) ui.status.textContent = 'This browser refuses local storage: ratings will not survive a reload.';
    row.appendChild(ui.status);
    box.appendChild(row);
    box.onclick = function (ev) {
      var t = ev.target.closest('button');
      if (!t) return;
      if (t.id === 'blind-close') { box.hidden = true; return; }
      if (t.id === 'blind-resume') { whenLoaded(saved.ids, function () { start(saved.seed, saved.ids, saved); }); return; }
      if (t.id !== 'blind-start') return;
      var ids = [].slice.call(list.querySelectorAll('input:checked')).map(function (c) { return c.value; });
      var seed = ui.seed.value.trim();
      if (ids.length < 2 || ids.length > LETTERS.length) { ui.status.textContent = 'Pick 2 to 26 entries.'; return; }
      if (!seed) { ui.status.textContent = 'Give a seed.'; return; }
      ui.status.textContent = 'Loading...';
      whenLoaded(ids, function () { start(seed, ids, null); });
    };
    box.oninput = null;
  }

  /* ------------------------------------------------------------------ the round view */

  var HELP = '<kbd>a</kbd>-<kbd>z</kbd> play that label &middot; <kbd>1</kbd>-<kbd>5</kbd> rate the one playing ' +
    '&middot; <kbd>space</kbd> play/pause &middot; <kbd>&larr;</kbd> <kbd>&rarr;</kbd> 5 s back/ahead';
  function buildRound() {
    var box = $('blind');
    box.hidden = false;
    box.className = 'round';
    box.textContent = '';
    var head = el('div', { 'class': 'blind-head' });
    head.appendChild(el('h2', {}, 'Blind test'));
    var help = el('p', { id: 'blind-keys', 'class': 'help' });
    help.innerHTML = HELP;
    head.appendChild(help);
    box.appendChild(head);
    var table = el('table', { id: 'blind-table' });
    var tb = el('tbody', {});
    table.appendChild(tb);
    ui.rows = {};
    labelsOf().forEach(function (l) {
      var tr = el('tr', { 'data-label': l });
      var th = el('th', { scope: 'row' });
      var pb = el('button', { type: 'button', 'class': 'label', 'data-label': l, title: 'Play ' + l + ' (key ' + l.toLowerCase() + ')' });
      pb.appendChild(el('kbd', {}, l.toLowerCase()));
      pb.appendChild(document.createTextNode(' ' + l));
      th.appendChild(pb);
      tr.appendChild(th);
      var rate = el('td', { 'class': 'rate' });
      for (var s = 1; s <= 5; s++) {
        rate.appendChild(el('button', { type: 'button', 'class': 'score', 'data-label': l, 'data-score': String(s), title: l + ': ' + s + ' of 5' }, String(s)));
      }
      tr.appendChild(rate);
      var nt = el('td', { 'class': 'note' });
      var input = el('input', { type: 'text', 'class': 'note', 'data-label': l, placeholder: 'note', 'aria-label': l + ': note' });
      input.value = round.ratings[l].note;
      nt.appendChild(input);
      tr.appendChild(nt);
      tr.appendChild(el('td', { 'class': 'name' }, ''));
      tb.appendChild(tr);
      ui.rows[l] = tr;
    });
    box.appendChild(table);
    var row = el('p', { 'class': 'row' });
    row.appendChild(button('blind-reveal', 'Reveal', 'Show the names beside the ratings'));
    row.appendChild(button('blind-abx', 'ABX...', 'Is X A or B? N trials on two labels'));
    row.appendChild(button('blind-download', 'Download JSON'));
    row.appendChild(button('blind-leave', 'Leave', 'Back to the named list; this round stays stored'));
    box.appendChild(row);
    var abxBox = el('div', { id: 'blind-abx-box' });
    box.appendChild(abxBox);
    box.onclick = onRoundClick;
    box.oninput = function (ev) {
      var t = ev.target;
      if (t.classList.contains('note')) { round.ratings[t.dataset.label].note = t.value; save(true); }
    };
    box.onkeydown = function (ev) {
      if (ev.target.tagName === 'INPUT' && (ev.key === 'Enter' || ev.key === 'Escape')) ev.target.blur();
    };
    kit.abx.build(abxBox);
  }

  function onRoundClick(ev) {
    var t = ev.target.closest('button');
    if (!t) return;
    var t0 = ev.timeStamp || performance.now();
    if (t.classList.contains('label')) play(t.dataset.label, t0);
    else if (t.classList.contains('score')) rate(t.dataset.label, Number(t.dataset.score));
    else if (t.id === 'blind-reveal') { round.revealed = true; save(true); update(); }
    else if (t.id === 'blind-download') download();
    else if (t.id === 'blind-leave') leave();
    else kit.abx.click(t, t0);
  }

  function rate(label, score) {
    var r = round.ratings[label];
    r.score = r.score === score ? 0 : score;
    save(true);
    update();
  }

  /* Classes and texts that follow the round; the rows stay (and a note keeps its focus). */
  function update() {
    if (!round) return;
    labelsOf().forEach(function (l) {
      var tr = ui.rows[l];
      tr.classList.toggle('playing', l === current && !kit.abx.running());
      [].forEach.call(tr.querySelectorAll('.score'), function (b) {
        b.setAttribute('aria-pressed', Number(b.dataset.score) === round.ratings[l].score ? 'true' : 'false');
      });
      var name = tr.querySelector('td.name');
      var e = round.revealed ? entryOf(l) : null;
      name.textContent = e ? e.name : '';
      name.title = e ? e.name + ' (' + e.file + ')' : '';
    });
    $('blind').classList.toggle('revealed', round.revealed);
    $('blind-reveal').disabled = round.revealed;
  }

  /* ------------------------------------------------------------------ keys */

  /* While a round runs every key but play/pause and seeking is the round's: no key of the
   * named list may select (and so name) an entry. */
  page.blindKey = function (ev) {
    if (!page.blind) return false;
    var k = ev.key;
    if (k === ' ' || k === 'ArrowLeft' || k === 'ArrowRight' || k === 'Home') return false;
    ev.preventDefault();
    var t0 = ev.timeStamp || performance.now();
    var low = (k || '').toLowerCase();
    if (kit.abx.running()) {
      kit.abx.key(ev, t0);
      return true;
    }
    if (/^[a-z]$/.test(low) && LETTERS.indexOf(low.toUpperCase()) < round.ids.length) play(low.toUpperCase(), t0);
    else if (/^[1-5]$/.test(k) && current) rate(current, Number(k));
    return true;
  };

  $('blind-open').addEventListener('click', function () {
    if (page.blind) return;
    var box = $('blind');
    if (box.hidden) { buildSetup(); box.hidden = false; } else box.hidden = true;
  });

  /* For abx.js, which runs after this script. */
  var kit = page.blindKit = {
    rng: rng, el: el, button: button, entryOf: entryOf, labelsOf: labelsOf, update: update,
    round: function () { return round; },
    save: function () { save(true); },
    soundLabel: play,
    abx: null
  };

  /* A round that was running when the page closed runs again, as it was (hidden at once, before
   * its entries have loaded). */
  var saved = load();
  if (saved && saved.active) {
    document.body.classList.add('blind');
    setTimeout(function () { whenLoaded(saved.ids, function () { start(saved.seed, saved.ids, saved); }); }, 0);
  }
}());
