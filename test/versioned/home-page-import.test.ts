/**
 * `strapi export` / `strapi import` write around the Document Service (and
 * `strapi transfer` writes the same way into its destination), so what an
 * import publishes is no version. What verify says after one, and what still
 * works:
 *   - the home page alone (--only-content-types): the published document is not
 *     the newest version; verify answers live-mismatch at the newest version and
 *     writes stop with 503, also after a restart, until an operator acts;
 *   - the home page with its chain's content types: a consistent, older chain
 *     (versions after the export are gone, as after restoring a backup);
 *   - a file without the chain: the chain is emptied (head-missing, never a 500);
 *     the content keeps its version, so the next start does not begin a new
 *     chain on its own: writes wait until an operator runs
 *     `history:adopt -- --type home-page`, and the start after that begins the
 *     new chain at what is published;
 *   - everything from a server with another signing key (staging into production):
 *     its chains come along, signed with a key this server does not have.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strapiExport, strapiImport } from '../helpers/data-transfer';
import {
  createApiToken,
  ensureHomePage,
  HOME_PAGE_UID,
  HOME_TABLES,
  homeHistory,
  restOf,
} from '../helpers/home-page';
import { ROOT } from '../helpers/database';
import { bootApp, founderHeaders, SIGNING_KEY, type TestApp } from '../helpers/strapi';
import { expectExit } from '../ops/helpers/archive';
import { runScript } from '../ops/helpers/scripts';

let app: TestApp;
let token: Awaited<ReturnType<typeof createApiToken>>;
let dir: string;
/** The export taken at version 2. */
let exported: string;

const boot = async (database?: TestApp['database'], env?: Record<string, string>) => {
  app = await bootApp({
    database,
    env,
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  token = await createApiToken(app);
};
const restart = async () => {
  await app.stop({ keepDatabase: true });
  await boot(app.database);
};

/** The hidden content types that hold the home page's chain (history, head, checkpoints, keys). */
const chainContentTypes = () =>
  Object.keys(app.strapi.contentTypes).filter((uid) =>
    uid.startsWith('plugin::platform-settings.home-page-')
  );

const putFeatures = (title: string) =>
  restOf(app)
    .put('/api/home-page')
    .set(token.headers)
    .send({ data: { features: [{ title, text: 'x', icon: 'bolt' }] } });
const verify = async () => {
  const response = await restOf(app).get('/api/home-page/history/verify').set(token.headers);
  expect(response.status).toBe(200);
  return response.body.data;
};
const versions = async () => (await homeHistory(app)).map((row) => Number(row.version));
const published = async () =>
  (await app.strapi.db
    .connection(HOME_TABLES.live)
    .whereNotNull('published_at')
    .first('version')) as { version: number } | undefined;
const publishedFeatures = async () => {
  const document = await app.strapi.documents(HOME_PAGE_UID as never).findFirst({
    status: 'published',
    populate: { features: true },
  } as never);
  return (document as unknown as { features: Array<{ title: string }> }).features.map(
    (feature) => feature.title
  );
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'home-page-import-'));
  await boot();
  await ensureHomePage(app);
  expect((await putFeatures('Exported')).status).toBe(200);
  exported = await strapiExport(app.strapi, path.join(dir, 'at-version-2'));
  for (const title of ['Three', 'Four']) expect((await putFeatures(title)).status).toBe(200);
  expect(await versions()).toEqual([1, 2, 3, 4]);
}, 180_000);
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('an import of the home page alone is no version: verify says live-mismatch at the newest version, and writes stop with 503', async () => {
  await strapiImport(app.strapi, exported, { onlyContentTypes: [HOME_PAGE_UID] });
  // The file's home page is published, with the version number it had; the history is untouched.
  expect(await publishedFeatures()).toEqual(['Exported']);
  expect(Number((await published())?.version)).toBe(2);
  expect(await versions()).toEqual([1, 2, 3, 4]);

  const expectStopped = async () => {
    expect(await verify()).toEqual({
      ok: false,
      versions: 4,
      brokenAt: 4,
      reason: 'live-mismatch',
      message: 'the live Home page is at version 2, the chain at 4',
    });
    const put = await putFeatures('Five');
    expect(put.status).toBe(503);
    expect(put.body.error.message).toMatch(
      /^Writes to Home page are stopped: .*live-mismatch.*GET \/api\/home-page\/history\/verify/
    );
    // Not even a rollback to the newest version, which would put back what the chain holds.
    expect((await restOf(app).post('/api/home-page/rollback/4').set(token.headers)).status).toBe(
      503
    );
    expect(await versions()).toEqual([1, 2, 3, 4]);
    expect(await publishedFeatures()).toEqual(['Exported']);
  };
  await expectStopped();
  // The settings' chain is its own: untouched, and it still takes writes.
  const settings = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(settings.body.data).toMatchObject({ ok: true });

  // A start adopts nothing.
  await restart();
  await expectStopped();
}, 180_000);

