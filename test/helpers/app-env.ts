/** The environment every test app boots with, before its database's and the test's own variables. */

// The runner passes a fresh random key so the final leak scan can look for it.
export const FOUNDER_KEY =
  process.env.TEST_FOUNDER_KEY ?? 'test-founder-key-0123456789abcdef0123456789abcdef';

/** The history signing key the test apps run with (random per run, scanned for like the founder key). */
export const SIGNING_KEY =
  process.env.TEST_HISTORY_SIGNING_KEY ?? 'test-history-signing-key-0123456789abcdefghijklmnop';

export const APP_ENV = {
  NODE_ENV: 'test',
  STRAPI_TELEMETRY_DISABLED: 'true',
  FOUNDER_KEY,
  HISTORY_SIGNING_KEY: SIGNING_KEY,
};
