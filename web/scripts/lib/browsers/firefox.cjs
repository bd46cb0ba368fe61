// Firefox ESR (Debian's firefox-esr) through puppeteer-core over WebDriver BiDi. Headless Firefox
// has no WebGL, so a WebGL launch runs headed on a private Xvfb, with `webgl.force-enabled`
// because Firefox blocklists the software renderer (Mesa llvmpipe) otherwise.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createDriverPage } = require('./page.cjs');
const { launchMark, reapLaunch, removeDir, tempDir } = require('./processes.cjs');
const { startXvfb, XVFB_PATH } = require('./xvfb.cjs');

const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

const missingFirefox = () => {
  if (!fs.existsSync(FIREFOX_PATH)) {
    return `firefox-esr is not installed at ${FIREFOX_PATH} (apt-get install firefox-esr xvfb)`;
  }
  if (!fs.existsSync(XVFB_PATH))
    return `Xvfb is not installed at ${XVFB_PATH} (apt-get install xvfb)`;
  return null;
};

/** The driver page around one puppeteer page; the first page of a context owns (closes) it. */
function wrapPage(context, page, viewport, ownsContext) {
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return createDriverPage({
    engine: 'firefox',
    capturesConsole: true,
    goto: async (url) => void (await page.goto(url, { waitUntil: 'load' })),
    reload: async () => void (await page.reload({ waitUntil: 'load' })),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    click: (selector) => page.click(selector),
    async fill(selector, value) {
      await page.$eval(selector, (el) => el.select());
      await page.type(selector, value);
    },
    async press(key) {
      if (key === 'Shift+Tab') {
        await page.keyboard.down('Shift');
        await page.keyboard.press('Tab');
        await page.keyboard.up('Shift');
      } else {
        await page.keyboard.press(key);
      }
    },
    setViewport: (size) => page.setViewport(size),
    screenshot: async (file) => void (await page.screenshot({ path: file })),
    nativeErrors: () => errors.slice(),
    jsHeapUsed: async () => null, // no heap API over BiDi, and no CDP in Firefox
    // Its own window, not a tab: a background tab would be hidden (visibilityState).
    async newWindow() {
      const other = await context.newPage({ type: 'window' });
      await other.setViewport(viewport);
      return wrapPage(context, other, viewport, false);
    },
    close: () => (ownsContext ? context.close() : page.close()),
  });
}

/** @param {{ webgl: boolean, reducedMotion: boolean }} options */
async function launchFirefoxSession({ webgl, reducedMotion }) {
  const missing = missingFirefox();
  if (missing) throw new Error(missing);
  const puppeteer = require('puppeteer-core');
  const dir = tempDir('firefox');
  const mark = launchMark();
  let xvfb = null;
  let browser;
  try {
    xvfb = webgl ? await startXvfb() : null;
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: !xvfb,
      userDataDir: path.join(dir, 'profile'),
      env: {
        ...process.env,
        ...mark,
        MESA_SHADER_CACHE_DISABLE: 'true',
        ...(xvfb ? { DISPLAY: xvfb.display } : {}),
      },
      extraPrefsFirefox: {
        ...(webgl ? { 'webgl.force-enabled': true } : { 'webgl.disabled': true }),
        // BiDi has no media-feature emulation; this pref is what the OS setting maps to.
        ...(reducedMotion ? { 'ui.prefersReducedMotion': 1 } : {}),
      },
    });
  } catch (error) {
    await reapLaunch(mark);
    await xvfb?.stop();
    removeDir(dir);
    throw error;
  }
  const version = await browser.version();

  return {
    engine: 'firefox',
    version: version.replace(/^firefox\//i, 'Firefox '),
    protocol: 'WebDriver BiDi (puppeteer-core)',
    async newPage({ viewport }) {
      // Own user context per page: its own cache and storage, like a new visitor.
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(viewport);
      return wrapPage(context, page, viewport, true);
    },
    async close() {
      try {
        await browser.close();
      } finally {
        await reapLaunch(mark);
        await xvfb?.stop();
        removeDir(dir);
      }
    },
  };
}

module.exports = { launchFirefoxSession, missingFirefox, FIREFOX_PATH };
