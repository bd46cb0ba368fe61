/**
 * The signing key's life: rotating it (HISTORY_SIGNING_KEY new, _PREVIOUS old:
 * the next start checks everything under the old key and signs it under the
 * new one, archived ranges included), restoring rows archived before the
 * rotation, and what a lost key means (verify cannot vouch for the history;
 * everything else keeps working).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyIdOf } from '../../cms/server/src/chain';
import { createTestDatabase, ROOT, type TestDatabase } from '../helpers/database';
import { runScript } from '../ops/helpers/scripts';
import { knexOf } from '../helpers/chain';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { archive, archiveFiles, expectExit, restore } from '../ops/helpers/archive';

const OLD_KEY = 'old-signing-key-0123456789abcdefghijklmnopqrstuv';
const NEW_KEY = 'new-signing-key-ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const LOST_KEY = 'a-key-nobody-signed-with-9876543210zyxwvutsrqpon';

let database: TestDatabase;
let dir: string;
let app: TestApp | null = null;

const boot = async (env: Record<string, string>) => {
  app = await bootApp({
    database,
    env: { HISTORY_SIGNING_KEY_PREVIOUS: undefined, ...env } as never,
  });
  return app;
};
const stop = async () => {
  await app?.stop({ keepDatabase: true });
  app = null;
};
const verify = async (running: TestApp) =>
  (
    await running.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200)
  ).body.data;
const signers = async (running: TestApp) =>
  (await knexOf(running.strapi)('platform_settings_history').distinct('signed_with')).map(
    (row: { signed_with: string }) => row.signed_with
  );

beforeAll(async () => {
  database = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-rotation-'));
});
afterEach(stop);
afterAll(async () => {
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('rotates the key, archived ranges included, and restores rows archived before the rotation', async () => {
  const first = await boot({ HISTORY_SIGNING_KEY: OLD_KEY });
  for (let index = 2; index <= 6; index += 1) {
    await first.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { tagline: `Tagline ${index}` } })
      .expect(200);
  }
  expectExit(
    await archive(['--keep', '2', '--dir', dir], { ...database.env, HISTORY_SIGNING_KEY: OLD_KEY }),
    0
  );
  expect(await verify(first)).toMatchObject({ ok: true, versions: 2, keyId: keyIdOf(OLD_KEY) });
  await stop();

  // The rotation: both keys for one start.
  const rotating = await boot({
    HISTORY_SIGNING_KEY: NEW_KEY,
    HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY,
  });
  expect(await signers(rotating)).toEqual([keyIdOf(NEW_KEY)]);
  await stop();

  // From then on the new key alone.
  const rotated = await boot({ HISTORY_SIGNING_KEY: NEW_KEY });
  expect(await verify(rotated)).toMatchObject({
    ok: true,
    versions: 2,
    archived: { versions: 4, checkpoints: 1 },
    keyId: keyIdOf(NEW_KEY),
  });
  // Rows archived under the old key come back signed under the new one.
  expectExit(await restore(['--dir', dir], { ...database.env, HISTORY_SIGNING_KEY: NEW_KEY }), 0);
  expect(archiveFiles(dir)).toEqual([]);
  expect(await verify(rotated)).toMatchObject({ ok: true, versions: 6, archived: { versions: 0 } });
  expect(await signers(rotated)).toEqual([keyIdOf(NEW_KEY)]);
  await rotated.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'After the rotation' } })
    .expect(200);
  expect(await verify(rotated)).toMatchObject({ ok: true, versions: 7 });
});

it('with a lost key, verify says so and everything else keeps working', async () => {
  const lost = await boot({ HISTORY_SIGNING_KEY: LOST_KEY });
  expect(await verify(lost)).toMatchObject({ ok: false, brokenAt: 1, reason: 'wrong-key' });
  const put = await lost.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'Still writable' } })
    .expect(200);
  expect(put.body.data.version).toBe(8);
  await lost.request.get('/api/platform-settings').expect(200);
  await lost.request.get('/api/platform-settings/history/versions').set(founderHeaders).expect(200);
  // A snapshot nobody can check is not published again…
  const refused = await lost.request
    .post('/api/platform-settings/rollback/7?dryRun=true')
    .set(founderHeaders)
    .expect(409);
  expect(refused.body.error.details).toEqual({ version: 7, integrity: 'unknown-key' });
  expect(refused.body.error.message).toMatch(/history:resign/);

  // …until the history is re-anchored under the new key, on trust.
  const resign = await runScript(
    process.execPath,
    [path.join(ROOT, 'scripts', 'history-resign.mjs'), '--trust-current-contents', '--yes'],
    { ...database.env, HISTORY_SIGNING_KEY: LOST_KEY }
  );
  expect(resign.code).toBe(0);
  expect(resign.stdout).toContain('"trustedWithoutVerifying":true');
  expect(await verify(lost)).toMatchObject({ ok: true, versions: 8, keyId: keyIdOf(LOST_KEY) });
  await lost.request
    .post('/api/platform-settings/rollback/7')
    .set(founderHeaders)
    .send({ note: 'after re-anchoring' })
    .expect(200);
});
