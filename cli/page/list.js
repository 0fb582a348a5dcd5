/* SPDX-License-Identifier: MIT */
/* Part of the page's script (see page.js): the transport's display, the notices, the list of
 * entries and the facts of the one selected. */

  function renderTransport() {
    var b = $('play');
    b.textContent = state.playing ? 'Pause' : 'Play';
    b.setAttribute('aria-pressed', state.playing ? 'true' : 'false');
    document.body.dataset.playing = state.playing ? 'true' : 'false';
    tickUi();
  }

  /* The position, once a frame while playing (one loop at most), else on demand. */
  function tickUi() {
    var m = master();
    if (m) {
      var t = m.el.currentTime, d = m.el.duration;
      if (isFinite(d) && !state.blind && $('seek').max !== String(d)) {
        /* With --tail the renders outlast the original: the bar follows the entry heard. */
        $('seek').max = String(d);
        $('duration').textContent = fmtTime(d);
      }
      $('time').textContent = fmtTime(t);
      if (!state.dragging) $('seek').value = String(t);
    }
  }
  function uiLoop() {
    tickUi();
    if (state.playing) requestAnimationFrame(uiLoop); else state.uiLoop = false;
  }

  function renderNotices() {
    var ul = $('notices');
    ul.textContent = '';
    (data.notices || []).forEach(function (n) { ul.appendChild(el('li', {}, n)); });
    var formats = {};
    state.entries.forEach(function (e) {
      if (e.unsupported && e.profile) formats[e.unsupported] = (formats[e.unsupported] || 0) + 1;
    });
    var o = state.entries[0];
    if (o.unsupported) {
      ul.appendChild(el('li', { 'class': 'unsupported' }, 'This browser cannot play the original (' + o.file +
        ', ' + o.unsupported + '): its entry stays silent.'));
    }
    Object.keys(formats).forEach(function (f) {
      var one = formats[f] === 1;
      ul.appendChild(el('li', { 'class': 'unsupported' }, 'This browser cannot play ' + f +
        ' files: ' + formats[f] + (one ? ' entry shows its facts and curve but stays silent.' :
          ' entries show their facts and curves but stay silent.') +
        ' Render with -f wav24 or -f flac24 to listen here' + (f === 'AIFF' ? ' (Safari plays AIFF).' : '.')));
    });
  }

  function tagOf(e) {
    if (e.output && e.output.status === 'failed') return 'failed';
    if (e.playable === false) return 'silent';
    if (!e.profile) return e.file;
    var p = e.profile;
    if (p.kind === 'impulse-response') return 'impulse response';
    if (p.back === 'open' || p.back === 'closed') return p.form || '';
    if (p.group === 'in-ear') return inEarKind(p);
    if (p.hrtf) return 'HRTF';
    return p.crossfeed ? 'crossfeed' : '';
  }

  var GROUP_TITLES = {
    original: 'Original', reference: 'Reference', on: 'Your headphone (--on)', open: 'Open-back', closed: 'Closed-back', 'in-ear': 'In-ear and earbuds',
    speakers: 'Speakers', other: 'Other'
  };

  function buildList() {
    var nav = $('list');
    var group = '';
    state.entries.forEach(function (e) {
      if (e.group !== group || !e.profile) {
        group = e.group;
        var h = el('h3', { 'data-mix': String(e.mix) }, GROUP_TITLES[group]);
        h.hidden = e.mix !== state.mix;
        nav.appendChild(h);
      }
      var b = el('button', { type: 'button', 'class': 'entry', 'data-index': String(e.index), 'data-profile': e.id });
      b.appendChild(el('kbd', { 'class': e.key ? '' : 'none' }, e.key || '-'));
      b.appendChild(el('span', { 'class': 'name', title: e.name }, e.name));
      b.appendChild(el('span', { 'class': 'tag' }, ''));
      nav.appendChild(b);
      e.button = b;
    });
  }

  /* Attributes only: the buttons stay, and so does the keyboard focus. */
  function renderList() {
    state.entries.forEach(function (e) {
      var b = e.button;
      b.hidden = e.mix !== state.mix;
      b.classList.toggle('sounding', !state.blind && e.index === state.sounding);
      b.classList.toggle('compared', e.index === state.compare);
      b.classList.toggle('silent', e.playable === false);
      b.classList.toggle('failed', !!(e.output && e.output.status === 'failed'));
      b.setAttribute('aria-pressed', e.index === state.selected ? 'true' : 'false');
      b.title = (e.key ? 'key ' + e.key + '; ' : '') + 'shift-click to compare' +
        (e.problem ? ' - ' + e.problem : '');
      b.lastChild.textContent = tagOf(e);
    });
    [].forEach.call($('list').querySelectorAll('h3'), function (h) { h.hidden = Number(h.dataset.mix) !== state.mix; });
    var s = state.entries[state.sounding];
    document.body.dataset.sounding = s && !state.blind ? s.id : '';
    $('compare').value = state.compare >= 0 ? state.entries[state.compare].id : '';
  }

  function fillCompareSelect() {
    var s = $('compare');
    state.entries.forEach(function (e) {
      if (!e.profile || e.mix !== 0) return;
      s.appendChild(el('option', { value: e.id }, (e.key ? e.key + '  ' : '') + e.name));
    });
  }

  function row(tbody, label, value, cls) {
    var tr = el('tr', {});
    tr.appendChild(el('th', { scope: 'row' }, label));
    var td = el('td', cls ? { 'class': cls } : {});
    if (value instanceof Node) td.appendChild(value); else td.textContent = value;
    tr.appendChild(td);
    tbody.appendChild(tr);
  }

  /* 'true-wireless', 'IEM', 'earbud' from the profile's tags. */
  function inEarKind(p) {
    var t = ' ' + (p.tags || '') + ' ';
    var kind = t.indexOf(' iem ') >= 0 ? 'IEM' : t.indexOf(' tws ') >= 0 ? 'true-wireless' : 'in-ear';
    return p.form === 'earbud' ? (kind === 'true-wireless' ? 'true-wireless earbud' : 'earbud') : kind;
  }

  function describe(p) {
    var cf = p.crossfeed ? ', with crossfeed' : '';
    if (p.kind === 'impulse-response') return 'impulse response' + cf;
    if (p.back === 'open' || p.back === 'closed') return p.back + '-back ' + (p.form ? p.form + ' ' : '') + 'headphone' + cf;
    if (p.group === 'in-ear') return inEarKind(p) + ', measured on an in-ear simulator' + cf;
    if (p.hrtf) return 'a speaker pair through measured head-related responses' + cf;
    return (p.flat ? 'flat' : 'a response curve' + (p.form ? ', ' + p.form : '')) + cf;
  }

  function renderDetail() {
    var e = state.entries[state.selected];
    var table = el('table', {});
    var tb = el('tbody', {});
    table.appendChild(tb);
    $('detail-title').textContent = e.name;
    var link = el('a', { href: e.href }, e.file);
    if (!e.profile) {
      var mx = e.mixData;
      row(tb, 'File', link);
      row(tb, 'What', 'the mix as given, unprocessed');
      row(tb, 'Loudness', fmtDb(mx.input_lufs, 'LUFS'));
      row(tb, 'Level of the renders', mx.level === 'off' ? 'each filter\u2019s own gain' :
        (mx.level === 'match' ? 'matched to this: ' : 'target: ') + fmtDb(mx.target_lufs, 'LUFS'));
      row(tb, 'Ceiling', mx.ceiling_dbtp === null ? 'none' : fmtDb(mx.ceiling_dbtp, 'dBTP'));
    } else {
      var p = e.profile, o = e.output;
      row(tb, 'Profile', p.name + ' (' + p.id + ')');
      row(tb, 'What', describe(p));
      if (p.source) row(tb, 'Measured by', p.source);
      if (p.credit) row(tb, 'Credit', p.credit);
      if (p.notes) row(tb, 'Notes', p.notes);
      row(tb, 'Crossfeed', p.crossfeed ? p.crossfeed.cut_hz + ' Hz, ' + p.crossfeed.feed_db + ' dB' : 'none');
      row(tb, 'Render', o.status === 'failed' ? e.file + ' (not written)' : link);
      row(tb, 'Format', o.format + (o.dithered ? ', TPDF dither' : ''));
      if (o.status === 'failed') {
        row(tb, 'Status', 'failed: ' + (o.error || ''), 'bad');
      } else {
        row(tb, 'Loudness', fmtDb(o.loudness_lufs, 'LUFS') + ' (' + o.loudness_source + ')');
        if (o.true_peak_dbtp !== null) row(tb, 'True peak', fmtDb(o.true_peak_dbtp, 'dBTP'));
        else row(tb, 'Sample peak', fmtDb(o.sample_peak_dbfs, 'dBFS'));
        row(tb, 'Gain', fmtDb(o.gain_db, 'dB', true) +
          (o.correction_db ? ' (' + fmtDb(o.correction_db, 'dB', true) + ' after measuring)' : ''));
        row(tb, 'Status', o.status === 'limited' ? 'limited: held under the target by the ceiling' : 'ok',
          o.status === 'limited' ? 'warn' : '');
      }
    }
    if (state.equal && e.trimDb) row(tb, 'Trim on this page', fmtDb(e.trimDb, 'dB', true) + ' (equal loudness)');
    if (e.playable === false && !(e.output && e.output.status === 'failed')) {
      var s = state.entries[state.sounding];
      row(tb, 'Sound', e.problem + (s && s.playable ? '; still playing ' + s.name : ''), 'warn');
    }
    $('facts').textContent = '';
    $('facts').appendChild(table);
    renderPlot();
  }
