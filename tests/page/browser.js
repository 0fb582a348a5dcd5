// SPDX-License-Identifier: MIT
// Shared by the page tests and measure.js: Debian's headless chromium (or CANSIM_CHROMIUM)
// through playwright-core, as every one of them starts it.
'use strict';

const { chromium } = require('playwright-core');

// A persistent context in profileDir with the pages' flags (no sandbox, GPU, network services
// or first-run UI; audio may play without a gesture); options (viewport, acceptDownloads, ...)
// go to playwright as they are.
function launchChromium(profileDir, options = {}) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CANSIM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
    ...options,
  });
}

module.exports = { launchChromium };
