// The engine-neutral half of a driver page: waiting, and errors from both the engine's own events
// (where it has them) and the injected capture script (everywhere). Each engine supplies the
// primitives (navigate, evaluate, click, keys, viewport, screenshot, close).
/* global document, getComputedStyle */
'use strict';

const { readCapturedErrors } = require('./errorCapture.cjs');

const DEFAULT_TIMEOUT = 30_000;
const POLL_MS = 100;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs in the page: is the element there, rendered and not hidden? */
function isVisible(selector) {
  const el = document.querySelector(selector);
  if (!el) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/**
 * @param {object} engine primitives: engine, goto, reload, evaluate, click, fill, press,
 *   setViewport, screenshot, nativeErrors, jsHeapUsed, newWindow, close; `capturesConsole`:
 *   whether the engine reports console errors itself (without the injected script)
 */
function createDriverPage(engine) {
  const page = {
    engine: engine.engine,
    goto: (url) => engine.goto(url),
    reload: () => engine.reload(),
    evaluate: (fn, arg) => engine.evaluate(fn, arg),

    /** Polls `fn` in the page (the same way in every engine) until it returns something truthy. */
    async waitForFunction(fn, arg, { timeout = DEFAULT_TIMEOUT } = {}) {
      const deadline = Date.now() + timeout;
      let lastError;
      for (;;) {
        try {
          const value = await engine.evaluate(fn, arg);
          if (value) return value;
        } catch (error) {
          lastError = error; // e.g. between two documents while navigating
        }
        if (Date.now() > deadline) {
          const why = lastError ? ` (last error: ${lastError.message})` : '';
          throw new Error(
            `[${engine.engine}] timed out after ${timeout} ms waiting for ${fn}${why}`
          );
        }
        await sleep(POLL_MS);
      }
    },

    waitForSelector(selector, { timeout } = {}) {
      return page.waitForFunction(isVisible, selector, { timeout });
    },

    /** A real click from the engine's input pipeline, once the element is visible. */
    async click(selector, { timeout } = {}) {
      await page.waitForSelector(selector, { timeout });
      await engine.click(selector);
    },

    /** Replaces an input's value by typing it. */
    async fill(selector, value, { timeout } = {}) {
      await page.waitForSelector(selector, { timeout });
      await engine.fill(selector, value);
    },

    /** 'Tab', 'Shift+Tab', 'Enter' or 'Escape', sent to the focused element. */
    press: (key) => engine.press(key),
    setViewport: (size) => engine.setViewport(size),
    screenshot: (file) => engine.screenshot(file),

    /**
     * console.error calls and uncaught errors since the page opened, from the injected capture
     * script and, in engines that report them, the engine's own console events. Throws where
     * neither is available, rather than answer "no errors" without having looked.
     */
    async errors() {
      const captured = await engine.evaluate(readCapturedErrors);
      if (captured === null && !engine.capturesConsole) {
        throw new Error(
          `[${engine.engine}] cannot read console errors: the page lacks the injected capture ` +
            'script (see web/scripts/lib/browsers/errorCapture.cjs)'
        );
      }
      return [...new Set([...engine.nativeErrors(), ...(captured ?? [])])];
    },

    /** Bytes of JS heap in use after a full GC; null where the engine cannot measure it. */
    jsHeapUsed: () => engine.jsHeapUsed(),
    /** Another window of the same visitor (same storage, cache, BroadcastChannel, Web Locks). */
    newWindow: () => engine.newWindow(),
    close: () => engine.close(),
  };
  return page;
}

module.exports = { createDriverPage, DEFAULT_TIMEOUT };
