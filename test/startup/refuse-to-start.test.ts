/**
 * Starting without the plugin would let Strapi's schema sync drop the settings
 * and history tables; starting production without a usable founder key would
 * leave an API nobody can write to safely, without a usable history signing key
 * a history nobody can prove, and on a public development secret an admin anyone
 * can impersonate. All must stop the process, with one report naming every
 * wrong variable (never its value), before the database is touched.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { productionSecrets, randomSecret } from '../../scripts/lib/launcher.cjs';
import { copyApp, runStrapiStart, type AppCopy } from '../helpers/app-copy';
import { createSqliteDatabase, ROOT, type TestDatabase } from '../helpers/database';
import { bootApp, FOUNDER_KEY, founderHeaders, SIGNING_KEY } from '../helpers/strapi';

let database: TestDatabase;
let copy: AppCopy | undefined;

beforeAll(async () => {
  database = await createSqliteDatabase();
  const app = await bootApp({ database });
  for (const title of ['One', 'Two', 'Three']) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { heroTitle: title } })
      .expect(200);
  }
  await app.stop({ keepDatabase: true });
});
afterEach(() => copy?.remove());
afterAll(() => database.drop());

/** Rows of the settings (the published one and the draft) and of the history. */
const countRows = () => {
  const db = new Database(database.location);
  try {
    return {
      settings: (db.prepare('select count(*) as n from platform_settings').get() as { n: number })
        .n,
      history: (
        db.prepare('select count(*) as n from platform_settings_history').get() as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
};

it('exits non-zero with a one-line reason, and keeps both tables, when the plugin build is missing', async () => {
  expect(countRows()).toEqual({ settings: 2, history: 4 });
  copy = copyApp({ withPluginBuild: false });
  const result = await runStrapiStart(copy.dir, {
    ...database.env,
    NODE_ENV: 'development',
    PORT: '0',
  });
  expect(result.code).not.toBe(0);
  expect(result.output).toMatch(/Refusing to start: the platform-settings plugin did not load/);
  expect(
    result.output.split('\n').filter((line) => line.includes('Refusing to start'))
  ).toHaveLength(1);
  expect(countRows()).toEqual({ settings: 2, history: 4 });
});

/** Every secret production requires, random; tests replace or remove one at a time. */
const productionEnv = (): Record<string, string> => ({
  ...database.env,
  ...productionSecrets(),
  NODE_ENV: 'production',
  PORT: '0',
  FOUNDER_KEY,
  HISTORY_SIGNING_KEY: SIGNING_KEY,
});

/** The start-up report: its problem lines, and that it came once, before any listening. */
const reportOf = (output: string) => {
  expect(output.split('\n').filter((line) => line.startsWith('Refusing to start'))).toHaveLength(1);
  expect(output).not.toMatch(/Server started|listening/i);
  return output
    .split('\n')
    .filter((line) => line.startsWith('  - '))
    .map((line) => line.slice(4));
};

const refusal = async (env: Record<string, string | undefined>) => {
  copy = copyApp({ withPluginBuild: true });
  const result = await runStrapiStart(copy.dir, env as Record<string, string>);
  expect(result.code).not.toBe(0);
  expect(countRows()).toEqual({ settings: 2, history: 4 });
  return { output: result.output, problems: reportOf(result.output) };
};

// Before: production started on the public development defaults of config/*.ts (a preview
// token forged with `dev-admin-jwt-secret` read the draft), and the plugin refused one key at a time.
it('refuses production with only FOUNDER_KEY and HISTORY_SIGNING_KEY set, naming all seven missing secrets at once', async () => {
  const { problems } = await refusal({
    ...database.env,
    NODE_ENV: 'production',
    PORT: '0',
    FOUNDER_KEY,
    HISTORY_SIGNING_KEY: SIGNING_KEY,
  });
  expect(problems).toEqual([
    'APP_KEYS is not set',
    'ADMIN_JWT_SECRET is not set',
    'API_TOKEN_SALT is not set',
    'TRANSFER_TOKEN_SALT is not set',
    'ENCRYPTION_KEY is not set',
    'JWT_SECRET is not set',
    'METRICS_TOKEN is not set',
  ]);
});

it('counts a development default as missing in production', async () => {
  const { problems } = await refusal({
    ...productionEnv(),
    APP_KEYS: 'dev-app-key-1,dev-app-key-2',
    ADMIN_JWT_SECRET: 'dev-admin-jwt-secret',
    JWT_SECRET: 'dev-users-permissions-jwt-secret',
  });
  expect(problems).toEqual([
    'APP_KEYS is not set (it holds the public development default)',
    'ADMIN_JWT_SECRET is not set (it holds the public development default)',
    'JWT_SECRET is not set (it holds the public development default)',
  ]);
});

it.each([
  ['FOUNDER_KEY', 'missing', undefined, 'FOUNDER_KEY is not set'],
  [
    'FOUNDER_KEY',
    'the 32-character alphabet the old estimate passed as "160 bits"',
    'abcdefghijklmnopqrstuvwxyz012345',
    'FOUNDER_KEY is too short: 32 base64url characters are 24 bytes, and at least 32 random bytes are required',
  ],
  [
    'FOUNDER_KEY',
    'one repeated character',
    'k'.repeat(64),
    'FOUNDER_KEY is not random (1 distinct characters)',
  ],
  ['HISTORY_SIGNING_KEY', 'missing', undefined, 'HISTORY_SIGNING_KEY is not set'],
  [
    'HISTORY_SIGNING_KEY',
    '31 bytes of hex',
    'ab01'.repeat(15) + 'cd',
    'HISTORY_SIGNING_KEY is too short: 62 hex digits are 31 bytes, and at least 32 random bytes are required',
  ],
  [
    'METRICS_TOKEN',
    'standard base64',
    'q+/Z'.repeat(11),
    'METRICS_TOKEN is standard base64; write it as hex or base64url (with - and _ instead of + and /)',
  ],
  [
    'APP_KEYS',
    'one short entry',
    `${randomSecret()},short-app-key`,
    'APP_KEYS (key 2) is too short: 13 base64url characters are 9 bytes, and at least 32 random bytes are required',
  ],
  [
    'FOUNDER_KEY_PREVIOUS',
    'set and too short',
    'previous-key',
    'FOUNDER_KEY_PREVIOUS is too short: 12 base64url characters are 9 bytes, and at least 32 random bytes are required',
  ],
])(
  'refuses to start in production when %s is %s, without echoing it',
  async (name, _case, key, reason) => {
    const { output, problems } = await refusal({ ...productionEnv(), [name]: key ?? '' });
    expect(problems).toEqual([reason]);
    if (key) expect(output).not.toContain(key);
  }
);

// Before: whitespace and non-ASCII characters were accepted (as part of the key) everywhere.
it.each([
  [
    'development',
    'FOUNDER_KEY',
    'a trailing newline',
    `${'5a'.repeat(32)}\n`,
    'has whitespace around it',
  ],
  [
    'development',
    'ADMIN_JWT_SECRET',
    'a leading space',
    ' my-admin-secret',
    'has whitespace around it',
  ],
  [
    'production',
    'HISTORY_SIGNING_KEY',
    'a non-ASCII letter',
    `clé-${'5a'.repeat(32)}`,
    'not visible ASCII',
  ],
  [
    'development',
    'METRICS_TOKEN',
    'a non-breaking space',
    `metrics\u00a0token`,
    'not visible ASCII',
  ],
])(
  'refuses to start in %s when %s has %s, naming it without echoing it',
  async (mode, name, _case, key, reason) => {
    const base =
      mode === 'production'
        ? productionEnv()
        : { ...database.env, NODE_ENV: 'development', PORT: '0' };
    const { output, problems } = await refusal({ ...base, [name]: key });
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`${name} `)).toBe(true);
    expect(problems[0]).toContain(reason);
    expect(output).not.toContain(key.trim());
  }
);

// Before: env.int() made `abc` NaN and took a 0 ms heartbeat (a 1 ms timer loop).
it('refuses numbers out of range or not numbers, naming each with its value and range', async () => {
  const { problems } = await refusal({
    ...database.env,
    NODE_ENV: 'development',
    PORT: 'abc',
    EVENTS_HEARTBEAT_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '-1',
    DATABASE_POOL_MAX: '15000ms',
  });
  expect(problems).toEqual([
    'PORT="abc" is not allowed: it must be a whole number from 0 to 65535 (a TCP port)',
    'SHUTDOWN_TIMEOUT_MS="-1" is not allowed: it must be a whole number from 0 to 600000 (milliseconds)',
    'EVENTS_HEARTBEAT_MS="0" is not allowed: it must be a whole number from 1000 to 300000 (milliseconds)',
    'DATABASE_POOL_MAX="15000ms" is not allowed: it must be a whole number from 1 to 1000 (connections)',
  ]);
});

it('reports secrets and numbers together, in one message', async () => {
  const { problems } = await refusal({
    ...productionEnv(),
    ENCRYPTION_KEY: undefined,
    METRICS_TOKEN: 'abcdefghijklmnopqrstuvwxyz012345',
    EVENTS_HEARTBEAT_MS: '0',
  });
  expect(problems).toEqual([
    'ENCRYPTION_KEY is not set',
    expect.stringMatching(/^METRICS_TOKEN is too short/),
    expect.stringMatching(/^EVENTS_HEARTBEAT_MS="0" is not allowed/),
  ]);
});

// Before: `npm start` was plain `strapi start`, which runs in development when NODE_ENV is
// unset — on the public development secrets.
it('npm start runs in production unless NODE_ENV is set', () => {
  copy = copyApp({ withPluginBuild: true });
  const start = (env: Record<string, string | undefined>) => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: copy!.dir,
      env: { ...process.env, ...database.env, STRAPI_TELEMETRY_DISABLED: 'true', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    return `${result.stdout}${result.stderr}`;
  };
  const unset = { NODE_ENV: undefined, FOUNDER_KEY: undefined, HISTORY_SIGNING_KEY: undefined };
  const production = start(unset);
  expect(production).toContain(
    'Refusing to start: the environment has 9 problems (NODE_ENV=production)'
  );
  expect(reportOf(production)).toContain('APP_KEYS is not set');
  // An explicit NODE_ENV wins: development needs no secret (only a valid PORT, here).
  const development = start({ ...unset, NODE_ENV: 'development', PORT: 'abc' });
  expect(development).toContain('(NODE_ENV=development)');
  expect(reportOf(development)).toEqual([
    'PORT="abc" is not allowed: it must be a whole number from 0 to 65535 (a TCP port)',
  ]);
  expect(countRows()).toEqual({ settings: 2, history: 4 });
});
