/**
 * A database whose history predates the keyed chain (plain sha256 hashes, no
 * head row, gaps left by the old archiver). Nothing in the database decides
 * what gets signed: the server starts and serves it, but signs nothing and
 * refuses writes until an operator adopts the old chain with the key
 * (`npm run history:adopt -- --yes`), which verifies it first and signs
 * nothing when it does not verify.
 */
import {
  HEAD_TABLE,
  CHECKPOINT_TABLE,
  HISTORY_TABLE,
  legacyRowHash,
  rowFromDb,
} from '../../cms/server/src/chain';
import type { TestDatabase } from '../helpers/database';
import { knexOf } from '../helpers/chain';
import {
  bootApp,
  createAppDatabase,
  founderHeaders,
  SIGNING_KEY,
  type TestApp,
} from '../helpers/strapi';
import { adopt, expectExit } from '../ops/helpers/archive';

/** Five changes, then the database as the previous release would have left it. */
const legacyDatabase = async (shape: { archived?: number[]; editAfterHashing?: number }) => {
  const database = await createAppDatabase();
  const app = await bootApp({ database });
  for (let index = 2; index <= 6; index += 1) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { heroTitle: `Title ${index}` } })
      .expect(200);
  }
  const db = knexOf(app.strapi);
  let previous = '';
  for (const row of (await db(HISTORY_TABLE).orderBy('version')).map(rowFromDb)) {
    previous = legacyRowHash(previous, row);
    await db(HISTORY_TABLE)
      .where({ version: row.version })
      .update({ hash: previous, signed_with: null });
  }
  await db(HEAD_TABLE).del();
  await db(CHECKPOINT_TABLE).del();
  if (shape.archived) await db(HISTORY_TABLE).whereIn('version', shape.archived).del();
  if (shape.editAfterHashing) {
    await db(HISTORY_TABLE).where({ version: shape.editAfterHashing }).update({ note: 'sneaky' });
  }
  await app.stop({ keepDatabase: true });
  return database;
};

let app: TestApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});

const verify = async (running: TestApp) =>
  (
    await running.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200)
  ).body.data;

const adoptOn = (database: TestDatabase, args: string[]) =>
  adopt(args, { ...database.env, HISTORY_SIGNING_KEY: SIGNING_KEY });

const put = (running: TestApp, heroTitle: string) =>
  running.request.put('/api/platform-settings').set(founderHeaders).send({ data: { heroTitle } });

const unsignedVersions = async (running: TestApp) =>
  (
    await knexOf(running.strapi)(HISTORY_TABLE)
      .whereNull('signed_with')
      .orderBy('version')
      .pluck('version')
  ).map(Number);

it('serves the old chain, signs nothing on its own, and takes writes once an operator adopts it', async () => {
  const database = await legacyDatabase({});
  app = await bootApp({ database });
  expect(await verify(app)).toMatchObject({ ok: false, brokenAt: 1, reason: 'unsigned' });
  expect(await unsignedVersions(app)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(await knexOf(app.strapi)(HEAD_TABLE).first()).toBeUndefined();
  await app.request.get('/api/platform-settings').expect(200);
  const refused = await put(app, 'Before the adoption').expect(503);
  expect(refused.body.error.message).toMatch(/Nothing was changed/);
  expect((await app.request.get('/api/platform-settings').expect(200)).body.data.version).toBe(6);

  // A dry run says what it would do and changes nothing.
  const dryRun = expectExit(await adoptOn(database, []), 3);
  expect(dryRun.stdout).toMatch(/Signed again under key .*: versions 1–6/);
  expect(await unsignedVersions(app)).toEqual([1, 2, 3, 4, 5, 6]);

  const adopted = expectExit(await adoptOn(database, ['--yes', '--note', 'upgrade']), 0);
  expect(adopted.stdout).toContain('"event":"history.adopted"');
  expect(await verify(app)).toMatchObject({
    ok: true,
    versions: 6,
    head: { version: 6 },
    events: [{ kind: 'adopt', atVersion: 6, resigned: { from: 1, to: 6 }, note: 'upgrade' }],
  });
  await put(app, 'After the adoption').expect(200);
  expect(await verify(app)).toMatchObject({ ok: true, versions: 7 });
  // Adopting again finds nothing to do.
  expect(expectExit(await adoptOn(database, ['--yes']), 0).stdout).toMatch(/Nothing to adopt/);
});

it('turns gaps the old archiver left into checkpoints, on adoption', async () => {
  const database = await legacyDatabase({ archived: [2, 3] });
  app = await bootApp({ database });
  expect(await verify(app)).toMatchObject({ ok: false, reason: 'unsigned' });
  expectExit(await adoptOn(database, ['--yes']), 0);
  expect(await verify(app)).toMatchObject({
    ok: true,
    versions: 4,
    archived: { versions: 2, checkpoints: 1 },
  });
});

it('adopts nothing from a broken old chain, and verify points at the break', async () => {
  const database = await legacyDatabase({ editAfterHashing: 4 });
  app = await bootApp({ database });
  const refused = expectExit(await adoptOn(database, ['--yes']), 1);
  expect(refused.stderr).toMatch(/version 4 .*Nothing was changed/);
  expect(await unsignedVersions(app)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(await knexOf(app.strapi)(HEAD_TABLE).first()).toBeUndefined();
  // Still serving; still not writable.
  await app.request.get('/api/platform-settings').expect(200);
  await put(app, 'Despite the break').expect(503);
  expect(await verify(app)).toMatchObject({ ok: false, brokenAt: 1, reason: 'unsigned' });
});
