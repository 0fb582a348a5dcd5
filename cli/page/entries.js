/* SPDX-License-Identifier: MIT */
/* Part of the page's script (see page.js): the entries, their level (equal loudness, the
 * volume) and their <audio> elements. */

  /* One set of entries per mix: a run's page (data.mixes, see versions.js) has one per input,
   * in the same order, keys and profiles; an input's page has one. */
  function buildEntries() {
    /* The profiles come in listening order: the reference, the --on headphone, then the groups
     * (p.listen names the heading; pages written before it have none: by group then). */
    var groups = ['reference', 'on', 'open', 'closed', 'in-ear', 'speakers', 'other'];
    (data.mixes || [data]).forEach(function (mx, m) {
      var orig = mx.original;
      state.entries.push({
        id: 'original', name: 'Original', group: 'original', profile: null, output: null,
        file: orig.file, href: orig.href, loudness: mx.input_lufs, mix: m, mixData: mx
      });
      groups.forEach(function (g) {
        mx.profiles.forEach(function (p, j) {
          if ((p.listen || p.group) !== g) return;
          if (!('response' in p)) { /* the run's page draws each profile once (data.profiles) */
            p.response = data.profiles[j].response;
            p.response_error = data.profiles[j].response_error;
          }
          state.entries.push({
            id: p.id, name: p.name, group: g, profile: p, output: p.output, file: p.output.file,
            href: p.href, mix: m, mixData: mx, profileIndex: j,
            loudness: p.output.status === 'failed' ? null : p.output.loudness_lufs
          });
        });
      });
    });
    var n = 0;
    state.entries.forEach(function (e, i) {
      e.index = i;
      e.key = e.profile ? '' : '0';
      if (!e.profile) n = 0;
      if (e.profile) {
        var k = n++;
        for (var r = 0; r < KEY_ROWS.length; r++) {
          if (k < KEY_ROWS[r].length) { e.key = KEY_ROWS[r][k]; break; }
          k -= KEY_ROWS[r].length;
        }
      }
      e.gain = 0;       /* the crossfade's share, 0..1 */
      e.trimDb = 0;     /* equal loudness */
      e.joining = 0;    /* a join() in progress (its number), or 0 */
      e.el = null;
      e.playable = null; /* null while loading, then true or false */
      e.problem = '';
    });
  }

  function setTrims() {
    var quietest = Infinity;
    state.entries.forEach(function (e) {
      if (typeof e.loudness === 'number' && isFinite(e.loudness)) quietest = Math.min(quietest, e.loudness);
    });
    state.entries.forEach(function (e) {
      var known = typeof e.loudness === 'number' && isFinite(e.loudness) && isFinite(quietest);
      e.trimDb = state.equal && known ? quietest - e.loudness : 0;
      /* The renders share one level under the ceiling (drawer_level): the original plays at
         it too, so that it does not win by loudness. */
      if (!state.equal && e.group === 'original' && data.drawer_level && isFinite(data.input_lufs))
        e.trimDb = data.drawer_level.lufs - data.input_lufs;
    });
  }

  function applyVolume(e) {
    if (!e.el) return;
    var v = state.volume * e.gain * Math.pow(10, e.trimDb / 20);
    e.el.volume = Math.max(SILENT, Math.min(1, v));
  }

  function formatName(e) {
    var ext = extOf(e.file);
    return ext === 'aif' || ext === 'aifc' ? 'AIFF' : ext.toUpperCase();
  }

  function createPlayers() {
    var box = $('players');
    state.entries.forEach(function (e) {
      if (e.output && e.output.status === 'failed') {
        e.playable = false;
        e.problem = 'the render failed: ' + (e.output.error || 'no file');
        return;
      }
      var mime = MIME[extOf(e.file)] || '';
      if (mime && probe.canPlayType(mime) === '') {
        e.playable = false;
        e.problem = 'this browser cannot play ' + formatName(e) + ' files';
        e.unsupported = formatName(e);
        return;
      }
      var a = document.createElement('audio');
      a.preload = 'auto';
      a.preservesPitch = false;
      a.dataset.profile = e.id;
      a.volume = SILENT;
      a.addEventListener('loadedmetadata', function () {
        e.playable = true;
        onPlayable(e);
      });
      a.addEventListener('error', function () {
        var code = a.error ? a.error.code : 0;
        e.playable = false;
        e.problem = code === 4 ? 'this browser cannot play ' + formatName(e) + ' files here' +
          ' (or the file is missing)' : 'cannot be loaded (media error ' + code + ')';
        if (code === 4 && !mime) e.unsupported = formatName(e);
        onUnplayable(e);
      });
      a.addEventListener('ended', function () { if (e.index === state.sounding) onEnded(); });
      a.src = e.href;
      box.appendChild(a);
      e.el = a;
    });
    state.entries.forEach(function (e) { if (e.playable === false) onUnplayable(e); });
  }

  /* The element the others follow: the one heard, or in a blind round a fixed one (the set's
   * first in page order), so that no seek, and so no file request, follows the label heard. */
  function master() {
    var e = state.entries[state.blind ? state.blind.clock : state.sounding];
    return e && e.el && e.playable ? e : null;
  }

  function onPlayable(e) {
    var m = master();
    if (!m && state.entries[state.sounding].playable !== null) {
      /* The entry meant to sound could not load: this one sounds instead. */
      state.sounding = e.index;
      m = e;
    }
    if (m === e) {
      e.gain = 1;
      applyVolume(e);
      $('play').disabled = false;
      $('seek').disabled = false;
      $('seek').max = String(e.el.duration);
      $('duration').textContent = fmtTime(e.el.duration);
    } else if (m) {
      if (state.playing && !state.starting) join(e, m.el.currentTime + state.aheadS);
      else e.el.currentTime = m.el.currentTime;
    }
    renderList();
  }

  function onUnplayable(e) {
    if (e.index === state.sounding) {
      for (var i = 0; i < state.entries.length; i++) {
        if (state.entries[i].playable === true) {
          state.sounding = i;
          onPlayable(state.entries[i]);
          break;
        }
      }
    }
    renderNotices();
    renderList();
    if (e.index === state.selected) renderDetail();
  }
