// Two Jest projects: fast jsdom component tests, and real-browser tests against a production build
// (Debian's Chromium, Firefox ESR or WebKitGTK: E2E_BROWSER, see web/scripts/lib/browsers.cjs).
// Run: npx jest -c web/jest.config.cjs --runInBand
'use strict';

const swc = (tsx) => [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', tsx },
      transform: tsx ? { react: { runtime: 'automatic' } } : undefined,
    },
    module: { type: 'commonjs' },
  },
];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'web-unit',
      rootDir: __dirname,
      roots: ['<rootDir>/src', '<rootDir>/test/unit'],
      testEnvironment: 'jsdom',
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.(t|j)sx?$': swc(true) },
      // import.meta.env exists only under Vite; tests get plain values instead.
      moduleNameMapper: { '/buildEnv$': '<rootDir>/test/unit/support/buildEnv.ts' },
      setupFilesAfterEnv: ['<rootDir>/test/unit/support/setup.ts'],
    },
    {
      displayName: 'web-e2e',
      rootDir: __dirname,
      roots: ['<rootDir>/test/e2e'],
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc(false) },
      // puppeteer-core (Firefox's driver) ships ES modules only, which Jest cannot require() on
      // Node 20: compile it to CommonJS like the tests. Same list in test/e2e/jest.config.cjs.
      transformIgnorePatterns: [
        '/node_modules/(?!(puppeteer-core|@puppeteer/browsers|chromium-bidi)/)',
      ],
    },
  ],
};
