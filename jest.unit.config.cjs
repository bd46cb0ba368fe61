/**
 * Unit tests: pure code, no Strapi, no database, no browser. Run: npm run test:unit
 *   cms-unit    the plugin's server and shared modules (tests beside the code)
 *   admin-unit  the plugin's admin components (jsdom; cms/admin/jest.config.cjs)
 * The server tests that boot the app are in jest.config.cjs; the site's component tests
 * (another 5 s or so) in web/jest.config.cjs, the web-unit group of npm test.
 */
'use strict';

const admin = require('./cms/admin/jest.config.cjs');

const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      displayName: 'cms-unit',
      rootDir: __dirname,
      roots: ['<rootDir>/cms/server/src', '<rootDir>/cms/shared'],
      testEnvironment: 'node',
      testMatch: ['<rootDir>/cms/server/src/**/*.test.ts', '<rootDir>/cms/shared/**/*.test.ts'],
      transform: { '^.+\\.tsx?$': swc },
    },
    admin,
  ],
};
