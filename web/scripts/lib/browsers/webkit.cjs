// WebKit (Safari's engine): WebKitGTK's MiniBrowser in automation mode, driven by WebKitWebDriver
// (Debian's webkit2gtk-driver) through selenium-webdriver, on a private Xvfb. Classic WebDriver
// has no console events: errors come only from the injected capture script.
/* global window, requestAnimationFrame */
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { freePort } = require('../../../../scripts/lib/free-port.cjs');
const { createDriverPage } = require('./page.cjs');
const {
  launchMark,
  reapLaunch,
  removeDir,
  spawnTracked,
  stopChild,
  tempDir,
} = require('./processes.cjs');
const { startXvfb, XVFB_PATH } = require('./xvfb.cjs');

const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver';
const MINIBROWSER_PATH =
  process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

const missingWebKit = () => {
  if (!fs.existsSync(WEBKIT_DRIVER_PATH) || !fs.existsSync(MINIBROWSER_PATH)) {
    return (
      `WebKitWebDriver or MiniBrowser is not installed (${WEBKIT_DRIVER_PATH}, ` +
      `${MINIBROWSER_PATH}) (apt-get install webkit2gtk-driver xvfb)`
    );
  }
  if (!fs.existsSync(XVFB_PATH))
    return `Xvfb is not installed at ${XVFB_PATH} (apt-get install xvfb)`;
  return null;
};

async function waitForDriver(url, child) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('WebKitWebDriver did not answer /status within 15 s');
}

