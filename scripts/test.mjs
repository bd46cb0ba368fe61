#!/usr/bin/env node
// `npm test`: every test suite of the project, in groups.
//   plugin-package - the plugin's npm package: `npm test -w cms` (`npm pack --dry-run`, then
//               `strapi-plugin verify`); test/package/pack.test.ts checks the listing in `cms`
//   cms       - the plugin and host app over HTTP (SQLite, or the database DATABASE_URL names)
//   cms-on-postgres - the same suite again on PostgreSQL (127.0.0.1:5432)
//   cms-on-mariadb  - the same suite again on MySQL/MariaDB (127.0.0.1:3306)
//   postgres  - tests that need PostgreSQL whatever DATABASE_URL says (*.pg.test.ts)
//   stack     - the deploy rehearsal through real nginx, two instances, PostgreSQL (*.stack.test.ts)
//   compose   - docker-compose.yml and the deploy files, checked with docker-compose (*.compose.test.ts)
//   unit      - the plugin's unit tests, no Strapi (`npm run test:unit`): server and shared
//               modules (tests beside the code) and the admin's components (jsdom)
//   web-unit  - the frontend's component tests (jsdom)
//   web-e2e-chromium, web-e2e-firefox, web-e2e-webkit
//             - the frontend's real-browser suite, once per engine (TEST_GROUPS=web-e2e: all three)
//   admin-e2e - the real app in Chromium: the admin panel's full flow, the smoke test below,
//               and the built site following the app's live settings
//   admin-smoke-firefox, admin-smoke-webkit
//             - the smoke test (sign in, Settings history, a diff) in the other engines
//   vanilla-app - the packed plugin installed into a fresh create-strapi-app app, built,
//               started in production and run through the REST contract (*.vanilla.test.ts;
//               needs the npm registry; see docs/playground.md)
// A group whose service is missing (no PostgreSQL on 127.0.0.1:5432, no MariaDB on
// 127.0.0.1:3306, no nginx, no docker-compose, no browser: see web/scripts/lib/browsers.cjs,
// no npm registry)
// is reported as NOT RUN — never as passed — and fails the run when CI=true or
// TEST_REQUIRE_ALL=1. A group whose jest config file does not exist is a defect of the
// repository, not of the machine: it is listed as MISSING CONFIG and always fails the run.
// A check an engine cannot make is a skipped test, listed as
// LIMITATION at the end. Each group's wall time is printed. A response that
// docs/openapi.json does not describe fails its test and is listed as UNDOCUMENTED at
// the end (test/helpers/openapi.ts). A browser check run again because the browser itself
// stopped answering is listed as RETRIED (web/test/e2e/support/browser.ts). TEST_GROUPS=a,b
// runs only those groups. Extra arguments go to every jest run.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { ENGINES, missingBrowser } = require('../web/scripts/lib/browsers.cjs');
const { freePort } = require('./lib/free-port.cjs');
process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const requireAll = process.env.CI === 'true' || process.env.TEST_REQUIRE_ALL === '1';
const extraArgs = process.argv.slice(2);
const only = process.env.TEST_GROUPS ? process.env.TEST_GROUPS.split(',') : null;

const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const mysqlUrl = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const canReach = (url) =>
  new Promise((resolve) => {
    const { hostname, port, protocol } = new URL(url);
    const defaultPort = protocol.startsWith('mysql') ? 3306 : 5432;
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

// Server suites run with a fresh random founder key and history signing key and
// capture every log line and response; the last group scans those captures for both.
process.env.TEST_FOUNDER_KEY ??= randomBytes(36).toString('base64url');
process.env.TEST_FOUNDER_KEY_PREVIOUS ??= randomBytes(36).toString('base64url');
process.env.TEST_HISTORY_SIGNING_KEY ??= randomBytes(36).toString('base64url');
process.env.TEST_CAPTURE_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'ps-capture-'));

const onServerDatabase = Boolean(process.env.DATABASE_URL);
const hasPostgres = await canReach(postgresUrl);
const hasMysql = await canReach(mysqlUrl);
const onPath = (command) =>
  (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && fs.existsSync(path.join(dir, command)));
