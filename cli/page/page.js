/* SPDX-License-Identifier: MIT */
/* The audition page's behaviour: one hidden <audio> element per entry, all playing in step,
 * only the selected one audible; a switch is a short crossfade of element volumes.
 *
 * Why media elements and volumes: on a page opened from the file system, Chromium treats the
 * renders as cross-origin, so a MediaElementAudioSourceNode gives silence and fetch() is
 * refused: Web Audio can't be used. Media elements stream from disk (a bounded buffer each),
 * so long mixes never sit in memory whole. They share the output clock, so once in step they
 * stay in step. Play and seek start the audible element at once; the silent ones join it (see
 * join), and a check every SYNC_MS keeps them within a millisecond by their playback rate (see
 * syncTick). Silent means -120 dB, not 0 (see SILENT). */
(function () {
  'use strict';

  var FADE_MS = 20;        /* the crossfade: long enough not to click, short enough to feel instant */
  var TICK_MS = 4;         /* its steps (browsers clamp timers to about 4 ms) */
  var SYNC_MS = 100;       /* how often silent elements are checked against the audible one */
  var DRIFT_S = 0.001;     /* the largest offset left alone */
  var SEEK_DRIFT_S = 0.25; /* beyond this a silent element joins again, within it is nudged */
  var RATE_GAIN = 4;       /* rate change per second of offset */
  var RATE_SPAN = 0.25;    /* the largest rate change */
  var HEARD_RATE_SPAN = 0.002; /* the largest for the element heard in a blind round (3.5 cents:
                                  no label may be told by a wobble of pitch) */
  var IN_STEP_S = 0.03;    /* the largest offset a switch takes as in step */
  var PENDING_MS = 750;    /* the longest a switch waits for its element to join */
  var LATE_S = 0.06;       /* a joining element that lands later than this is sought again */
  var SETTLE_MS = 200;     /* an element just started is left alone this long */
  var MIN_AHEAD_S = 0.25;  /* the nearest and furthest a joining element is sought ahead */
  var MAX_AHEAD_S = 4;
  /* Silent is -120 dB, never 0: Chromium moves an element at volume 0 to a null audio sink and
   * back when it is raised, which shifts its position by 15-30 ms each time. At 1e-6 every
   * element stays on the output clock (measured: 0.0 ms apart through any number of switches),
   * and even 22 silent renders in phase sum to -93 dB under the audible one. */
  var SILENT = 1e-6;
  var SEEK_STEP_S = 5;
  var KEY_ROWS = ['123456789', 'qwertyuiop', 'asdfghjkl'];
  var SVG = 'http://www.w3.org/2000/svg';
  var MIME = {
    wav: 'audio/wav', wave: 'audio/wav', flac: 'audio/flac', aif: 'audio/aiff', aiff: 'audio/aiff',
    aifc: 'audio/aiff', ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/ogg', mp3: 'audio/mpeg',
    m4a: 'audio/mp4', caf: 'audio/x-caf', au: 'audio/basic', snd: 'audio/basic'
  };

  var data = JSON.parse(document.getElementById('cansim-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var probe = document.createElement('audio');

  /* Everything the page knows, exposed for tests and the curious as window.cansim. */
  var state = {
    entries: [],
    selected: 0,      /* the entry shown (facts, plot) */
    sounding: 0,      /* the entry heard */
    compare: -1,      /* the entry drawn beside the selected one, or -1 */
    playing: false,
    volume: 1,
    equal: !data.mixes, /* a run's page (versions.js) plays every mix as rendered */
    mix: 0,           /* the mix heard on a run's page (data.mixes), else 0 */
    dragging: false,
    switches: [],     /* per switch: {from, to, position_s, in_step (its element was running
                         in step already), first_ms and ms (the input event to the crossfade's
                         first and last volume step)} */
    resyncs: 0,
    fade: null,
    syncTimer: 0,
    startToken: 0,
    starting: false,  /* elements are being sought before a start */
    uiLoop: false,
    startAt: 0,
    aheadS: 0.5,      /* how far ahead silent elements are sought to join (see join) */
    joins: 0,
    pending: -1,      /* the entry a switch waits for (see sound), or -1 */
    seekS: 0.03,      /* how long a seek has been taking, at worst lately */
    startS: 0.08,     /* from play() to a running position: 77 ms measured, learnt again by
                         syncTick */
    blind: null,      /* blind.js's round while one runs: nothing here then marks the entry heard */
    blindKey: null    /* blind.js's key handler: true when it took the key */
  };
  window.cansim = state;

  /* ------------------------------------------------------------------ formatting */

  function fmtTime(s) {
    if (!isFinite(s) || s < 0) s = 0;
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s - 3600 * h - 60 * m;
    var ss = (sec < 10 ? '0' : '') + sec.toFixed(1);
    if (ss === '60.0') ss = '59.9';
    return (h ? h + ':' + (m < 10 ? '0' : '') : '') + m + ':' + ss;
  }
  function fmtDb(v, unit, signed) {
    if (v === null || v === undefined || !isFinite(v)) return '-';
    var t = v.toFixed(2);
    if (signed && v >= 0) t = '+' + t;
    return t.replace('-', '\u2212') + (unit ? ' ' + unit : '');
  }
  function fmtHz(f) {
    return f >= 1000 ? (f / 1000).toFixed(f >= 10000 ? 1 : 2) + ' kHz' : f.toFixed(0) + ' Hz';
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    return e;
  }
  function extOf(file) {
    var m = /\.([^./]+)$/.exec(file || '');
    return m ? m[1].toLowerCase() : '';
  }

  /* ------------------------------------------------------------------ entries */

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

  /* ------------------------------------------------------------------ playback */

  function ignoreAbort(err) {
    if (err && err.name !== 'AbortError') console.warn('cansim: ' + err.name + ': ' + err.message);
  }

  function startElement(e, t) {
    if (!isFinite(e.el.duration) || t < e.el.duration) {
      var p = e.el.play();
      if (p && p.catch) p.catch(ignoreAbort);
    }
  }

  function clampTime(e, t) {
    return isFinite(e.el.duration) ? Math.min(t, e.el.duration) : t;
  }

  /* A switch waiting for its element (see sound) happens at once when the transport changes. */
  function settlePending() {
    if (state.pending < 0) return;
    var i = state.pending;
    state.pending = -1;
    var fade = state.playing;
    state.playing = false; /* an instant crossfade */
    crossfade(i, performance.now(), false);
    state.playing = fade;
  }

  /* Starts at t: the audible element at once (its own seek, some 10-30 ms), the silent ones
   * through join(). Measured in Chromium: 23 elements sought together take 250-350 ms to
   * land (one alone 10-30 ms), and elements started in one task still begin on output callbacks
   * up to 140 ms apart; so nothing waits for the silent ones, and they are placed precisely. */
  function startAll(t) {
    settlePending();
    var token = ++state.startToken;
    state.starting = true;
    state.startAt = t;
    clearInterval(state.syncTimer);
    var m = master();
    state.entries.forEach(function (e) {
      if (!e.el) return;
      clearTimeout(e.joinTimer);
      e.joining = 0;
      e.el.pause();
      e.el.playbackRate = 1;
    });
    var sent = performance.now();
    if (Math.abs(m.el.currentTime - t) > 1e-3) m.el.currentTime = clampTime(m, t);
    var go = function () {
      if (token !== state.startToken || !state.playing || !state.starting) return;
      state.starting = false;
      startElement(m, t);
      state.syncTimer = setInterval(syncTick, SYNC_MS);
      /* After the audible one's seek, which then has the disk and the decoders to itself. The
       * silent ones seek together, which takes about as long as that seek each, one after the
       * other (measured: 22 elements 250-350 ms where one takes 10-30 ms). */
      var silent = state.entries.filter(function (e) { return e !== m && e.el && e.playable; });
      var took = (performance.now() - sent) / 1000;
      var ahead = Math.min(MAX_AHEAD_S, Math.max(state.aheadS, silent.length * took + 0.1));
      silent.forEach(function (e) { join(e, t + ahead); });
    };
    if (m.el.seeking) m.el.addEventListener('seeked', go, { once: true }); else go();
  }

  /* A silent element joins the audible one: it is sought ahead of it (aheadS: half again the
   * longest recent seek, and more after a late landing), waits, and starts when the audible
   * one reaches its position, startS early (play() to a running position, 80 ms measured);
   * syncTick's rate control takes what is left. */
  function join(e, at, onStart) {
    var token = state.startToken;
    var id = ++state.joins;
    var a = e.el;
    clearTimeout(e.joinTimer);
    e.joining = id;
    e.joinSent = performance.now();
    a.pause();
    a.playbackRate = 1;
    var live = function () { return token === state.startToken && state.playing && e.joining === id; };
    var wait = function () {
      if (!live()) return;
      var m = master();
      if (!m || m === e) { e.joining = 0; return; }
      if (m.el.paused) { e.joinTimer = setTimeout(wait, 10); return; } /* it has not started yet */
      var ahead = a.currentTime - m.el.currentTime - state.startS;
      if (ahead < -LATE_S) { /* landed too late: further ahead, by as long as this seek took */
        state.aheadS = Math.min(MAX_AHEAD_S, Math.max(state.aheadS * 1.5, 1.5 * e.joinTook + 0.1));
        join(e, m.el.currentTime + state.aheadS, onStart);
        return;
      }
      if (ahead > 0.003) { e.joinTimer = setTimeout(wait, Math.max(1, Math.min(ahead * 1000 - 6, 250))); return; }
      e.joining = 0;
      e.joinedAt = a.currentTime;
      e.joinedWall = performance.now();
      startElement(e, a.currentTime);
      if (onStart) onStart();
    };
    a.addEventListener('seeked', function () {
      if (!live()) return;
      var took = (performance.now() - e.joinSent) / 1000;
      e.joinTook = took;
      state.seekS = Math.max(state.seekS * 0.9, took);
      state.aheadS = Math.min(MAX_AHEAD_S, Math.max(MIN_AHEAD_S, state.aheadS * 0.9, 1.5 * state.seekS + 0.05));
      wait();
    }, { once: true });
    a.currentTime = clampTime(e, at);
  }

  function play() {
    var m = master();
    if (!m) return;
    state.playing = true;
    startAll(m.el.ended ? 0 : m.el.currentTime);
    renderTransport();
    if (!state.uiLoop) {
      state.uiLoop = true;
      requestAnimationFrame(uiLoop);
    }
  }

  function stop() {
    settlePending();
    state.playing = false;
    state.starting = false;
    state.startToken++;
    clearInterval(state.syncTimer);
    state.entries.forEach(function (e) {
      clearTimeout(e.joinTimer);
      e.joining = 0;
      if (e.el) e.el.pause();
    });
    renderTransport();
  }

  function pause() { stop(); }

  function onEnded() { stop(); }

  function seekAll(t) {
    var m = master();
    if (!m) return;
    t = Math.max(0, Math.min(t, m.el.duration || t));
    if (state.playing) {
      startAll(t);
    } else {
      state.entries.forEach(function (e) { if (e.el && e.playable) e.el.currentTime = clampTime(e, t); });
    }
    renderTransport();
  }

  /* Silent elements follow the audible one: a far one (a stall, a seek gone astray) is
   * joined again, a near one (one that loaded late, or began on another output callback) runs
   * slightly faster or slower until it is in step: a proportional control of the playback rate,
   * within RATE_SPAN, which closes a 43 ms gap in about half a second. Silent elements don't
   * preserve pitch, so the rate costs a resampler, not a time-stretcher. */
  function syncTick() {
    var m = master();
    if (!state.playing || state.starting || !m) return;
    var t = m.el.currentTime;
    var late = 0, n_late = 0;
    state.entries.forEach(function (e) {
      if (e === m || !e.el || !e.playable) return;
      if (e.joining) { /* a seek that never lands: try again */
        if (performance.now() - e.joinSent > 5000) join(e, t + state.aheadS);
        return;
      }
      if (e.el.seeking) return;
      var a = e.el;
      if (isFinite(a.duration) && t + state.aheadS >= a.duration) return;
      var d = a.currentTime - t;
      if (e.joinedAt !== undefined && !a.paused) {
        /* Once it runs (a look sooner sees its position before it moves): it started d late
         * (or early), and so will the next ones. */
        if (performance.now() - e.joinedWall < SETTLE_MS) return;
        if (Math.abs(d) < SEEK_DRIFT_S) {
          late += d;
          n_late++;
        }
        e.joinedAt = undefined;
      }
      if (a.paused || Math.abs(d) > SEEK_DRIFT_S) {
        state.resyncs++;
        join(e, t + state.aheadS);
      } else {
        var span = state.blind && e.index === state.sounding ? HEARD_RATE_SPAN : RATE_SPAN;
        var r = Math.abs(d) > DRIFT_S ? 1 - Math.max(-span, Math.min(span, d * RATE_GAIN)) : 1;
        if (a.playbackRate !== r) a.playbackRate = r;
      }
    });
    /* The elements that joined and now run say how late play() starts: one update a check. */
    if (n_late) state.startS = Math.max(0, Math.min(0.3, state.startS - 0.5 * late / n_late));
  }

  function isInStep(e, m) {
    return !e.joining && !e.el.paused && !e.el.seeking && m &&
      Math.abs(e.el.currentTime - m.el.currentTime) < IN_STEP_S;
  }

  /* Switch the sound to entry i. Normally it is running in step already and the switch is the
   * crossfade alone. One that is not (a moment after a start or a seek, or after a stall) first
   * joins, close ahead, while the sound stays where it is; the crossfade follows its start. */
  function sound(i, t0) {
    var to = state.entries[i];
    if (!to.playable || i === state.sounding) {
      state.pending = -1;
      return false;
    }
    var m = master();
    if (state.playing && state.starting) {
      /* Nothing plays yet: start again with this one audible (a blind round's clock is the
       * same whichever is heard: no new start). */
      crossfade(i, t0, true);
      if (!state.blind) startAll(state.startAt);
      return true;
    }
    if (state.blind && state.playing && !isInStep(to, m)) {
      /* A blind round never seeks one element alone: wait for it to be in step. */
      state.pending = i;
      var asked = performance.now();
      var poll = function () {
        if (state.pending !== i) return;
        if (state.playing && !isInStep(to, master()) && performance.now() - asked < PENDING_MS) {
          setTimeout(poll, 10);
          return;
        }
        state.pending = -1;
        crossfade(i, t0, false);
      };
      poll();
      return true;
    }
    if (state.playing && !isInStep(to, m)) {
      state.pending = i;
      join(to, m.el.currentTime + Math.max(2 * state.seekS + state.startS, 0.1), function () {
        if (state.pending !== i) return;
        state.pending = -1;
        crossfade(i, t0, false);
      });
      /* A join that does not come (a seek that hangs) does not hold the switch back. */
      setTimeout(function () {
        if (state.pending !== i || !state.playing) return;
        state.pending = -1;
        clearTimeout(to.joinTimer);
        to.joining = 0;
        var mm = master();
        if (mm) to.el.currentTime = clampTime(to, mm.el.currentTime + state.seekS);
        startElement(to, to.el.currentTime);
        crossfade(i, t0, false);
      }, PENDING_MS);
      return true;
    }
    state.pending = -1;
    if (!state.playing && m && !state.blind) to.el.currentTime = m.el.currentTime;
    crossfade(i, t0, true);
    return true;
  }

  /* Redraws by fn once the crossfade running (if any) is over: the layout a switch causes (the
   * list, the facts, on a run's page the other mix's list and map: 5-15 ms of the main thread)
   * would otherwise hold up the fade's steps. */
  function redraw(fn) {
    if (!state.fade) fn();
    else if (state.fade.after.indexOf(fn) < 0) state.fade.after.push(fn);
  }

  /* A linear crossfade to entry i: the renders are the same music, aligned to the sample, so
   * their amplitudes add; an equal-power fade would bulge by 3 dB. */
  function crossfade(i, t0, inStep) {
    var from = state.entries[state.sounding];
    var to = state.entries[i];
    var m = master();
    state.sounding = i;
    to.el.playbackRate = 1;
    var record = { from: from.id, to: to.id, ms: NaN, first_ms: NaN, position_s: m ? m.el.currentTime : 0, in_step: inStep };
    var after = state.fade ? state.fade.after : [];
    if (state.fade) clearInterval(state.fade.timer);
    var start = performance.now();
    var g0 = state.entries.map(function (e) { return e.gain; });
    var first = -1;
    var step = function () {
      var now = performance.now();
      var x = state.playing ? Math.min(1, (now - start) / FADE_MS) : 1;
      state.entries.forEach(function (e, k) {
        if (g0[k] === 0 && k !== i) return;
        e.gain = g0[k] + ((k === i ? 1 : 0) - g0[k]) * x;
        applyVolume(e);
      });
      if (first < 0) first = now;
      if (x >= 1) {
        clearInterval(state.fade.timer);
        state.fade = null;
        record.first_ms = first - t0;
        record.ms = now - t0;
        state.switches.push(record);
        after.forEach(function (fn) { fn(); });
        $('switch-time').textContent = 'switched in ' + record.ms.toFixed(0) + ' ms';
      }
    };
    state.fade = { timer: setInterval(step, TICK_MS), after: after };
    redraw(renderList);
    step();
  }

  function choose(i, t0) {
    if (i < 0 || i >= state.entries.length) return;
    state.selected = i;
    if (i === state.compare) state.compare = -1;
    sound(i, t0 === undefined ? performance.now() : t0);
    document.body.dataset.selected = state.entries[i].id;
    redraw(renderList);
    redraw(renderDetail);
  }

  function setCompare(i) {
    state.compare = i === state.selected ? -1 : i;
    redraw(renderList);
    redraw(renderDetail);
  }

  function swap(t0) {
    if (state.compare < 0) return;
    var c = state.compare, s = state.selected;
    state.compare = -1;
    choose(c, t0);
    setCompare(s);
  }

  /* ------------------------------------------------------------------ rendering */

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

  /* ------------------------------------------------------------------ the plot */

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

  /* ------------------------------------------------------------------ input */

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
