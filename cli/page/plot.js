/* SPDX-License-Identifier: MIT */
/* Part of the page's script (see page.js): the plot of the responses, and the summary line. */

  var plot = { w: 760, h: 360, l: 46, r: 12, t: 24, b: 30, range: 10 };

  function plotRange() {
    var m = 0;
    data.profiles.forEach(function (p) {
      if (!p.response) return;
      p.response.db.forEach(function (v) { if (v !== null && Math.abs(v) > m) m = Math.abs(v); });
    });
    return Math.max(10, Math.min(30, Math.ceil((m + 1) / 5) * 5));
  }

  function xOf(f) {
    return plot.l + (Math.log(f / 20) / Math.log(1000)) * (plot.w - plot.l - plot.r);
  }
  /* Traces are clipped to the plot area (clipPath), so values beyond the range leave it
   * rather than lying along its edge. */
  function yOf(db) {
    var v = Math.max(-4 * plot.range, Math.min(4 * plot.range, db));
    return plot.t + (plot.range - v) / (2 * plot.range) * (plot.h - plot.t - plot.b);
  }

  function buildPlot() {
    plot.range = plotRange();
    var s = $('plot');
    var grid = svg('g', { 'class': 'grid' });
    var step = plot.range <= 10 ? 2 : plot.range <= 20 ? 5 : 10;
    for (var v = -plot.range; v <= plot.range; v += step) {
      var y = yOf(v);
      grid.appendChild(svg('line', { x1: plot.l, x2: plot.w - plot.r, y1: y, y2: y, 'class': v === 0 ? 'major' : '' }));
      var t = svg('text', { x: plot.l - 6, y: y + 4, 'text-anchor': 'end' });
      t.textContent = (v > 0 ? '+' : '') + v;
      grid.appendChild(t);
    }
    var yl = svg('text', { x: plot.l - 6, y: 10, 'text-anchor': 'end' });
    yl.textContent = 'dB';
    grid.appendChild(yl);
    [20, 30, 40, 50, 60, 70, 80, 90, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 2000, 3000,
      4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000].forEach(function (f) {
      var major = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000].indexOf(f) >= 0;
      var x = xOf(f);
      grid.appendChild(svg('line', { x1: x, x2: x, y1: plot.t, y2: plot.h - plot.b, 'class': major ? 'major' : '' }));
      if (major) {
        var t = svg('text', { x: x, y: plot.h - plot.b + 16, 'text-anchor': f === 20 ? 'start' : f === 20000 ? 'end' : 'middle' });
        t.textContent = f >= 1000 ? f / 1000 + 'k' : String(f);
        grid.appendChild(t);
      }
    });
    var xl = svg('text', { x: plot.w - plot.r, y: plot.h - 2, 'text-anchor': 'end' });
    xl.textContent = 'Hz';
    grid.appendChild(xl);
    s.appendChild(grid);
    var defs = svg('defs', {});
    var clip = svg('clipPath', { id: 'plot-area' });
    clip.appendChild(svg('rect', { x: plot.l, y: plot.t, width: plot.w - plot.l - plot.r, height: plot.h - plot.t - plot.b }));
    defs.appendChild(clip);
    s.appendChild(defs);
    var traces = svg('g', { 'clip-path': 'url(#plot-area)' });
    s.appendChild(traces);
    traces.appendChild(svg('path', { id: 'trace-flat', 'class': 'flat', d: 'M' + xOf(20) + ' ' + yOf(0) + 'H' + xOf(20000) }));
    traces.appendChild(svg('path', { id: 'cross-b', 'class': 'cross', d: '' }));
    traces.appendChild(svg('path', { id: 'cross-a', 'class': 'cross', d: '' }));
    traces.appendChild(svg('path', { id: 'trace-b', 'class': 'trace', d: '' }));
    traces.appendChild(svg('path', { id: 'trace-a', 'class': 'trace', d: '' }));
    s.appendChild(svg('line', { id: 'cursor', x1: 0, x2: 0, y1: plot.t, y2: plot.h - plot.b, visibility: 'hidden' }));
    s.addEventListener('pointermove', onPointer);
    s.addEventListener('pointerleave', function () {
      $('cursor').setAttribute('visibility', 'hidden');
      $('readout').textContent = '';
    });
  }

  function pathOf(db) {
    if (!db) return '';
    var d = '', pen = false;
    for (var i = 0; i < data.hz.length; i++) {
      if (db[i] === null) { pen = false; continue; }
      d += (pen ? 'L' : 'M') + xOf(data.hz[i]).toFixed(1) + ' ' + yOf(db[i]).toFixed(1);
      pen = true;
    }
    return d;
  }

  function responseOf(e) {
    if (!e) return null;
    if (!e.profile) return { db: data.hz.map(function () { return 0; }), cross_db: null, note: 'no filter' };
    return e.profile.response;
  }

  function setTrace(id, crossId, e) {
    var r = responseOf(e);
    var t = $(id), c = $(crossId);
    t.setAttribute('d', r ? pathOf(r.db) : '');
    c.setAttribute('d', r && r.cross_db ? pathOf(r.cross_db) : '');
    t.setAttribute('data-profile', e ? e.id : '');
    c.setAttribute('data-profile', e ? e.id : '');
  }

  function legendItem(cls, text) {
    var s = el('span', { 'class': cls });
    s.appendChild(el('span', { 'class': 'swatch' }));
    s.appendChild(document.createTextNode(text));
    return s;
  }

  function renderPlot() {
    var a = state.entries[state.selected];
    var b = state.compare >= 0 ? state.entries[state.compare] : null;
    setTrace('trace-a', 'cross-a', a);
    setTrace('trace-b', 'cross-b', b);
    var lg = $('legend');
    lg.textContent = '';
    lg.appendChild(legendItem('a', a.name));
    if (b) lg.appendChild(legendItem('b', b.name));
    lg.appendChild(legendItem('flat', 'flat'));
    var ra = responseOf(a), rb = responseOf(b);
    if ((ra && ra.cross_db) || (rb && rb.cross_db)) lg.appendChild(legendItem('x', 'opposite ear (crossfeed)'));
    [a, b].forEach(function (e) {
      if (!e || !e.profile) return;
      var r = e.profile.response;
      var note = r ? e.name + ': ' + r.note : e.name + ': no curve: ' + (e.profile.response_error || '');
      lg.appendChild(el('span', { 'class': 'note' }, note));
    });
  }

  function onPointer(ev) {
    var s = $('plot');
    var ctm = s.getScreenCTM();
    if (!ctm) return;
    var pt = s.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    var x = pt.matrixTransform(ctm.inverse()).x;
    var f = 20 * Math.pow(1000, (x - plot.l) / (plot.w - plot.l - plot.r));
    if (f < 20 || f > 20000) return;
    var i = 0;
    while (i + 1 < data.hz.length && Math.abs(data.hz[i + 1] - f) < Math.abs(data.hz[i] - f)) i++;
    var cx = xOf(data.hz[i]);
    var cur = $('cursor');
    cur.setAttribute('x1', cx);
    cur.setAttribute('x2', cx);
    cur.setAttribute('visibility', 'visible');
    var parts = [fmtHz(data.hz[i])];
    [state.selected, state.compare].forEach(function (k) {
      if (k < 0) return;
      var r = responseOf(state.entries[k]);
      if (r) parts.push(state.entries[k].name + ' ' + fmtDb(r.db[i], 'dB', true));
    });
    $('readout').textContent = parts.join('  \u00b7  ');
  }

  function renderSummary() {
    var parts = ['input ' + fmtDb(data.input_lufs, 'LUFS')];
    if (data.level === 'off') parts.push('level: the filters\u2019 own gain');
    else parts.push('level ' + data.level + ' ' + fmtDb(data.target_lufs, 'LUFS'));
    parts.push(data.ceiling_dbtp === null ? 'no ceiling' : 'ceiling ' + fmtDb(data.ceiling_dbtp, 'dBTP'));
    parts.push(data.profiles.length + (data.profiles.length === 1 ? ' render' : ' renders'));
    parts.push('cansim ' + data.cansim);
    $('summary').textContent = parts.join(' \u00b7 ');
  }
