/**
 * Starting without the plugin would let Strapi's schema sync drop the settings
 * and history tables; starting production without a usable founder key would
 * leave an API nobody can write to safely, and without a usable history signing
 * key a history nobody can prove. All must stop the process.
 */
import Database from 'better-sqlite3';
import { copyApp, runStrapiStart, type AppCopy } from '../helpers/app-copy';
import { createSqliteDatabase, type TestDatabase } from '../helpers/database';
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

it.each([
  ['FOUNDER_KEY', 'missing', undefined, 'FOUNDER_KEY is not set'],
  [
    'FOUNDER_KEY',
    'too short',
    'short-key',
    'FOUNDER_KEY is too short (9 characters; at least 32 are required)',
  ],
  [
    'FOUNDER_KEY',
    'one repeated character',
    'k'.repeat(40),
    'FOUNDER_KEY is one character repeated',
  ],
  [
    'FOUNDER_KEY',
    'predictable',
    'abcabcabcabcabcabcabcabcabcabcabcabc',
    'FOUNDER_KEY is too predictable (3 distinct characters in 36; use a random key)',
  ],
  ['HISTORY_SIGNING_KEY', 'missing', undefined, 'HISTORY_SIGNING_KEY is not set'],
  [
    'HISTORY_SIGNING_KEY',
    'too short',
    'short-signing-key',
    'HISTORY_SIGNING_KEY is too short (17 characters; at least 32 are required)',
  ],
])(
  'refuses to start in production when %s is %s, without echoing it',
  async (name, _case, key, reason) => {
    copy = copyApp({ withPluginBuild: true });
    const env: Record<string, string> = {
      ...database.env,
      NODE_ENV: 'production',
      PORT: '0',
      FOUNDER_KEY,
      HISTORY_SIGNING_KEY: SIGNING_KEY,
    };
    const result = await runStrapiStart(copy.dir, { ...env, [name]: key ?? '' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(reason);
    if (key) expect(result.output).not.toContain(key);
    expect(countRows()).toEqual({ settings: 2, history: 4 });
  }
);
