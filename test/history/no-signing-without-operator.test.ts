/**
 * Nothing in the database decides what gets signed, across restarts too: a
 * chain rewritten with unkeyed hashes and a head pointing at another key, or a
 * deleted head (with or without a gap behind it), is never re-signed or
 * "migrated" by a start or a write. Writes stay refused until an operator
 * adopts the chain with the key, and adoption itself refuses a gap after
 * signed rows (a deletion, not an old archiver's gap).
 */
import {
  CHECKPOINT_TABLE,
  HEAD_TABLE,
  HISTORY_TABLE,
  legacyRowHash,
} from '../../cms/server/src/chain';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import {
  deleteHead,
  deleteRows,
  editHead,
  editRow,
  knexOf,
  moveHead,
  readRow,
} from '../helpers/chain';
import { bootApp, founderHeaders, SIGNING_KEY, type TestApp } from '../helpers/strapi';
import { adopt, expectExit } from '../ops/helpers/archive';

let database: TestDatabase;
let app: TestApp | null = null;

const boot = async () => {
  app = await bootApp({ database });
  return app;
};
const restart = async () => {
  await app!.stop({ keepDatabase: true });
  return boot();
};
const verify = async (running: TestApp) =>
  (
    await running.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200)
  ).body.data;
const put = (running: TestApp, tagline: string) =>
  running.request.put('/api/platform-settings').set(founderHeaders).send({ data: { tagline } });
const adoptHere = (args: string[]) =>
  adopt(args, { ...database.env, HISTORY_SIGNING_KEY: SIGNING_KEY });
const signers = async (running: TestApp) =>
  Object.fromEntries(
    (
      (await knexOf(running.strapi)(HISTORY_TABLE)
        .orderBy('version')
        .select('version', 'signed_with')) as Array<{ version: number; signed_with: string }>
    ).map((row) => [Number(row.version), row.signed_with])
  );

beforeEach(async () => {
  database = await createTestDatabase();
  const running = await boot();
  for (let index = 2; index <= 6; index += 1) {
    await put(running, `Tagline ${index}`).expect(200);
  }
});
afterEach(async () => {
  await app?.stop();
  app = null;
});

it('never re-signs rows rewritten with the unkeyed hash, whatever the head says, across a restart', async () => {
  const running = app!;
  let previous = (await readRow(running.strapi, 1)).hash;
  for (let version = 2; version <= 6; version += 1) {
    const row = await readRow(running.strapi, version);
    const rewritten =
      version === 2
        ? { ...row, note: 'rewritten', data: { ...row.data, ctaUrl: 'https://evil.example' } }
        : row;
    previous = legacyRowHash(previous, rewritten);
    await editRow(running.strapi, version, {
      hash: previous,
      signed_with: 'sha256',
      ...(version === 2 ? { note: 'rewritten', data: JSON.stringify(rewritten.data) } : {}),
    });
  }
  await moveHead(running.strapi, { version: 6, mac: previous });
  await editHead(running.strapi, { key_id: 'x' });
  const before = await signers(running);

  await put(running, 'An ordinary write').expect(503);
  const restarted = await restart();
  await put(restarted, 'An ordinary write after a restart').expect(503);
  expect(await signers(restarted)).toEqual(before);
  expect(await verify(restarted)).toMatchObject({ ok: false, brokenAt: 2, reason: 'unsigned' });
  // The operator's adoption refuses: the head names a key it does not hold (edited).
  expect(expectExit(await adoptHere(['--yes']), 1).stderr).toMatch(/head was edited/);
  expect(await signers(restarted)).toEqual(before);
});

it('a deleted head is reported as missing after a restart, never migrated, and a gap behind it is never made a checkpoint', async () => {
  await deleteHead(app!.strapi);
  await deleteRows(app!.strapi, [2, 3]);
  const restarted = await restart();
  expect(await knexOf(restarted.strapi)(HEAD_TABLE).first()).toBeUndefined();
  expect(await knexOf(restarted.strapi)(CHECKPOINT_TABLE).first()).toBeUndefined();
  expect(await verify(restarted)).toMatchObject({ ok: false, brokenAt: 2, reason: 'missing' });
  await put(restarted, 'Over a deleted head').expect(503);
  expect(expectExit(await adoptHere(['--yes']), 1).stderr).toMatch(/version 2/);
  expect(await knexOf(restarted.strapi)(CHECKPOINT_TABLE).first()).toBeUndefined();
});

it('a deleted head stops writes until the operator adopts the chain, which verifies it first', async () => {
  await deleteHead(app!.strapi);
  const restarted = await restart();
  expect(await verify(restarted)).toMatchObject({ ok: false, brokenAt: 6, reason: 'head-missing' });
  await put(restarted, 'Over a deleted head').expect(503);
  const dryRun = expectExit(await adoptHere([]), 3);
  expect(dryRun.stdout).toMatch(/missing → signed at version 6/);
  expect(await knexOf(restarted.strapi)(HEAD_TABLE).first()).toBeUndefined();
  expectExit(await adoptHere(['--yes']), 0);
  expect(await verify(restarted)).toMatchObject({
    ok: true,
    versions: 6,
    events: [{ kind: 'adopt', atVersion: 6, resigned: null }],
  });
  await put(restarted, 'After the adoption').expect(200);
  expect(await verify(restarted)).toMatchObject({ ok: true, versions: 7 });
});

it('a wiped history with the settings left is not a new install: no head is made, writes stay refused', async () => {
  const db = knexOf(app!.strapi);
  await db(HISTORY_TABLE).del();
  await deleteHead(app!.strapi);
  const restarted = await restart();
  expect(await knexOf(restarted.strapi)(HEAD_TABLE).first()).toBeUndefined();
  expect(await verify(restarted)).toMatchObject({ ok: false, reason: 'head-missing' });
  await put(restarted, 'Over a wiped history').expect(503);
  // Nothing to adopt: the live settings are at version 6 and no history backs them.
  expect(expectExit(await adoptHere(['--yes']), 1).stderr).toMatch(
    /live settings are at version 6/
  );
});