const hasNginx = fs.existsSync(process.env.NGINX_PATH ?? '/usr/sbin/nginx');
const hasCompose = onPath('docker-compose');
// npm's own ping, so its registry, proxy and TLS settings decide (a few seconds at most).
const hasRegistry = () =>
  spawnSync('npm', ['ping', '--fetch-timeout=5000', '--fetch-retries=0'], {
    stdio: 'ignore',
    timeout: 15_000,
  }).status === 0;
const serverSuite = [
  '--testPathIgnorePatterns',
  '\\.(pg|stack|compose|vanilla)\\.test\\.ts$',
  '/test/e2e/',
  '/node_modules/',
];
// Server test files whose subject does not depend on the database the suite runs on: they run
// in the `cms` group only, not again in cms-on-postgres and cms-on-mariadb. Each either touches
// no database or makes its own SQLite file whatever DATABASE_URL says (for SQLite-specific SQL),
// so a re-run would repeat the very same test.
const databaseIndependent = [
  'test/api/openapi-checker.test.ts', // the response checker itself, against made-up documents
  'test/package/pack.test.ts', // the plugin's npm package listing
  'test/startup/refuse-to-start.test.ts', // refusals before the database is opened (SQLite)
  'test/ops/observability.test.ts', // metrics, logs, alert rules (SQLite on purpose)
];
const serverSuiteOnAnotherDatabase = [
  ...serverSuite,
  ...databaseIndependent.map((file) => `<rootDir>/${file.replace(/\./g, '\\.')}$`),
];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timings = [];

// The web e2e groups share one production build of the site (built against a stub API port
// chosen here; see web/test/e2e/support/site.ts) instead of building it once per engine.
let webSite = null;
const prebuildWebSite = async () => {
  if (webSite) return;
  const started = Date.now();
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-e2e-site-'));
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const result = spawnSync(
    process.execPath,
    ['web/scripts/build.mjs', '--out-dir', outDir, '--api-url', apiUrl],
    {
      cwd: root,
      stdio: 'inherit',
      // As web/test/e2e/support/site.ts builds it: the default WebGL check, and window.__hero3d.
      env: { ...process.env, VITE_ALLOW_SOFTWARE_WEBGL: '', VITE_HERO_DIAGNOSTICS: 'true' },
    }
  );
  webSite = { outDir };
  timings.push(['(web e2e site build)', Date.now() - started]);
  // On failure each group builds for itself, and reports the error.
  if (result.status === 0) {
    process.env.WEB_E2E_PREBUILT_DIR = outDir;
    process.env.WEB_E2E_PREBUILT_API_URL = apiUrl;
  }
};

