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
 * syncTick). Silent means -120 dB, not 0 (see SILENT).
 *
 * The script is this file and the parts that follow it in cli/page/page.cmake's list (entries,
 * player, list, plot, input), put together in that order in one function, which page.js opens
 * and input.js closes: they share its constants, its state and its functions. */
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
