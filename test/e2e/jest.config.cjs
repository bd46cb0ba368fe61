/**
 * Real-browser tests of the admin (Debian's Chromium, Firefox ESR or WebKitGTK, launched by
 * web/scripts/lib/browsers.cjs; E2E_BROWSER picks the smoke test's engine). Slow: run in band.
 */
const path = require('node:path');

const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  displayName: 'admin-e2e',
  rootDir: path.resolve(__dirname, '../..'),
  testEnvironment: 'node',
  // Each file boots Strapi, which leaves objects on globals; Jest 30's default "soft" cleanup
  // re-wraps them for every later file in the same process until the stack overflows.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // A fresh worker process per test file: every file boots its own Strapi, and state a
  // booted Strapi leaves in a process (globals, native handles) must not reach the next file.
  workerIdleMemoryLimit: '1MB',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
  // puppeteer-core (Firefox's driver) ships ES modules only, which Jest cannot require() on
  // Node 20: compile it to CommonJS too. Same list in web/jest.config.cjs.
  // The plugin's bundle too: its lazy `await import()` needs require() in Jest (jest.config.cjs).
  transform: { '^.+\\.tsx?$': swc, '/node_modules/.+\\.js$': swc, '/cms/dist/.+\\.js$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(puppeteer-core|@puppeteer/browsers|chromium-bidi)/)',
  ],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 300_000,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cms/dist/', '<rootDir>/.tmp/'],
};
