/* SPDX-License-Identifier: MIT */
/* Part of the page's script (see page.js): the keys, the controls, and the page's start; it
 * closes the function page.js opens. */

  function entryForKey(ev) {
    var m = /^(?:Digit|Numpad)([0-9])$/.exec(ev.code || '');
    var k = m ? m[1] : (ev.key || '').toLowerCase();
    if (!k || k.length !== 1) return -1;
    for (var i = 0; i < state.entries.length; i++) {
      if (state.entries[i].key === k && state.entries[i].mix === state.mix) return i;
    }
    return -1;
  }

  /* The previous or next entry of the mix heard. */
  function neighbour(dir) {
    var n = state.entries.length, i = state.selected;
    do i = (i + dir + n) % n; while (state.entries[i].mix !== state.mix);
    return i;
  }

  function onKey(ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var tgt = ev.target;
    var tag = tgt && tgt.tagName;
    var type = tgt && tgt.type;
    if (tag === 'SELECT' || tag === 'TEXTAREA' || (tag === 'INPUT' && type !== 'range' && type !== 'checkbox')) return;
    if (state.blindKey && state.blindKey(ev)) return;
    var onRange = tag === 'INPUT' && type === 'range';
    var t0 = ev.timeStamp || performance.now();
    var m = master();
    switch (ev.key) {
      case ' ':
        if (type === 'checkbox') return;
        ev.preventDefault();
        if (state.playing) pause(); else play();
        return;
      case 'ArrowUp': case 'ArrowDown':
        if (onRange) return;
        ev.preventDefault();
        choose(neighbour(ev.key === 'ArrowUp' ? -1 : 1), t0);
        return;
      case 'ArrowLeft': case 'ArrowRight':
        if (onRange || !m) return;
        ev.preventDefault();
        seekAll(m.el.currentTime + (ev.key === 'ArrowLeft' ? -SEEK_STEP_S : SEEK_STEP_S));
        return;
      case 'Home':
        if (onRange) return;
        ev.preventDefault();
        seekAll(0);
        return;
      case 'Escape':
        setCompare(-1);
        return;
      case 'x': case 'X':
        swap(t0);
        return;
    }
    var i = entryForKey(ev);
    if (i < 0) return;
    ev.preventDefault();
    if (ev.shiftKey) setCompare(i); else choose(i, t0);
  }

  function wire() {
    $('play').addEventListener('click', function () { if (state.playing) pause(); else play(); });
    var seek = $('seek');
    seek.addEventListener('input', function () {
      state.dragging = true;
      $('time').textContent = fmtTime(Number(seek.value));
    });
    seek.addEventListener('change', function () {
      state.dragging = false;
      seekAll(Number(seek.value));
    });
    $('volume').addEventListener('input', function () {
      state.volume = Number($('volume').value);
      state.entries.forEach(applyVolume);
    });
    $('equal').addEventListener('change', function () {
      state.equal = $('equal').checked;
      setTrims();
      state.entries.forEach(applyVolume);
      renderDetail();
    });
    $('compare').addEventListener('change', function () {
      var id = $('compare').value;
      var k = -1;
      state.entries.forEach(function (e) { if (e.id === id && e.profile && e.mix === state.mix) k = e.index; });
      setCompare(k);
      $('compare').blur(); /* the keys go back to the page */
    });
    $('list').addEventListener('click', function (ev) {
      var b = ev.target.closest ? ev.target.closest('.entry') : null;
      if (!b) return;
      var i = Number(b.getAttribute('data-index'));
      if (ev.shiftKey) setCompare(i); else choose(i, ev.timeStamp || performance.now());
    });
    document.addEventListener('keydown', onKey);
    document.addEventListener('keyup', function (ev) {
      /* A focused button would take space as a click on its keyup. */
      if (ev.key === ' ' && ev.target && ev.target.tagName === 'BUTTON') ev.preventDefault();
    });
  }

  /* For blind.js, which runs after this script. */
  state.api = {
    sound: sound, seekAll: seekAll, play: play, pause: pause, setTrims: setTrims, applyVolume: applyVolume,
    renderList: renderList, renderDetail: renderDetail, el: el, choose: choose, setCompare: setCompare,
    master: master, fmtDb: fmtDb, fmtTime: fmtTime, svg: svg, redraw: redraw
  };
  $('equal').checked = state.equal;
  buildEntries();
  setTrims();
  renderSummary();
  renderNotices();
  buildPlot();
  fillCompareSelect();
  buildList();
  renderList();
  renderDetail();
  wire();
  createPlayers();
  document.body.dataset.selected = 'original';
  document.body.dataset.playing = 'false';
}());
