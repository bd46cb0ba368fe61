/**
 * The signing key's life: rotating it (HISTORY_SIGNING_KEY new, _PREVIOUS old,
 * then `history:adopt`, which records the rotation point in the signed head;
 * nothing is signed again, and the old key is trusted only up to that
 * version), restoring rows archived before the rotation, a leaked old key
 * after it, and what a lost key means (verify cannot vouch for the history;
 * writes stop until it is re-anchored; reads keep working).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keyIdOf } from '../../cms/server/src/chain';
import { ROOT, type TestDatabase } from '../helpers/database';
import { runScript } from '../ops/helpers/scripts';
import { knexOf } from '../helpers/chain';
import { bootApp, createAppDatabase, founderHeaders, type TestApp } from '../helpers/strapi';
import { adopt, archive, archiveFiles, expectExit, restore } from '../ops/helpers/archive';
import { editRow, readRow } from '../helpers/chain';
import {
  HISTORY_TABLE,
  rowMac,
  signedScheduleFromDb,
  verifyScheduleMac,
} from '../../cms/server/src/chain';
import { insertSchedule, readSchedule } from '../drafts/schedule-rows';

// 32 bytes in hex each, as production requires.
const OLD_KEY = 'a1'.repeat(32);
const NEW_KEY = 'b2'.repeat(32);
const LOST_KEY = 'c3'.repeat(32);

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
  database = await createAppDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-rotation-'));
});
afterEach(stop);
afterAll(async () => {
  await database.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it("rotates the key on the operator's word, keeps every MAC, and trusts the old key only up to the rotation", async () => {
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
  // A schedule made before the rotation, signed with the old key.
  const farAhead = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const author = { type: 'admin', id: 1, name: 'Founder' };
  const beforeRotation = await insertSchedule(
    first.strapi,
    { kind: 'patch', runAt: farAhead, data: { tagline: 'Planned' }, author },
    { sign: true, key: OLD_KEY }
  );
  const macsBefore = (await knexOf(first.strapi)(HISTORY_TABLE)
    .orderBy('version')
    .pluck('hash')) as string[];
  await stop();

  // The new key with the old one as previous: nothing is signed until the operator adopts.
  const bothKeys = { HISTORY_SIGNING_KEY: NEW_KEY, HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY };
  const rotating = await boot(bothKeys);
  expect(await verify(rotating)).toMatchObject({ ok: false, reason: 'wrong-key' });
  await rotating.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'Before the rotation is recorded' } })
    .expect(503);
  expect(await signers(rotating)).toEqual([keyIdOf(OLD_KEY)]);
  expectExit(await adopt(['--yes'], { ...database.env, ...bothKeys }), 0);
  expect(await verify(rotating)).toMatchObject({
    ok: true,
    versions: 2,
    archived: { versions: 4, checkpoints: 1 },
    keyId: keyIdOf(NEW_KEY),
    events: [
      { kind: 'rotate', atVersion: 6, fromKeyId: keyIdOf(OLD_KEY), toKeyId: keyIdOf(NEW_KEY) },
    ],
  });
  // The pending schedule was checked under the old key and signed again with the new one;
  // one signed with the old key after the rotation is not (it will fail as tampered).
  const afterRotation = await insertSchedule(
    rotating.strapi,
    { kind: 'patch', runAt: farAhead, data: { tagline: 'Forged' }, author },
    { sign: true, key: OLD_KEY }
  );
  const scheduleVerifies = async (id: number) => {
    const raw = await readSchedule(rotating.strapi, id);
    return verifyScheduleMac(
      { current: { id: keyIdOf(NEW_KEY), secret: NEW_KEY } },
      signedScheduleFromDb(raw),
      { mac: raw.mac, signedWith: raw.signed_with, macFormat: Number(raw.mac_format) }
    );
  };
  expect(await scheduleVerifies(beforeRotation)).toBe(true);
  expect(await scheduleVerifies(afterRotation)).toBe(false);
  // Nothing was signed again: a witness of the old MACs still matches.
  expect(await knexOf(rotating.strapi)(HISTORY_TABLE).orderBy('version').pluck('hash')).toEqual(
    macsBefore
  );
  await rotating.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'After the rotation' } })
    .expect(200);
  expect((await signers(rotating)).sort()).toEqual([keyIdOf(NEW_KEY), keyIdOf(OLD_KEY)].sort());

  // Rows archived under the old key come back as they were, and still verify.
  expectExit(await restore(['--dir', dir], { ...database.env, ...bothKeys }), 0);
  expect(archiveFiles(dir)).toEqual([]);
  expect(await verify(rotating)).toMatchObject({
    ok: true,
    versions: 7,
    archived: { versions: 0 },
  });

  await rotating.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'Version 8' } })
    .expect(200);

  // Someone who holds the leaked old key and can write the database rewrites
  // version 7 (a new-key version) and signs it with the old key: the old key is
  // not trusted after version 6, so verify says so and a rollback to it is refused.
  const row6 = await readRow(rotating.strapi, 6);
  const row7 = await readRow(rotating.strapi, 7);
  const forged = {
    ...row7,
    data: { ...row7.data, ctaUrl: 'https://evil.example/phish' },
    signedWith: keyIdOf(OLD_KEY),
  };
  forged.hash = rowMac(OLD_KEY, row6.hash, forged);
  const undoRow = await editRow(rotating.strapi, 7, {
    data: JSON.stringify(forged.data),
    hash: forged.hash,
    signed_with: forged.signedWith,
  });
  expect(await verify(rotating)).toMatchObject({ ok: false, brokenAt: 7, reason: 'altered' });
  const refused = await rotating.request
    .post('/api/platform-settings/rollback/7?dryRun=true')
    .set(founderHeaders)
    .expect(409);
  expect(refused.body.error.details).toEqual({ version: 7, integrity: 'altered' });
  await undoRow();
  expect(await verify(rotating)).toMatchObject({ ok: true, versions: 8 });
  await stop();

  // Without the old key, the rows it signed cannot be checked.
  const newOnly = await boot({ HISTORY_SIGNING_KEY: NEW_KEY });
  expect(await verify(newOnly)).toMatchObject({ ok: false, brokenAt: 1, reason: 'wrong-key' });
});

it('with a lost key, verify says so, writes stop, and reads keep working', async () => {
  const lost = await boot({ HISTORY_SIGNING_KEY: LOST_KEY });
  expect(await verify(lost)).toMatchObject({ ok: false, brokenAt: 1, reason: 'wrong-key' });
  await lost.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'Not signed under a key that cannot vouch for the rest' } })
    .expect(503);
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
  expect(await verify(lost)).toMatchObject({
    ok: true,
    versions: 8,
    keyId: keyIdOf(LOST_KEY),
    events: [{ kind: 'adopt', atVersion: 8, note: expect.stringMatching(/taken on trust/) }],
  });
  await lost.request
    .post('/api/platform-settings/rollback/7')
    .set(founderHeaders)
    .send({ note: 'after re-anchoring' })
    .expect(200);
});
