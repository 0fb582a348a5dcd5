/* SPDX-License-Identifier: MIT */
/* ABX inside a blind round (blind.js, through window.cansim.blindKit): two of the round's
 * labels are A and B; in each of N trials X is one of them, drawn from the round's seed, and
 * the listener says which. The score and its one-sided binomial p-value follow. A new ABX keeps
 * the one before it (round.abx_earlier). */
(function () {
  'use strict';

  var page = window.cansim;
  var kit = page.blindKit;
  var el = kit.el, button = kit.button;
  var $ = function (id) { return document.getElementById(id); };
  var DEFAULT_TRIALS = 10;
  var HELP = '<kbd>a</kbd> <kbd>b</kbd> <kbd>x</kbd> play A, B, X &middot; <kbd>1</kbd> X is A &middot; ' +
    '<kbd>2</kbd> X is B &middot; <kbd>space</kbd> play/pause &middot; <kbd>&larr;</kbd> <kbd>&rarr;</kbd> 5 s';
  var box = null;
  var setup = false;   /* the ABX setup row is open */

  /* X of trial k (from 0): 'A' or 'B', from the ABX's own seed. */
  function xOf(abx, k) {
    var r = kit.rng(abx.seed + '/abx/' + abx.a + abx.b);
    var x = 'A';
    for (var i = 0; i <= k; i++) x = r() < 0.5 ? 'A' : 'B';
    return x;
  }

  /* P(at least k of n right by guessing): the one-sided binomial test against 1/2. */
  function pValue(k, n) {
    var c = 1, p = 0;
    for (var i = 0; i <= n; i++) {
      if (i >= k) p += c;
      c = c * (n - i) / (i + 1);
    }
    return p / Math.pow(2, n);
  }

  function score(abx) {
    var k = abx.trials.filter(function (t) { return t.correct; }).length;
    return { correct: k, answered: abx.trials.length, p_value: pValue(k, abx.trials.length) };
  }

  function running() {
    var r = kit.round();
    return !!(r && r.abx && !r.abx.ended && r.abx.trials.length < r.abx.n);
  }

  function start() {
    var r = kit.round();
    var a = $('abx-a').value, b = $('abx-b').value, n = Math.floor(Number($('abx-n').value));
    if (a === b) { $('abx-status').textContent = 'Pick two different labels.'; return; }
    if (!(n >= 1 && n <= 100)) { $('abx-status').textContent = 'Trials: 1 to 100.'; return; }
    if (r.abx && r.abx.trials.length) r.abx_earlier.push(r.abx);
    r.abx = { a: a, b: b, n: n, seed: r.seed + '/' + new Date().toISOString(), trials: [], ended: false };
    setup = false;
    kit.save();
    build();
    play('X', performance.now());
  }

  function play(which, t0) {
    var abx = kit.round().abx;
    var pick = which === 'X' ? xOf(abx, abx.trials.length) : which;
    kit.soundLabel(pick === 'A' ? abx.a : abx.b, t0, false);
    [].forEach.call(box.querySelectorAll('[data-abx]'), function (b) {
      b.classList.toggle('playing', b.dataset.abx === which);
    });
  }

  function answer(which) {
    var abx = kit.round().abx;
    if (!running()) return;
    var x = xOf(abx, abx.trials.length);
    abx.trials.push({ trial: abx.trials.length + 1, x: x, answer: which, correct: x === which });
    kit.save();
    build();
    if (running()) play('X', performance.now());
  }

  function labelSelect(id, pick) {
    var s = el('select', { id: id });
    kit.labelsOf().forEach(function (l) { s.appendChild(el('option', { value: l }, l)); });
    s.value = pick;
    return s;
  }

  function buildSetup() {
    var p = el('p', { 'class': 'row' });
    var la = el('label', {}, 'A is label ');
    la.appendChild(labelSelect('abx-a', 'A'));
    var lb = el('label', {}, 'B is label ');
    lb.appendChild(labelSelect('abx-b', 'B'));
    var ln = el('label', {}, 'trials ');
    ln.appendChild(el('input', { id: 'abx-n', type: 'number', min: '1', max: '100', value: String(DEFAULT_TRIALS) }));
    [la, lb, ln].forEach(function (x) { p.appendChild(x); });
    p.appendChild(button('abx-start', 'Start ABX'));
    p.appendChild(el('span', { id: 'abx-status', 'class': 'status' }));
    box.appendChild(p);
  }

  function buildTrial(abx) {
    var help = el('p', { id: 'abx-keys', 'class': 'help' });
    help.innerHTML = HELP;
    box.appendChild(help);
    var p = el('p', { 'class': 'row' });
    p.appendChild(el('span', { id: 'abx-trial' }, 'Trial ' + (abx.trials.length + 1) + ' of ' + abx.n));
    ['A', 'B', 'X'].forEach(function (w) {
      var b = button('abx-play-' + w.toLowerCase(), w, 'Play ' + w + ' (key ' + w.toLowerCase() + ')');
      b.dataset.abx = w;
      p.appendChild(b);
    });
    var ya = button('abx-is-a', 'X is A', 'key 1');
    ya.dataset.answer = 'A';
    var yb = button('abx-is-b', 'X is B', 'key 2');
    yb.dataset.answer = 'B';
    p.appendChild(ya);
    p.appendChild(yb);
    p.appendChild(button('abx-end', 'End', 'Stop here; the score counts the trials answered'));
    box.appendChild(p);
  }

  function buildScore(abx) {
    var s = score(abx);
    box.appendChild(el('p', { id: 'abx-score' }, s.correct + ' of ' + s.answered + ' right; p = ' +
      s.p_value.toPrecision(3) + ' (one-sided binomial: the chance of doing this well by guessing)'));
    var t = el('table', { id: 'abx-trials' });
    var tb = el('tbody', {});
    abx.trials.forEach(function (r) {
      var tr = el('tr', {});
      tr.appendChild(el('td', {}, String(r.trial)));
      tr.appendChild(el('td', {}, 'X was ' + r.x + ', answered ' + r.answer));
      tr.appendChild(el('td', { 'class': r.correct ? 'ok' : 'bad' }, r.correct ? 'right' : 'wrong'));
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    box.appendChild(t);
  }

  function build(into) {
    if (into) box = into;
    box.textContent = '';
    var abx = kit.round().abx;
    if (setup) buildSetup();
    else if (abx) {
      box.appendChild(el('h3', {}, 'ABX: A is label ' + abx.a + ', B is label ' + abx.b));
      if (running()) buildTrial(abx); else buildScore(abx);
    }
    kit.update();
  }

  /* A click in the round's panel: true when it was ABX's. */
  function click(t, t0) {
    if (t.id === 'blind-abx') { setup = !setup; build(); } else if (t.id === 'abx-start') start();
    else if (t.id === 'abx-end') { kit.round().abx.ended = true; kit.save(); build(); }
    else if (t.dataset.abx) play(t.dataset.abx, t0);
    else if (t.dataset.answer) answer(t.dataset.answer);
    else return false;
    return true;
  }

  /* A key while trials run (blind.js gives them all to ABX then). */
  function key(ev, t0) {
    var low = (ev.key || '').toLowerCase();
    if (low === 'a' || low === 'b' || low === 'x') play(low.toUpperCase(), t0);
    else if (ev.key === '1') answer('A');
    else if (ev.key === '2') answer('B');
  }

  function summary(abx, revealed) {
    var s = score(abx);
    var out = {
      a: abx.a, b: abx.b, trials_planned: abx.n, trials: abx.trials, correct: s.correct,
      answered: s.answered, p_value: s.p_value
    };
    if (revealed) { out.a_id = kit.entryOf(abx.a).id; out.b_id = kit.entryOf(abx.b).id; }
    return out;
  }

  /* The download's "abx" (the latest) and "abx_earlier". */
  function results(out) {
    var r = kit.round();
    if (r.abx) out.abx = summary(r.abx, r.revealed);
    if (r.abx_earlier.length) out.abx_earlier = r.abx_earlier.map(function (a) { return summary(a, r.revealed); });
  }

  kit.abx = { running: running, build: build, click: click, key: key, results: results };
}());
