#!/usr/bin/env node
// `npm test`: every test suite of the project, in groups.
//   cms       - the plugin and host app over HTTP (SQLite, or the database DATABASE_URL names)
//   cms-on-postgres - the same suite again on PostgreSQL (127.0.0.1:5432)
//   cms-on-mariadb  - the same suite again on MySQL/MariaDB (127.0.0.1:3306)
//   postgres  - tests that need PostgreSQL whatever DATABASE_URL says (*.pg.test.ts)
//   stack     - the deploy rehearsal through real nginx, two instances, PostgreSQL (*.stack.test.ts)
//   compose   - docker-compose.yml and the deploy files, checked with docker-compose (*.compose.test.ts)
//   web       - the frontend's component tests and its real-browser tests
//   admin-e2e - the admin panel in a real browser
// A group whose service is missing (no PostgreSQL on 127.0.0.1:5432, no MariaDB
// on 127.0.0.1:3306, no /usr/bin/chromium) is reported as NOT RUN — never as
// passed — and fails the run when CI=true or TEST_REQUIRE_ALL=1.
// TEST_GROUPS=a,b runs only those groups. Extra arguments go to every jest run.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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
process.env.TEST_HISTORY_SIGNING_KEY ??= randomBytes(36).toString('base64url');
process.env.TEST_CAPTURE_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'ps-capture-'));

const onServerDatabase = Boolean(process.env.DATABASE_URL);
const hasPostgres = await canReach(postgresUrl);
const hasMysql = await canReach(mysqlUrl);
const hasChromium = fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
const serverSuite = [
  '--testPathIgnorePatterns',
  '\\.pg\\.test\\.ts$',
  '/test/e2e/',
  '/node_modules/',
];

const groups = [
  {
    name: 'cms',
    config: 'jest.config.cjs',
    args: serverSuite,
    missing:
      onServerDatabase && !(await canReach(process.env.DATABASE_URL))
        ? 'the database DATABASE_URL names is not reachable'
        : null,
  },
  {
    name: 'cms-on-postgres',
    config: 'jest.config.cjs',
    args: serverSuite,
    env: { DATABASE_URL: postgresUrl },
    enabled: !onServerDatabase,
    missing: hasPostgres ? null : `PostgreSQL is not reachable at ${new URL(postgresUrl).host}`,
  },
  {
    name: 'cms-on-mariadb',
    config: 'jest.config.cjs',
    args: serverSuite,
    env: { DATABASE_URL: mysqlUrl },
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
  { name: 'admin-unit', config: 'cms/admin/jest.config.cjs', args: [], missing: null },
  {
    name: 'web-unit',
    config: 'web/jest.config.cjs',
    args: ['--selectProjects', 'web-unit'],
    missing: null,
  },
  {
    name: 'web-e2e',
    config: 'web/jest.config.cjs',
    args: ['--selectProjects', 'web-e2e'],
    missing: hasChromium
      ? null
      : 'chromium is not installed at /usr/bin/chromium (apt-get install chromium)',
  },
  {
    name: 'admin-e2e',
    config: 'test/e2e/jest.config.cjs',
    args: [],
    missing: hasChromium
      ? null
      : 'chromium is not installed at /usr/bin/chromium (apt-get install chromium)',
  },
].filter(
  (group) => group.enabled !== false && (!only || only.includes(group.name) || group.alwaysWithCms)
);

const totals = { passed: 0, failed: 0, skipped: 0 };
const notRun = [];
let failedGroups = 0;
const jest = path.join(root, 'node_modules', '.bin', 'jest');

for (const group of groups) {
  if (!fs.existsSync(path.join(root, group.config))) continue;
  if (group.missing) {
    notRun.push(`${group.name}: ${group.missing}`);
    continue;
  }
  console.log(`\n=== ${group.name} ===`);
  const report = path.join(os.tmpdir(), `jest-${group.name}-${process.pid}.json`);
  const result = spawnSync(
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
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...group.env } }
  );
  if (fs.existsSync(report)) {
    const summary = JSON.parse(fs.readFileSync(report, 'utf8'));
    totals.passed += summary.numPassedTests;
    totals.failed += summary.numFailedTests + summary.numRuntimeErrorTestSuites;
    totals.skipped += summary.numPendingTests + summary.numTodoTests;
    fs.rmSync(report);
  }
  if (result.status !== 0) failedGroups += 1;
}

console.log('');
for (const line of notRun) console.log(`NOT RUN ${line}`);
if (notRun.length > 0 && !requireAll) {
  console.log('(Those groups were not run and are not counted as passed. CI runs them all.)');
}
console.log(
  `${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`
);
const failed = failedGroups > 0 || totals.failed > 0 || (requireAll && notRun.length > 0);
process.exit(failed ? 1 : 0);