it('an import of the home page with its chain brings back a chain that verifies, at the version exported', async () => {
  await strapiImport(app.strapi, exported, {
    onlyContentTypes: [HOME_PAGE_UID, ...chainContentTypes()],
  });
  // Versions 3 and 4 are gone from the database, as after restoring a backup taken at version 2.
  expect(await versions()).toEqual([1, 2]);
  expect(await verify()).toMatchObject({ ok: true, versions: 2, head: { version: 2 } });
  const put = await putFeatures('After the import');
  expect(put.status).toBe(200);
  // The next version takes the number 3 again.
  expect(put.body.data.version).toBe(3);
  expect(await verify()).toMatchObject({ ok: true, versions: 3, head: { version: 3 } });
});

it('an import of a file without the chain empties it: verify says head-missing (no 500) and writes stop, also after a restart, until history:adopt --type begins a new chain', async () => {
  const withoutChain = await strapiExport(app.strapi, path.join(dir, 'without-chain'), {
    excludeContentTypes: chainContentTypes(),
  });
  await strapiImport(app.strapi, withoutChain);
  expect(await versions()).toEqual([]);
  expect(await verify()).toMatchObject({ ok: false, versions: 0, reason: 'head-missing' });
  expect((await putFeatures('Refused')).status).toBe(503);

  // The content carries version 3: the chain was lost, not never started. A start
  // begins no new chain on its own.
  await restart();
  expect(await versions()).toEqual([]);
  expect(await verify()).toMatchObject({ ok: false, versions: 0, reason: 'head-missing' });
  expect((await putFeatures('Refused')).status).toBe(503);

  // The operator's word: a new chain, and the start after it holds what is published.
  expectExit(
    await runScript(
      process.execPath,
      [path.join(ROOT, 'scripts', 'history-adopt.mjs'), '--type', 'home-page', '--yes'],
      { ...app.database.env, HISTORY_SIGNING_KEY: SIGNING_KEY, HISTORY_SIGNING_KEY_PREVIOUS: '' }
    ),
    0
  );
  await restart();
  const history = await homeHistory(app);
  expect(history.map((row) => [Number(row.version), row.change_type, row.note])).toEqual([
    [1, 'create', 'Versioning switched on: the content as it was published'],
  ]);
  expect(history[0].data.features.map((feature: { title: string }) => feature.title)).toEqual([
    'After the import',
  ]);
  expect(await verify()).toMatchObject({ ok: true, versions: 1 });
}, 240_000);

it('an import of everything from a server with another signing key stops writes to both chains: wrong-key, a history signed with a key this server does not have', async () => {
  const production = app.database;
  await app.stop({ keepDatabase: true });
  // The other environment: its own database and key, one version of its own.
  await boot(undefined, { HISTORY_SIGNING_KEY: 'b'.repeat(64) });
  await ensureHomePage(app);
  expect((await putFeatures('From staging')).status).toBe(200);
  const staging = await strapiExport(app.strapi, path.join(dir, 'staging'));
  await app.stop();

  await boot(production);
  await strapiImport(app.strapi, staging);
  expect(await publishedFeatures()).toEqual(['From staging']);
  expect(await verify()).toMatchObject({
    ok: false,
    brokenAt: 1,
    reason: 'wrong-key',
    message: expect.stringMatching(
      /^the history is signed with key \w+, not this server's key \w+$/
    ),
  });
  expect((await putFeatures('Refused')).status).toBe(503);
  const settings = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(settings.body.data).toMatchObject({ ok: false, brokenAt: 1, reason: 'wrong-key' });
}, 180_000);