const groups = [
  {
    // Not a jest run: the plugin SDK's own checks of the package, before anything boots.
    name: 'plugin-package',
    command: ['npm', 'test', '-w', 'cms'],
    missing: null,
  },
  {
    name: 'cms',
    config: 'jest.config.cjs',
    args: serverSuite,
    // Each file's fresh database is a copy of one with the app's tables already made
    // (test/helpers/schema-template.ts), instead of Strapi making them again per file.
    env: { TEST_SCHEMA_TEMPLATE: '1' },
    missing:
      onServerDatabase && !(await canReach(process.env.DATABASE_URL))
        ? 'the database DATABASE_URL names is not reachable'
        : null,
  },
  {
    name: 'cms-on-postgres',
    config: 'jest.config.cjs',
    args: serverSuiteOnAnotherDatabase,
    env: { DATABASE_URL: postgresUrl, TEST_SCHEMA_TEMPLATE: '1' },
    // With cms-on-mariadb: each waits on its own database server much of the time.
    together: 'other-databases',
    enabled: !onServerDatabase,
    missing: hasPostgres ? null : `PostgreSQL is not reachable at ${new URL(postgresUrl).host}`,
  },
  {
    name: 'cms-on-mariadb',
    config: 'jest.config.cjs',
    args: serverSuiteOnAnotherDatabase,
    env: { DATABASE_URL: mysqlUrl, TEST_SCHEMA_TEMPLATE: '1' },
    together: 'other-databases',
    enabled: !onServerDatabase,
    missing: hasMysql ? null : `MySQL/MariaDB is not reachable at ${new URL(mysqlUrl).host}`,
  },
  {
    name: 'postgres',
    config: 'jest.config.cjs',
    args: ['--testPathPatterns', '\\.pg\\.test\\.ts$'],
    missing: hasPostgres ? null : `PostgreSQL is not reachable at ${new URL(postgresUrl).host}`,
  },
  {
    name: 'stack',
    config: 'jest.config.cjs',
    args: ['--testPathPatterns', '\\.stack\\.test\\.ts$'],
    missing: !hasNginx
      ? 'nginx is not installed (apt-get install nginx)'
      : hasPostgres
        ? null
        : `PostgreSQL is not reachable at ${new URL(postgresUrl).host}`,
  },
  {
    name: 'compose',
    config: 'jest.config.cjs',
    args: ['--testPathPatterns', '\\.compose\\.test\\.ts$'],
    missing: hasCompose ? null : 'docker-compose is not installed (apt-get install docker-compose)',
  },
  {
    // Only meaningful right after the server suites have filled the captures.
    name: 'key-leak-scan',
    config: 'jest.config.cjs',
    args: [
      '--testMatch',
      '<rootDir>/test/security/*.scan.ts',
      '--testPathIgnorePatterns',
      '/node_modules/',
    ],
    enabled: !only || only.includes('cms'),
    alwaysWithCms: true,
    missing: null,
  },
  { name: 'unit', config: 'jest.unit.config.cjs', args: [], missing: null },
  {
    name: 'web-unit',
    config: 'web/jest.config.cjs',
    args: ['--selectProjects', 'web-unit'],
    missing: null,
  },
  ...ENGINES.map((engine) => ({
    name: `web-e2e-${engine}`,
    family: 'web-e2e',
    config: 'web/jest.config.cjs',
    args: ['--selectProjects', 'web-e2e'],
    env: { E2E_BROWSER: engine },
    prepare: prebuildWebSite,
    missing: missingBrowser(engine),
  })),
  {
    // Chromium: the admin's full flow, and the smoke test below (one jest run, one compile).
    name: 'admin-e2e',
    config: 'test/e2e/jest.config.cjs',
    args: [],
    env: { E2E_BROWSER: 'chromium' },
    missing: missingBrowser('chromium'),
  },
  ...ENGINES.filter((engine) => engine !== 'chromium').map((engine) => ({
    name: `admin-smoke-${engine}`,
    family: 'admin-smoke',
    config: 'test/e2e/jest.config.cjs',
    args: ['--testPathPatterns', 'admin-smoke\\.e2e'],
    env: { E2E_BROWSER: engine },
    missing: missingBrowser(engine),
  })),
  {
    name: 'vanilla-app',
    config: 'jest.config.cjs',
    args: ['--testPathPatterns', '\\.vanilla\\.test\\.ts$'],
    // Asked only when the group's turn comes (a getter), so other runs never wait on npm.
    get missing() {
      return hasRegistry() ? null : 'the npm registry is not reachable (npm ping)';
    },
  },
].filter(
  (group) =>
    group.enabled !== false &&
    (!only || only.includes(group.name) || only.includes(group.family) || group.alwaysWithCms)
);

const totals = { passed: 0, failed: 0, skipped: 0 };
const notRun = [];
const missingConfigs = [];
const limitations = [];
const undocumented = [];
const retries = [];
let failedGroups = 0;
const jest = path.join(root, 'node_modules', '.bin', 'jest');

/** Moves the lines a group's tests wrote to `file` into `into`, each named with the group. */
function collectLines(file, groupName, into) {
  if (!fs.existsSync(file)) return;
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  into.push(...lines.map((line) => `${groupName}: ${line}`));
  fs.rmSync(file);
}

/**
 * Runs one group to its end. `log`: a file to write its output to (a group run next to another,
 * printed once both are done) instead of this terminal.
 */
