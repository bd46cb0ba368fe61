// Launches Debian's Chromium through playwright-core (no downloaded browser builds).
'use strict';

const fs = require('node:fs');

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** WebGL on the CPU: SwiftShader through ANGLE (software, hence `?webgl=force` in the app). */
const WEBGL_ARGS = [
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

/** No WebGL at all, to exercise the CSS fallback. */
const NO_WEBGL_ARGS = ['--disable-gpu', '--disable-webgl', '--disable-3d-apis'];

/**
 * @param {{ webgl: boolean }} options
 * @returns {Promise<import('playwright-core').Browser>}
 */
async function launchChromium({ webgl }) {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with "apt-get install chromium" ` +
        '(or point CHROMIUM_PATH at a Chromium binary).'
    );
  }
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...BASE_ARGS, ...(webgl ? WEBGL_ARGS : NO_WEBGL_ARGS)],
  });
}

module.exports = { launchChromium, CHROMIUM_PATH };
