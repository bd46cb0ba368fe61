// Chromium (Chrome's and Edge's engine): Debian's /usr/bin/chromium through playwright-core over
// CDP. playwright gives every launch a fresh temporary --user-data-dir and deletes it on close.
'use strict';

const fs = require('node:fs');
const { createDriverPage } = require('./page.cjs');
const { launchMark, reapLaunch } = require('./processes.cjs');

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

/** No WebGL at all, to exercise the CSS fallback (and no GPU process for the admin). */
const NO_WEBGL_ARGS = ['--disable-gpu', '--disable-webgl', '--disable-3d-apis'];

const missingChromium = () =>
  fs.existsSync(CHROMIUM_PATH)
    ? null
    : `chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;

/**
 * The playwright Browser itself, for tests written against playwright's API.
 * @param {{ webgl?: boolean }} [options]
 */
async function launchChromium({ webgl = false } = {}) {
  const missing = missingChromium();
  if (missing) throw new Error(missing);
  const { chromium } = require('playwright-core');
  const mark = launchMark();
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...BASE_ARGS, ...(webgl ? WEBGL_ARGS : NO_WEBGL_ARGS)],
    env: { ...process.env, ...mark },
  });
  // close() also waits for Chromium's helper processes to be gone.
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    await close(options);
    await reapLaunch(mark);
  };
  return browser;
}

const KEYS = { Tab: 'Tab', 'Shift+Tab': 'Shift+Tab', Enter: 'Enter', Escape: 'Escape' };

/** The driver page around one playwright page; the first page of a context owns (closes) it. */
function wrapPage(context, page, ownsContext) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return createDriverPage({
    engine: 'chromium',
    capturesConsole: true,
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    reload: async () => void (await page.reload({ waitUntil: 'load' })),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    fill: (selector, value) => page.fill(selector, value),
    press: (key) => page.keyboard.press(KEYS[key]),
    setViewport: (size) => page.setViewportSize(size),
    screenshot: async (file) => void (await page.screenshot({ path: file })),
    nativeErrors: () => errors.slice(),
    async jsHeapUsed() {
      const cdp = await context.newCDPSession(page);
      try {
        await cdp.send('HeapProfiler.collectGarbage');
        return (await cdp.send('Runtime.getHeapUsage')).usedSize;
      } finally {
        await cdp.detach();
      }
    },
    // A window of the same context: same storage and cache, like a second tab.
    newWindow: async () => wrapPage(context, await context.newPage(), false),
    close: () => (ownsContext ? context.close() : page.close()),
  });
}

/** @param {{ webgl: boolean, reducedMotion: boolean }} options */
async function launchChromiumSession({ webgl, reducedMotion }) {
  const browser = await launchChromium({ webgl });
  return {
    engine: 'chromium',
    version: `Chromium ${browser.version()}`,
    protocol: 'CDP (playwright-core)',
    async newPage({ viewport }) {
      // Own context per page: its own HTTP cache and storage, like a new visitor.
      const context = await browser.newContext({
        viewport,
        deviceScaleFactor: 1,
        reducedMotion: reducedMotion ? 'reduce' : 'no-preference',
      });
      return wrapPage(context, await context.newPage(), true);
    },
    close: () => browser.close(),
  };
}

module.exports = { launchChromium, launchChromiumSession, missingChromium, CHROMIUM_PATH };
