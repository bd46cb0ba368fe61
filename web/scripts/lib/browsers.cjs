// The one place that launches browsers, for the web e2e tests, the admin e2e tests and the bench:
// Chromium, Firefox ESR and WebKit from Debian packages (never downloaded builds), each behind the
// same small driver interface (see browsers.d.cts). Each launch gets a fresh profile, and its own
// Xvfb where the engine needs a display; close() stops and removes all of it.
'use strict';

const { ERROR_CAPTURE_SCRIPT } = require('./browsers/errorCapture.cjs');
const {
  launchChromium,
  launchChromiumSession,
  missingChromium,
} = require('./browsers/chromium.cjs');
const { launchFirefoxSession, missingFirefox } = require('./browsers/firefox.cjs');
const { launchWebKitSession, missingWebKit } = require('./browsers/webkit.cjs');

const ENGINES = ['chromium', 'firefox', 'webkit'];

const engines = {
  chromium: { launch: launchChromiumSession, missing: missingChromium },
  firefox: { launch: launchFirefoxSession, missing: missingFirefox },
  webkit: { launch: launchWebKitSession, missing: missingWebKit },
};

const DEFAULT_VIEWPORT = { width: 1280, height: 720 };

const engineOf = (name) => {
  const engine = engines[name];
  if (!engine) throw new Error(`Unknown browser engine "${name}" (one of ${ENGINES.join(', ')})`);
  return engine;
};

/** Why `engine` cannot run on this machine (with the apt-get command that fixes it), or null. */
const missingBrowser = (engine) => engineOf(engine).missing();

/**
 * @param {'chromium' | 'firefox' | 'webkit'} engine
 * @param {{ webgl?: boolean, reducedMotion?: boolean }} [options]
 */
async function launchBrowser(engine, { webgl = false, reducedMotion = false } = {}) {
  const session = await engineOf(engine).launch({ webgl, reducedMotion });
  const newPage = session.newPage.bind(session);
  session.newPage = ({ viewport = DEFAULT_VIEWPORT } = {}) => newPage({ viewport });
  return session;
}

module.exports = {
  ENGINES,
  ERROR_CAPTURE_SCRIPT,
  launchBrowser,
  launchChromium,
  missingBrowser,
};
