/* SPDX-License-Identifier: MIT */
/* Versions on a run's page (OUT/index.html, runs after page.js, through window.cansim.api).
 *
 * The run's page carries every input of the run as a mix (data.mixes, in the run's order);
 * page.js made one set of entries per mix, all of them playing in step, and shows the set of
 * the mix heard (state.mix). Switching the mix is a switch to the same entry (the same
 * headphone, or the original) of the other mix: the same crossfade, at the same position,
 * the compared profile kept. Each mix plays as rendered: equal loudness starts off here, so no
 * trim hides a level change between versions until the listener ticks it. Blind rounds run on
 * each input's own page, not here. */
(function () {
  'use strict';

  var page = window.cansim;
  var api = page.api;
  var el = api.el;
  var $ = function (id) { return document.getElementById(id); };
  var data = JSON.parse($('cansim-data').textContent);
  if (!data.mixes) return;
  var mixes = data.mixes;

  /* The entry of mix m that stands where entry i stands in its own mix, or -1. */
  function counterpart(i, m) {
    if (i < 0) return -1;
    var e = page.entries[i];
    for (var k = 0; k < page.entries.length; k++) {
      var f = page.entries[k];
      if (f.mix === m && f.id === e.id) return k;
    }
    return -1;
  }

  function render() {
    [].forEach.call($('versions').querySelectorAll('button.mix'), function (b) {
      var m = Number(b.getAttribute('data-mix'));
      b.setAttribute('aria-pressed', m === page.mix ? 'true' : 'false');
    });
    document.body.dataset.mix = String(page.mix);
    $('title').textContent = mixes[page.mix].original.file;
  }

  /* Switches to mix m: the entry selected and the one compared stay the same headphones. */
  function setMix(m, t0) {
    if (m === page.mix || m < 0 || m >= mixes.length) return;
    var sel = counterpart(page.selected, m);
    var cmp = counterpart(page.compare, m);
    if (sel < 0) return;
    page.mix = m;
    api.choose(sel, t0);
    api.setCompare(cmp);
    api.redraw(redrawMix);
  }

  /* Once the crossfade is over (see redraw in page.js): the bar, and the map of the mix heard. */
  function redrawMix() {
    render();
    document.dispatchEvent(new CustomEvent('cansim:mix', { detail: { mix: page.mix } }));
  }

  function build() {
    var box = $('versions');
    box.hidden = false;
    box.appendChild(el('h2', {}, 'Versions'));
    var row = el('div', { 'class': 'row' });
    mixes.forEach(function (mx, m) {
      var b = el('button', { type: 'button', 'class': 'mix', 'data-mix': String(m),
        title: mx.relative_path + ' - ' + api.fmtDb(mx.input_lufs, 'LUFS') + ' as given' });
      b.appendChild(el('span', { 'class': 'name' }, mx.relative_path));
      b.appendChild(el('span', { 'class': 'tag' }, api.fmtDb(mx.input_lufs, 'LUFS')));
      row.appendChild(b);
      var a = el('a', { href: mx.page, 'class': 'own', title: 'this input\u2019s own page (blind test there)' }, 'page');
      row.appendChild(a);
    });
    box.appendChild(row);
    box.appendChild(el('p', { 'class': 'help' }, 'v / shift+v: next / previous version, at the same ' +
      'position on the same headphone. Each version plays as rendered; tick Equal loudness to trim ' +
      'every entry to the quietest.'));
    box.addEventListener('click', function (ev) {
      var b = ev.target.closest ? ev.target.closest('button.mix') : null;
      if (b) setMix(Number(b.getAttribute('data-mix')), ev.timeStamp || performance.now());
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (ev.key !== 'v' && ev.key !== 'V')) return;
      var tag = ev.target && ev.target.tagName;
      if (tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && ev.target.type === 'text')) return;
      ev.preventDefault();
      var n = mixes.length;
      setMix((page.mix + (ev.shiftKey ? n - 1 : 1)) % n, ev.timeStamp || performance.now());
    });
    $('blind-open').hidden = true;
    var parts = [mixes.length + ' versions', data.profiles.length + ' profiles each'];
    parts.push(data.level === 'off' ? 'level: the filters\u2019 own gain' : 'level ' + data.level);
    parts.push('cansim ' + data.cansim);
    $('summary').textContent = parts.join(' \u00b7 ');
    $('keys').appendChild(document.createTextNode(' \u00b7 '));
    $('keys').appendChild(el('kbd', {}, 'v'));
    $('keys').appendChild(document.createTextNode(' next version (shift: previous)'));
  }

  page.setMix = setMix;
  build();
  render();
}());
