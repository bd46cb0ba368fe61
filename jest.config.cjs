/** Server and plugin tests: each file boots the real Strapi app over HTTP (unit tests: jest.unit.config.cjs). */
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

module.exports = {
  displayName: 'cms',
  rootDir: __dirname,
  testEnvironment: 'node',
  // Each file boots Strapi, which leaves objects on globals; Jest 30's default "soft" cleanup
  // re-wraps them for every later file in the same process until the stack overflows.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // A fresh worker process per test file: every file boots its own Strapi, and state a
  // booted Strapi leaves in a process (globals, native handles) must not reach the next file.
  workerIdleMemoryLimit: '1MB',
  // Unit tests beside the plugin's code (cms/server/src, cms/shared) run in jest.unit.config.cjs.
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  // The plugin's bundle (cms/dist, loaded by Strapi) keeps `await import()` for what it
  // loads lazily (@sentry/node): Node runs that from CommonJS, Jest's module sandbox does
  // not without --experimental-vm-modules, so Jest compiles it to require() as well.
  transform: { '^.+\\.tsx?$': swc, '/cms/dist/.+\\.js$': swc },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 60_000,
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cms/dist/', '<rootDir>/.tmp/'],
};
