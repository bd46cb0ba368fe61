/**
 * Attacks on the signed history that work today. Each test does what an attacker
 * with the named capability can do, then asserts the secure outcome, so each
 * FAILS until the code is fixed.
 *
 * Capabilities used: a database writer without the signing key (any SQL on any
 * table), the operator then doing what the server and the runbook tell them
 * (`npm run history:adopt`), and a leaked HISTORY_SIGNING_KEY_PREVIOUS after its
 * rotation was adopted.
 */
import {
  CHECKPOINT_TABLE,
  HEAD_TABLE,
  keyIdOf,
  legacyRowHash,
  rowMac,
  signCheckpoint,
  signedScheduleFromDb,
  verifyScheduleMac,
} from '../../cms/server/src/chain';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, type TestDatabase } from '../helpers/database';
import { runScript } from '../ops/helpers/scripts';
import { deleteRows, editHead, editRow, knexOf, readRow } from '../helpers/chain';
import {
  bootApp,
  createAppDatabase,
  founderHeaders,
  SIGNING_KEY,
  type TestApp,
} from '../helpers/strapi';
import { adopt, expectExit } from '../ops/helpers/archive';
import { insertSchedule, readSchedule } from '../drafts/schedule-rows';

// 32 bytes in hex each, as production requires.
const OLD_KEY = 'd4'.repeat(32);
const NEW_KEY = 'e5'.repeat(32);
/** A key only the attacker knows. */
const ATTACKER_KEY = 'f6'.repeat(32);

let database: TestDatabase;
let app: TestApp | null = null;

