/* SPDX-License-Identifier: MIT */
/* Part of the page's script (see page.js): the transport and the switch: start, join, the
 * check that keeps the silent elements in step, the crossfade. */

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