/** @param {{ webgl: boolean, reducedMotion: boolean }} options */
async function launchWebKitSession({ webgl, reducedMotion }) {
  const missing = missingWebKit();
  if (missing) throw new Error(missing);
  const { Builder, By, Key } = require('selenium-webdriver');
  const dir = tempDir('webkit');
  const mark = launchMark();
  // A fresh home for GTK and WebKit: no settings, cache or data from an earlier run.
  const env = {
    ...process.env,
    ...mark,
    MESA_SHADER_CACHE_DISABLE: 'true', // nothing to reuse in a fresh profile anyway
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    XDG_DATA_HOME: path.join(dir, 'data'),
  };
  if (reducedMotion) {
    // WebKitGTK answers prefers-reduced-motion from GTK's "enable animations" setting.
    fs.mkdirSync(path.join(env.XDG_CONFIG_HOME, 'gtk-3.0'), { recursive: true });
    fs.writeFileSync(
      path.join(env.XDG_CONFIG_HOME, 'gtk-3.0', 'settings.ini'),
      '[Settings]\ngtk-enable-animations=0\n'
    );
  }
  let xvfb = null;
  let driverProcess = null;
  const stopAll = async () => {
    if (driverProcess) await stopChild(driverProcess);
    await reapLaunch(mark);
    await xvfb?.stop();
    removeDir(dir);
  };
  let url;
  let version;
  try {
    xvfb = await startXvfb();
    env.DISPLAY = xvfb.display;
    version = execFileSync(MINIBROWSER_PATH, ['--version'], { env, encoding: 'utf8' }).trim();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    driverProcess = spawnTracked(WEBKIT_DRIVER_PATH, [`--port=${port}`], {
      stdio: 'ignore',
      env,
    });
    await waitForDriver(url, driverProcess);
  } catch (error) {
    await stopAll();
    throw error;
  }

  const capabilities = {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': {
      binary: MINIBROWSER_PATH,
      args: ['--automation', ...(webgl ? [] : ['--enable-webgl=false'])],
    },
  };
  let openPage = null;

  return {
    engine: 'webkit',
    version: `${version} (MiniBrowser)`,
    protocol: 'classic WebDriver (selenium-webdriver)',
    async newPage({ viewport }) {
      // One MiniBrowser per page: automation sessions are ephemeral, so each page starts with an
      // empty cache and storage, like a new visitor. WebKitWebDriver runs one session at a time.
      await openPage?.close();
      const driver = await new Builder().usingServer(url).withCapabilities(capabilities).build();
      await driver.manage().setTimeouts({ script: 300_000, pageLoad: 60_000 });
      const run = (fn, arg) =>
        driver.executeScript(
          `return (${fn}).apply(null, arguments)`,
          arg === undefined ? null : arg
        );
      // The window size includes MiniBrowser's toolbar: size it, measure the page, correct once.
      const setViewport = async ({ width, height }) => {
        await driver.manage().window().setRect({ width, height });
        const [innerWidth, innerHeight] = await run(() => [window.innerWidth, window.innerHeight]);
        await driver
          .manage()
          .window()
          .setRect({ width: 2 * width - innerWidth, height: 2 * height - innerHeight });
      };
      await setViewport(viewport);
      // Several windows share one WebDriver session, which acts on one window at a time: each
      // page's commands run in turn, in that page's window.
      let queue = Promise.resolve();
      let current = await driver.getWindowHandle();
      let quit = false;
      const inWindow = (handle, task) => {
        const result = queue.then(async () => {
          if (current !== handle) {
            await driver.switchTo().window(handle);
            current = handle;
          }
          return task();
        });
        queue = result.catch(() => undefined);
        return result;
      };
      const wrap = (handle, main) => {
        let closed = false;
        const page = createDriverPage({
          engine: 'webkit',
          capturesConsole: false,
          goto: (target) => inWindow(handle, () => driver.get(target)),
          reload: () => inWindow(handle, () => driver.navigate().refresh()),
          evaluate: (fn, arg) => inWindow(handle, () => run(fn, arg)),
          click: (selector) =>
            inWindow(handle, async () => (await driver.findElement(By.css(selector))).click()),
          fill: (selector, value) =>
            inWindow(handle, async () => {
              const input = await driver.findElement(By.css(selector));
              await input.clear();
              await input.sendKeys(value);
            }),
          press: (key) =>
            inWindow(handle, async () => {
              const actions = driver.actions();
              if (key === 'Shift+Tab') {
                actions.keyDown(Key.SHIFT).sendKeys(Key.TAB).keyUp(Key.SHIFT);
              } else {
                actions.sendKeys({ Tab: Key.TAB, Enter: Key.ENTER, Escape: Key.ESCAPE }[key]);
              }
              await actions.perform();
            }),
          setViewport: (size) => inWindow(handle, () => setViewport(size)),
          // WebKitWebDriver returns the last painted frame: two animation frames later it shows
          // what the test just did (a diff rendered a moment ago, the 3D scene after a resize).
          screenshot: (file) =>
            inWindow(handle, async () => {
              await run(
                () =>
                  new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))
              );
              fs.writeFileSync(file, await driver.takeScreenshot(), 'base64');
            }),
          nativeErrors: () => [],
          jsHeapUsed: async () => null, // classic WebDriver has no heap or GC command
          async newWindow() {
            const other = await inWindow(handle, async () => {
              await driver.switchTo().newWindow('window');
              current = await driver.getWindowHandle();
              await setViewport(viewport);
              return current;
            });
            return wrap(other, false);
          },
          async close() {
            if (closed || quit) return;
            closed = true;
            if (!main) {
              await inWindow(handle, () => driver.close());
              return;
            }
            quit = true;
            if (openPage === page) openPage = null;
            await queue;
            await driver.quit();
          },
        });
        return page;
      };
      const page = wrap(current, true);
      openPage = page;
      return page;
    },
    async close() {
      // A page whose web process hung never finishes closing (its pending command never answers,
      // and WebDriver cannot time it out): give it 10 s, then stop the processes regardless.
      const closing = (openPage?.close() ?? Promise.resolve()).catch(() => undefined);
      let timer;
      try {
        await Promise.race([
          closing,
          new Promise((resolve) => (timer = setTimeout(resolve, 10_000))),
        ]);
      } finally {
        clearTimeout(timer);
        await stopAll();
      }
    },
  };
}

module.exports = { launchWebKitSession, missingWebKit, MINIBROWSER_PATH, WEBKIT_DRIVER_PATH };
