/** Real-browser tests of the admin (Debian chromium + playwright-core). Slow: run in band. */
const path = require('node:path');

const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  displayName: 'admin-e2e',
  rootDir: path.resolve(__dirname, '../..'),
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
  transform: { '^.+\\.tsx?$': swc },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 300_000,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cms/dist/', '<rootDir>/.tmp/'],
};
