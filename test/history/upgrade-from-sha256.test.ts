/**
 * First start on a database whose history predates the keyed chain (plain
 * sha256 hashes, no head row, gaps left by the old archiver): the old chain is
 * verified and signed under the key in one transaction; where it does not
 * verify, the server still starts and verify says where it breaks — nothing is
 * signed over the break.
 */
import {
  HEAD_TABLE,
  CHECKPOINT_TABLE,
  HISTORY_TABLE,
  legacyRowHash,
  rowFromDb,
} from '../../cms/server/src/chain';
import { createTestDatabase } from '../helpers/database';
import { knexOf } from '../helpers/chain';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

/** Five changes, then the database as the previous release would have left it. */
const legacyDatabase = async (shape: { archived?: number[]; editAfterHashing?: number }) => {
  const database = await createTestDatabase();
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

it('verifies the old chain and signs it under the key', async () => {
  app = await bootApp({ database: await legacyDatabase({}) });
  expect(await verify(app)).toMatchObject({ ok: true, versions: 6, head: { version: 6 } });
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'After the upgrade' } })
    .expect(200);
  expect(await verify(app)).toMatchObject({ ok: true, versions: 7 });
});

it('turns gaps the old archiver left into checkpoints', async () => {
  app = await bootApp({ database: await legacyDatabase({ archived: [2, 3] }) });
  expect(await verify(app)).toMatchObject({
    ok: true,
    versions: 4,
    archived: { versions: 2, checkpoints: 1 },
  });
});

it('starts on a broken old chain, signs nothing from the break on, and verify points at it', async () => {
  app = await bootApp({ database: await legacyDatabase({ editAfterHashing: 4 }) });
  expect(await verify(app)).toMatchObject({ ok: false, brokenAt: 4, reason: 'unsigned' });
  const db = knexOf(app.strapi);
  const unsigned = await db(HISTORY_TABLE)
    .whereNull('signed_with')
    .orderBy('version')
    .pluck('version');
  expect(unsigned.map(Number)).toEqual([4, 5, 6]);
  // Still serving and writable.
  await app.request.get('/api/platform-settings').expect(200);
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Despite the break' } })
    .expect(200);
  expect(await verify(app)).toMatchObject({ ok: false, brokenAt: 4 });
});
