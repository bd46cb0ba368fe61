// Classic WebDriver (WebKit) reports no console messages or page errors, so every page under test
// gets this script first in <head> (web/scripts/lib/static-server.cjs injects it). It records
// console.error calls, uncaught errors, unhandled rejections and failed <script>/<link>/<img>
// loads in sessionStorage, which survives reloads and same-origin navigations in the tab.
/* global window */
'use strict';

const STORAGE_KEY = '__e2eErrors';

const ERROR_CAPTURE_SCRIPT = `(() => {
  const key = ${JSON.stringify(STORAGE_KEY)};
  let errors = [];
  try { errors = JSON.parse(sessionStorage.getItem(key) || '[]'); } catch (_) {}
  const record = (text) => {
    errors.push(text);
    try { sessionStorage.setItem(key, JSON.stringify(errors)); } catch (_) {}
  };
  const describe = (value) => {
    if (value instanceof Error) return value.message;
    if (typeof value === 'string') return value;
    try { return JSON.stringify(value); } catch (_) { return String(value); }
  };
  const consoleError = console.error;
  console.error = function (...args) {
    record('console.error: ' + args.map(describe).join(' '));
    return consoleError.apply(this, args);
  };
  addEventListener('error', (event) => {
    if (event instanceof ErrorEvent) {
      record('pageerror: ' + (event.error ? describe(event.error) : event.message));
    } else if (event.target && event.target !== window && event.target.tagName) {
      const el = event.target;
      record('failed to load: <' + el.tagName.toLowerCase() + '> ' + (el.src || el.href || ''));
    }
  }, true);
  addEventListener('unhandledrejection', (event) => record('unhandledrejection: ' + describe(event.reason)));
  window.__e2eErrorCapture = { errors: () => errors.slice() };
})();`;

/**
 * Runs in the page: the errors recorded so far, or null where the capture script is not on the
 * page (a page that the test's static server did not serve).
 * @returns {string[] | null}
 */
function readCapturedErrors() {
  const capture = window.__e2eErrorCapture;
  return capture ? capture.errors() : null;
}

module.exports = { ERROR_CAPTURE_SCRIPT, readCapturedErrors };