const boot = async (env: Record<string, string | undefined> = {}) => {
  app = await bootApp({ database, env: { HISTORY_SIGNING_KEY_PREVIOUS: undefined, ...env } });
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
const put = (running: TestApp, data: Record<string, unknown>) =>
  running.request.put('/api/platform-settings').set(founderHeaders).send({ data });

/** A database writer's rewrite of versions 1–6 with the unkeyed legacy hash (version 2: ctaUrl, note). */
const rewriteWithLegacyHashes = async (running: TestApp) => {
  let previous = '';
  for (let version = 1; version <= 6; version += 1) {
    const row = await readRow(running.strapi, version);
    const rewritten =
      version === 2
        ? { ...row, note: 'rewritten', data: { ...row.data, ctaUrl: 'https://evil.example' } }
        : row;
    previous = legacyRowHash(previous, rewritten);
    await editRow(running.strapi, version, {
      hash: previous,
      signed_with: 'sha256',
      mac_format: null,
      ...(version === 2 ? { note: 'rewritten', data: JSON.stringify(rewritten.data) } : {}),
    });
  }
};

beforeEach(async () => {
  database = await createAppDatabase();
});
afterEach(async () => {
  await stop();
  await database.drop();
});

/**
 * Attack: a database writer rewrites EVERY row from version 1 on with the unkeyed
 * legacy sha256 (version 2 now points ctaUrl at a phishing page), and leaves the
 * head, signed by the server's own key at version 6, as it is. Writes stop and
 * verify answers "version 1 carries an unkeyed legacy hash: an operator adopts it
 * with npm run history:adopt". The operator does so: the dry run does not say
 * anything is wrong (it reads like an upgrade from an old release), and `--yes`
 * signs the rewritten history under the real key; verify then answers ok: true.
 *
 * Secure outcome: a head signed with the current key at version N proves what
 * versions 1..N were; adoption refuses (exit 1, nothing changed) when those rows
 * no longer verify under a key it holds, whatever legacy hash or development key
 * they carry now, and verify never tells the operator to adopt such a chain.
 */
it('adoption never signs a full legacy rewrite of a history that the key already signed', async () => {
  const running = await boot();
  for (let index = 2; index <= 6; index += 1) {
    await put(running, { tagline: `Tagline ${index}` }).expect(200);
  }
  expect(await verify(running)).toMatchObject({ ok: true, versions: 6 });

  await rewriteWithLegacyHashes(running);
  expect(await verify(running)).toMatchObject({ ok: false });

  const env = { ...database.env, HISTORY_SIGNING_KEY: SIGNING_KEY };
  const dryRun = await adopt([], env);
  // Today: exit 3, "Signed again under key …: versions 1–6 … The head: signed → signed at
  // version 6", and `--yes` then makes verify answer ok: true with version 2 rewritten.
  expect(dryRun.code).toBe(1);
  expect(dryRun.stderr).toMatch(/version 1/);
  await adopt(['--yes'], env);
  expect(await verify(running)).toMatchObject({ ok: false });
  expect((await readRow(running.strapi, 2)).signedWith).toBe('sha256');
});

/**
 * Attack: a database writer plants a development key of their own in the head
 * row's `dev_key` column of a production database (HISTORY_SIGNING_KEY set; the
 * server never writes that column then) and inserts a pending schedule signed
 * with it: a patch that points ctaUrl at a phishing page, "by" admin 1. Today it
 * shows as tampered if the server lists it, so the attacker inserts it just
 * before the operator's routine key rotation. `history:adopt -- --yes` for the
 * rotation "carries over" every pending schedule signed with the stored
 * development key: it signs the attacker's schedule with the new key. The dry
 * run says nothing about schedules.
 *
 * Secure outcome: a stored development key is never trusted when
 * HISTORY_SIGNING_KEY is set (nor in production); the schedule keeps failing
 * verification (it never runs).
 */
it('a rotation adoption never signs a schedule signed with a development key planted in the database', async () => {
  const first = await boot({ HISTORY_SIGNING_KEY: OLD_KEY });
  await put(first, { tagline: 'Version 2' }).expect(200);
  await editHead(first.strapi, { dev_key: ATTACKER_KEY });
  const farAhead = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const id = await insertSchedule(
    first.strapi,
    {
      kind: 'patch',
      runAt: farAhead,
      data: { ctaUrl: 'https://evil.example/phish' },
      note: 'Prepared in the admin',
      author: { kind: 'admin', id: 1, name: 'Founder' },
    },
    { sign: true, key: ATTACKER_KEY }
  );
  await stop();

  const bothKeys = { HISTORY_SIGNING_KEY: NEW_KEY, HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY };
  const dryRun = expectExit(
    await adopt([], { ...database.env, ...bothKeys, NODE_ENV: 'production' }),
    3
  );
  expect(dryRun.stdout).toMatch(/Key rotation/);
  expectExit(await adopt(['--yes'], { ...database.env, ...bothKeys, NODE_ENV: 'production' }), 0);

  const rotated = await boot(bothKeys);
  const raw = await readSchedule(rotated.strapi, id);
  const verifiesUnderNewKey = verifyScheduleMac(
    { current: { id: keyIdOf(NEW_KEY), secret: NEW_KEY } },
    signedScheduleFromDb(raw),
    { mac: raw.mac, signedWith: raw.signed_with, macFormat: Number(raw.mac_format) }
  );
  expect(verifiesUnderNewKey).toBe(false);
  expect(raw.signed_with).not.toBe(keyIdOf(NEW_KEY));
});

/**
 * Attack: the holder of the leaked previous key (after its rotation was adopted
 * at version 6), with write access to the database, deletes versions 2–5 and puts
 * in their place a checkpoint "archived before the rotation", signed with the old
 * key: prevMac = version 1's MAC, lastMac = version 5's real MAC, so version 6
 * still chains. The old key is trusted for items up to version 6, so verify
 * answers ok: true with 4 versions "archived" — a history cut by someone who holds
 * no current key.
 *
 * Secure outcome: the rotation point, in signed data, fixes what the old key
 * vouched for (the checkpoints that existed then); a checkpoint the old key signs
 * that was not there at the rotation reports forged-gap.
 */
it('a leaked previous key cannot cut versions out of the history with a checkpoint after the rotation', async () => {
  const first = await boot({ HISTORY_SIGNING_KEY: OLD_KEY });
  for (let index = 2; index <= 6; index += 1) {
    await put(first, { tagline: `Tagline ${index}` }).expect(200);
  }
  await stop();
  const bothKeys = { HISTORY_SIGNING_KEY: NEW_KEY, HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY };
  expectExit(await adopt(['--yes'], { ...database.env, ...bothKeys }), 0);
  const rotated = await boot(bothKeys);
  await put(rotated, { tagline: 'Version 7, new key' }).expect(200);
  expect(await verify(rotated)).toMatchObject({ ok: true, versions: 7 });

  const row1 = await readRow(rotated.strapi, 1);
  const row5 = await readRow(rotated.strapi, 5);
  await deleteRows(rotated.strapi, [2, 3, 4, 5]);
  const forged = signCheckpoint(
    { current: { id: keyIdOf(OLD_KEY), secret: OLD_KEY }, previous: [] },
    {
      fromVersion: 2,
      toVersion: 5,
      prevMac: row1.hash,
      lastMac: row5.hash,
      fileDigest: null,
      fileName: null,
      rowCount: 4,
      rowsKeyId: keyIdOf(OLD_KEY),
      archivedAt: new Date().toISOString(),
    }
  );
  const now = new Date();
  await knexOf(rotated.strapi)(CHECKPOINT_TABLE).insert({
    document_id: 'checkpoint-2',
    from_version: forged.fromVersion,
    to_version: forged.toVersion,
    prev_mac: forged.prevMac,
    last_mac: forged.lastMac,
    file_digest: null,
    file_name: null,
    row_count: forged.rowCount,
    rows_key_id: forged.rowsKeyId,
    archived_at: new Date(forged.archivedAt),
    mac: forged.mac,
    signed_with: forged.signedWith,
    mac_format: forged.macFormat,
    created_at: now,
    updated_at: now,
    published_at: now,
  });
  expect(await verify(rotated)).toMatchObject({ ok: false, brokenAt: 2, reason: 'forged-gap' });
});

/**
 * Attack: the holder of the leaked previous key, with write access to the
 * database, re-signs every row (1..7, including version 7 written under the new
 * key) with the OLD key, with version 2 pointing at a phishing page, and writes a
 * head signed with the old key at version 7 with no events (dropping the signed
 * rotation event). Writes stop; verify says "the chain head is signed with the
 * previous key: finish the rotation with npm run history:adopt". The operator,
 * who keeps HISTORY_SIGNING_KEY_PREVIOUS set (needed to check rows before the
 * rotation, see key-rotation.test.ts), runs adopt: it takes the forged head as a
 * fresh rotation at version 7, and the new key signs the rewritten history.
 *
 * Nothing inside the database tells this apart from a first rotation (every
 * trace of the new key is gone). What stands: writes stop and verify does not
 * say ok, and the adoption's dry run tells the operator to stop if they already
 * rotated away from that key; a witness of version 7 catches the rest (every
 * witnessed head must match: see offline-verify.test.ts). A known limit,
 * documented in docs/security.md.
 */
it('a leaked previous key with a forged head stops writes, and the adoption warns before a second rotation', async () => {
  const first = await boot({ HISTORY_SIGNING_KEY: OLD_KEY });
  for (let index = 2; index <= 6; index += 1) {
    await put(first, { tagline: `Tagline ${index}` }).expect(200);
  }
  await stop();
  const bothKeys = { HISTORY_SIGNING_KEY: NEW_KEY, HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY };
  expectExit(await adopt(['--yes'], { ...database.env, ...bothKeys }), 0);
  const rotated = await boot(bothKeys);
  await put(rotated, { tagline: 'Version 7, new key' }).expect(200);

  let link = '';
  for (let version = 1; version <= 7; version += 1) {
    const row = await readRow(rotated.strapi, version);
    const rewritten = {
      ...row,
      ...(version === 2 ? { data: { ...row.data, ctaUrl: 'https://evil.example' } } : {}),
      signedWith: keyIdOf(OLD_KEY),
    };
    link = rowMac(OLD_KEY, link, rewritten);
    await editRow(rotated.strapi, version, {
      hash: link,
      signed_with: keyIdOf(OLD_KEY),
      ...(version === 2 ? { data: JSON.stringify(rewritten.data) } : {}),
    });
  }
  const { signHead } = await import('../../cms/server/src/chain');
  const head = signHead({ id: keyIdOf(OLD_KEY), secret: OLD_KEY }, { version: 7, mac: link });
  await editHead(rotated.strapi, {
    head_version: head.version,
    head_mac: head.mac,
    key_id: head.keyId,
    events: JSON.stringify(head.events),
    mac_format: head.macFormat,
    signature: head.signature,
  });
  expect(await verify(rotated)).toMatchObject({ ok: false });
  await put(rotated, { tagline: 'Not on a forged head' }).expect(503);
  const dryRun = expectExit(await adopt([], { ...database.env, ...bothKeys }), 3);
  expect(dryRun.stdout).toMatch(/If you already rotated away from .*, STOP/);
});

/**
 * The same rewrite, after the operator said --yes to the adoption: the offline
 * verifier is the last line ("Every witness line counts"). Given the server's
 * JSON log, which witnessed versions 2–6 with their original MACs, it must
 * report version 2 rewritten. Today the adoption event's `resigned: 1–6`
 * excuses every witnessed version before it ("signed again by the adoption"),
 * so `history:verify --witness` exits 0 on the rewritten history.
 *
 * Secure outcome: an adoption excuses only versions whose content it did not
 * change; a witnessed MAC the rewritten history no longer reaches is `altered`.
 */
it.each([
  ['the head left signed', false],
  // Deleting the head too makes the database look exactly like an upgrade from a
  // release before the keyed chain: only the witness can tell them apart.
  ['the head deleted', true],
])('the witness still catches a rewrite that an adoption signed (%s)', async (_what, dropHead) => {
  const running = await boot();
  const witnessed: string[] = [];
  for (let index = 2; index <= 6; index += 1) {
    await put(running, { tagline: `Tagline ${index}` }).expect(200);
    const row = await readRow(running.strapi, index);
    witnessed.push(
      JSON.stringify({
        timestamp: new Date().toISOString(),
        event: 'settings.changed',
        version: index,
        headMac: row.hash,
      })
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-attack-witness-'));
  try {
    const logFile = path.join(dir, 'cms.log');
    fs.writeFileSync(logFile, `${witnessed.join('\n')}\n`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await rewriteWithLegacyHashes(running);
    if (dropHead) await knexOf(running.strapi)(HEAD_TABLE).del();
    const env = { ...database.env, HISTORY_SIGNING_KEY: SIGNING_KEY };
    if (!dropHead) {
      // Under a head this key signed, the adoption refuses the rewrite outright.
      expectExit(await adopt(['--yes'], env), 1);
      return;
    }
    expectExit(await adopt(['--yes'], env), 0);
    const exported = path.join(dir, 'history.ndjson');
    expectExit(
      await runScript(
        process.execPath,
        [path.join(ROOT, 'scripts', 'history-export.mjs'), '--out', exported],
        env
      ),
      0
    );
    const offline = await runScript(
      process.execPath,
      [path.join(ROOT, 'scripts', 'history-verify.mjs'), exported, '--witness', logFile],
      { HISTORY_SIGNING_KEY: SIGNING_KEY }
    );
    expect({ code: offline.code, stdout: offline.stdout }).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(/witnessed version 2 with another MAC/),
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Attack: a database writer edits the live settings row (ctaUrl → a phishing
 * page), leaving the history alone. Verify reports live-mismatch and writes
 * stop, but the public GET takes the database as the truth: after the next
 * restart (or any reload: another instance's notification, a refresh) every
 * visitor is served the attacker's ctaUrl, under the version number of a
 * signed version that never held it, with a fresh ETag.
 *
 * Secure outcome: what the public GET serves is a version the signed history
 * holds: a live row that differs from its version's verified snapshot is not
 * served as that version (the snapshot is served, or the last verified copy).
 */
it('the public GET never serves a live row edited behind the history', async () => {
  const running = await boot();
  await put(running, { ctaUrl: 'https://example.com/spring' }).expect(200);
  await knexOf(running.strapi)('platform_settings')
    .whereNotNull('published_at')
    .update({ cta_url: 'https://evil.example/phish' });
  await stop();
  const restarted = await boot();
  expect(await verify(restarted)).toMatchObject({ ok: false, reason: 'live-mismatch' });
  const served = (await restarted.request.get('/api/platform-settings').expect(200)).body.data;
  expect(served.ctaUrl).not.toBe('https://evil.example/phish');
});

/**
 * Attack on the diagnosis: a database writer rewrites version 1 (ctaUrl) and
 * sets its `signed_with` to a key id nobody has. The head is still signed with
 * this server's key, so the rows up to it were this key's; yet verify answers
 * `wrong-key`, "the history is signed with key 0123…, not this server's key" —
 * the runbook's lost-key case, whose remedy is `history:resign
 * --trust-current-contents`, which signs the rewrite without checking anything.
 *
 * Secure outcome: under a head signed with the current key, a row that does not
 * verify is `altered`, whatever key id it names.
 */
it('verify calls a rewrite under a head signed by this key altered, not a lost key', async () => {
  const running = await boot();
  await put(running, { tagline: 'Version 2' }).expect(200);
  const row = await readRow(running.strapi, 1);
  await editRow(running.strapi, 1, {
    data: JSON.stringify({ ...row.data, ctaUrl: 'https://evil.example' }),
    signed_with: '0123456789abcdef',
  });
  expect(await verify(running)).toMatchObject({ ok: false, brokenAt: 1, reason: 'altered' });
});

/**
 * Not an attacker's doing, but what a rotation exposes: between restarting with
 * the new key (HISTORY_SIGNING_KEY_PREVIOUS = the old one) and the operator's
 * `history:adopt`, which carries pending schedules over to the new key, the
 * server checks schedules under the new key only. Anyone with `history.read`
 * opening the schedules list, or the due-check timer, marks every pending
 * schedule signed with the old key `failed: tampered` for good; adopt carries
 * over only pending ones. A rotation thus silently destroys legitimate intent.
 *
 * Secure outcome: before the rotation is adopted, a schedule signed with the
 * previous key the head is signed with is left pending (neither run nor failed).
 */
it('a legitimate pending schedule survives the window between a key change and its adoption', async () => {
  const first = await boot({ HISTORY_SIGNING_KEY: OLD_KEY });
  const farAhead = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const id = await insertSchedule(
    first.strapi,
    {
      kind: 'patch',
      runAt: farAhead,
      data: { tagline: 'Planned before the rotation' },
      author: { kind: 'admin', id: 1, name: 'Founder' },
    },
    { sign: true, key: OLD_KEY }
  );
  await stop();
  const rotating = await boot({
    HISTORY_SIGNING_KEY: NEW_KEY,
    HISTORY_SIGNING_KEY_PREVIOUS: OLD_KEY,
  });
  await rotating.strapi.plugin('platform-settings').service('schedules').list();
  expect(await readSchedule(rotating.strapi, id)).toMatchObject({ status: 'pending' });
});