async function runGroup(group, log) {
  const fd = log ? fs.openSync(log, 'w') : null;
  const stdio = fd === null ? 'inherit' : ['ignore', fd, fd];
  const started = Date.now();
  const finished = (status) => {
    if (fd !== null) fs.closeSync(fd);
    timings.push([group.name, Date.now() - started]);
    if (!log) console.log(`--- ${group.name}: ${seconds(Date.now() - started)}`);
    if (status !== 0) failedGroups += 1;
  };
  if (group.command) {
    const [command, ...args] = group.command;
    finished(await run(command, args, { cwd: root, stdio, env: process.env }));
    return;
  }
  const report = path.join(os.tmpdir(), `jest-${group.name}-${process.pid}.json`);
  const limitationsFile = path.join(os.tmpdir(), `limitations-${group.name}-${process.pid}.txt`);
  const openapiReport = path.join(os.tmpdir(), `undocumented-${group.name}-${process.pid}.txt`);
  const retriesFile = path.join(os.tmpdir(), `retries-${group.name}-${process.pid}.txt`);
  const status = await run(
    jest,
    [
      '-c',
      group.config,
      '--maxWorkers=1',
      '--json',
      '--outputFile',
      report,
      ...group.args,
      ...extraArgs,
    ],
    {
      cwd: root,
      stdio,
      env: {
        ...process.env,
        ...group.env,
        TEST_LIMITATIONS_FILE: limitationsFile,
        TEST_OPENAPI_REPORT: openapiReport,
        TEST_RETRIES_FILE: retriesFile,
      },
    }
  );
  finished(status);
  collectLines(limitationsFile, group.name, limitations);
  collectLines(openapiReport, group.name, undocumented);
  collectLines(retriesFile, group.name, retries);
  if (fs.existsSync(report)) {
    const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += summary.numPassedTests;
    totals.failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
    totals.skipped += summary.numPendingTests + summary.numTodoTests;
    fs.rmSync(report);
  }
}

/** A child process's exit status (1 when it could not start or was killed). */
const run = (command, args, options) =>
  new Promise((resolve) => {
    const child = spawn(command, args, options);
    child.once('error', () => resolve(1));
    child.once('exit', (code) => resolve(code ?? 1));
  });

const runnable = [];
for (const group of groups) {
  if (group.config && !fs.existsSync(path.join(root, group.config))) {
    missingConfigs.push(`${group.name}: ${group.config} does not exist`);
  } else if (group.missing) {
    notRun.push(`${group.name}: ${group.missing}`);
  } else {
    runnable.push(group);
  }
}

for (let index = 0; index < runnable.length; index += 1) {
  const group = runnable[index];
  // Consecutive groups of one `together` batch run at the same time, each printed whole once all
  // are done.
  let end = index + 1;
  while (group.together && runnable[end]?.together === group.together) end += 1;
  const consecutive = runnable.slice(index, end);
  index = end - 1;
  if (consecutive.length === 1) {
    await group.prepare?.();
    console.log(`\n=== ${group.name} ===`);
    await runGroup(group);
    continue;
  }
  const names = consecutive.map((other) => other.name).join(' + ');
  console.log(`\n=== ${names} (at the same time; each printed when all are done) ===`);
  const started = Date.now();
  const logs = consecutive.map((other) =>
    path.join(os.tmpdir(), `group-${other.name}-${process.pid}.log`)
  );
  for (const other of consecutive) await other.prepare?.();
  await Promise.all(consecutive.map((other, i) => runGroup(other, logs[i])));
  consecutive.forEach((other, i) => {
    console.log(`\n=== ${other.name} ===`);
    process.stdout.write(fs.readFileSync(logs[i], 'utf8'));
    fs.rmSync(logs[i]);
    const [, ms] = timings.find(([name]) => name === other.name);
    console.log(`--- ${other.name}: ${seconds(ms)}`);
  });
  timings.push([`(${names}: wall time)`, Date.now() - started]);
}

if (webSite) fs.rmSync(webSite.outDir, { recursive: true, force: true });

console.log('');
if (timings.length > 0) {
  console.log('Wall time per group:');
  const width = Math.max(...timings.map(([name]) => name.length));
  for (const [name, ms] of timings) console.log(`  ${name.padEnd(width)}  ${seconds(ms)}`);
  console.log('');
}
for (const line of limitations) console.log(`LIMITATION ${line}`);
for (const line of undocumented) console.log(`UNDOCUMENTED ${line}`);
for (const line of retries) console.log(`RETRIED ${line}`);
for (const line of notRun) console.log(`NOT RUN ${line}`);
for (const line of missingConfigs) console.log(`MISSING CONFIG ${line}`);
if (notRun.length > 0 && !requireAll) {
  console.log('(Those groups were not run and are not counted as passed. CI runs them all.)');
}
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`
);
const failed =
  failedGroups > 0 ||
  totals.failed > 0 ||
  missingConfigs.length > 0 ||
  (requireAll && notRun.length > 0);
process.exit(failed ? 1 : 0);
