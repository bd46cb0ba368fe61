/**
 * The outside witness: `history:export` writes the whole history, and
 * `history:verify` checks it without the server or the database, given the key
 * — archive files too, and against every head the server's JSON log
 * witnessed. What no check inside the database can catch is caught here: the
 * newest version deleted with an old copy of the signed head replayed, and a
 * database restored to an older state whose version numbers are then reused —
 * unless an operator recorded that restore (`history:restore-epoch`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import winston from 'winston';
import { keyIdOf, signHead } from '../../cms/server/src/chain';
import { deleteRows, editLiveRow, readRow, replayHead } from '../helpers/chain';
import { bootApp, founderHeaders, SIGNING_KEY, type TestApp } from '../helpers/strapi';
import { archive, archiveFiles, expectExit, restoreEpoch } from '../ops/helpers/archive';
import { runScript } from '../ops/helpers/scripts';
import { ROOT } from '../helpers/database';

let app: TestApp;
let dir: string;
let logFile: string;
let env: Record<string, string>;

const script = (name: string) => path.join(ROOT, 'scripts', name);
const exportHistory = async (file: string) =>
  expectExit(
    await runScript(process.execPath, [script('history-export.mjs'), '--out', file], env),
    0
  );
const verifyOffline = (args: string[], extraEnv: Record<string, string> = {}) =>
  runScript(process.execPath, [script('history-verify.mjs'), ...args], {
    HISTORY_SIGNING_KEY: SIGNING_KEY,
    ...extraEnv,
  });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-offline-verify-'));
  logFile = path.join(dir, 'cms.log');
  app = await bootApp();
  // A log store, as production ships JSON lines to one, at info level; the console stays quiet.
  for (const transport of app.strapi.log.transports) transport.level ??= app.strapi.log.level;
  app.strapi.log.level = 'info';
  app.strapi.log.add(
    new winston.transports.Stream({
      stream: fs.createWriteStream(logFile, { flags: 'a' }),
      format: winston.format.json(),
      level: 'info',
    })
  );
  env = app.database.env;
  for (let index = 2; index <= 6; index += 1) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { ctaUrl: `https://example.com/launch-${index}` } })
      .expect(200);
  }
  // The log lines are written asynchronously.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('"version":6')) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const verifyApi = async () =>
  (await app.request.get('/api/platform-settings/history/verify').set(founderHeaders).expect(200))
    .body.data;

it('logs the new head MAC with every change', async () => {
  const lines = fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('settings.changed'))
    .map((line) => JSON.parse(line));
  expect(lines.map((line) => line.version)).toEqual([2, 3, 4, 5, 6]);
  expect(lines.at(-1).headMac).toBe((await readRow(app.strapi, 6)).hash);
});

it('verifies an export with its archive files and the log as witness, and catches edits', async () => {
  const archiveDir = path.join(dir, 'archives');
  expectExit(await archive(['--keep', '3', '--dir', archiveDir], env), 0);
  const exported = path.join(dir, 'export.ndjson');
  await exportHistory(exported);
  const archives = archiveFiles(archiveDir);
  expect(archives).toHaveLength(1);

  const ok = await verifyOffline([exported, ...archives, '--witness', logFile]);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('OK: 3 versions verified, head 6');
  expect(ok.stdout).toContain('Archived: 3 versions under 1 signed checkpoint(s)');
  expect(ok.stdout).toContain('versions 1–3 verified row by row');
  expect(ok.stdout).toContain('Witness: 5 of 5 witnessed head(s) match the history');

  // An edited export.
  const edited = path.join(dir, 'edited.ndjson');
  fs.writeFileSync(
    edited,
    fs
      .readFileSync(exported, 'utf8')
      .replace('https://example.com/launch-5', 'https://evil.example')
  );
  const altered = await verifyOffline([edited]);
  expect(altered.code).toBe(1);
  expect(altered.stdout).toContain('BROKEN at version 5 (altered)');

  // An edited archive file no longer matches its signed checkpoint.
  const tamperedArchive = path.join(dir, path.basename(archives[0]));
  const text = zlib.gunzipSync(fs.readFileSync(archives[0])).toString('utf8');
  fs.writeFileSync(tamperedArchive, zlib.gzipSync(text.replace('launch-2', 'launch-X')));
  const forged = await verifyOffline([exported, tamperedArchive]);
  expect(forged.code).toBe(1);
  expect(forged.stdout).toMatch(/matches no checkpoint/);

  // Without the key there is nothing to check against.
  const noKey = await verifyOffline([exported], { HISTORY_SIGNING_KEY: '' });
  expect(noKey.code).toBe(2);
  expect(noKey.stderr).toMatch(/HISTORY_SIGNING_KEY/);
  expect(`${noKey.stdout}${noKey.stderr}`).not.toContain(SIGNING_KEY);

  const wrongKey = await verifyOffline([exported], {
    HISTORY_SIGNING_KEY: 'another-key-entirely-0123456789abcdefghijkl',
  });
  expect(wrongKey.code).toBe(1);
  expect(wrongKey.stdout).toMatch(/\(wrong-key\)|\(forged-gap\)/);
});

it('catches the newest version deleted with an old signed head replayed, which the database cannot', async () => {
  const five = await readRow(app.strapi, 5);
  const undoDelete = await deleteRows(app.strapi, [6]);
  const undoLive = await editLiveRow(app.strapi, { version: 5, cta_url: five.data.ctaUrl });
  const undoHead = await replayHead(app.strapi, 5);
  try {
    // Consistent inside the database: nothing there can tell.
    expect(await verifyApi()).toMatchObject({ ok: true, head: { version: 5 } });
    const exported = path.join(dir, 'rolled-back.ndjson');
    await exportHistory(exported);
    expect((await verifyOffline([exported])).code).toBe(0);

    const witnessed = await verifyOffline([exported, '--witness', logFile]);
    expect(witnessed.code).toBe(1);
    expect(witnessed.stdout).toContain('BROKEN at version 6 (missing)');
    expect(witnessed.stdout).toContain('witnessed version 6');

    const byHead = await verifyOffline([exported, '--head', `6:${'c'.repeat(64)}`]);
    expect(byHead.code).toBe(1);
  } finally {
    await undoHead();
    await undoLive();
    await undoDelete();
  }
  expect(await verifyApi()).toMatchObject({ ok: true, head: { version: 6 } });
});

it('checks every witnessed head: a restored database that reuses version numbers fails, unless the restore was recorded', async () => {
  const archives = archiveFiles(path.join(dir, 'archives'));
  const verifyExport = async (name: string) => {
    const file = path.join(dir, name);
    await exportHistory(file);
    return verifyOffline([file, ...archives, '--witness', logFile, '--json']);
  };
  const waitForLogged = async (version: number, mac: string) => {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (fs.readFileSync(logFile, 'utf8').includes(mac)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`version ${version} was never logged`);
  };

  // "Restore a backup" taken at version 4: versions 5 and 6 are gone, the head and live row are 4's.
  const four = await readRow(app.strapi, 4);
  await deleteRows(app.strapi, [5, 6]);
  await editLiveRow(app.strapi, { version: 4, cta_url: four.data.ctaUrl });
  await replayHead(app.strapi, 4);
  expect(await verifyApi()).toMatchObject({ ok: true, head: { version: 4 } });

  // Unrecorded, the witnessed versions 5 and 6 are missing.
  const unrecorded = await verifyExport('restored.ndjson');
  expect(unrecorded.code).toBe(1);
  expect(JSON.parse(unrecorded.stdout)).toMatchObject({ ok: false, reason: 'missing' });

  // The operator records the restore; then versions 5 and 6 are written again (other content).
  const epoch = expectExit(
    await restoreEpoch(['--yes', '--expect-version', '4', '--note', 'backup of 4'], env),
    0
  );
  expect(epoch.stdout).toContain('"event":"history.restore-epoch"');
  for (const index of [5, 6]) {
    const res = await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { ctaUrl: `https://example.com/after-restore-${index}` } })
      .expect(200);
    expect(res.body.data.version).toBe(index);
  }
  await waitForLogged(6, (await readRow(app.strapi, 6)).hash);
  const recorded = await verifyExport('recorded.ndjson');
  expect(recorded.code).toBe(0);
  const report = JSON.parse(recorded.stdout);
  expect(report).toMatchObject({ ok: true, head: { version: 6 } });
  expect(report.witness.notes).toEqual([
    expect.stringMatching(/^version 5 \(cms\.log:\d+\): abandoned by the restore of /),
    expect.stringMatching(/^version 6 \(cms\.log:\d+\): abandoned by the restore of /),
  ]);

  // The same history with the restore epoch taken out of the head (re-signed, as only a
  // key holder could): the old witnessed versions 5 and 6 now contradict it.
  const exported = fs.readFileSync(path.join(dir, 'recorded.ndjson'), 'utf8').split('\n');
  const key = { id: keyIdOf(SIGNING_KEY), secret: SIGNING_KEY };
  const withoutEpoch = exported
    .map((line) => {
      if (!line.includes('"type":"head"')) return line;
      const { type, ...head } = JSON.parse(line);
      return JSON.stringify({ type, ...signHead(key, { ...head, events: [] }) });
    })
    .join('\n');
  const file = path.join(dir, 'without-epoch.ndjson');
  fs.writeFileSync(file, withoutEpoch);
  const contradicted = await verifyOffline([file, ...archives, '--witness', logFile]);
  expect(contradicted.code).toBe(1);
  expect(contradicted.stdout).toContain('BROKEN at version 5 (altered)');
  expect(contradicted.stdout).toMatch(/witnessed version 5 with another MAC/);
});
