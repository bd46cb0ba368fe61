/**
 * `history:archive` and `history:restore` on PostgreSQL with 50,000 versions,
 * while the CMS runs: the right versions leave (never the live one, the newest
 * N or a pinned one), nothing is lost or duplicated when a run is killed halfway,
 * and a restore brings back exactly the rows that left.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import {
  allRows,
  archive,
  archiveFiles,
  archivedRecords,
  databaseVersions,
  expectExit,
  restore,
  startArchive,
  startRestore,
  waitUntil,
} from './helpers/archive';
import { seedHistory } from './helpers/seed-history';

jest.setTimeout(240_000);

const VERSIONS = 50_000;
const KEEP = 1000;
const PINNED = [5, 1234, 20_000, 49_500];
const DAY_MS = 86_400_000;

let app: TestApp;
let dir: string;
let env: Record<string, string>;
let original: Record<string, unknown>[];

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
const kept = [
  ...PINNED.filter((v) => v <= VERSIONS - KEEP),
  ...range(VERSIONS - KEEP + 1, VERSIONS),
];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-archive-'));
  app = await bootApp({ postgres: true });
  await seedHistory(app.strapi, {
    upTo: VERSIONS,
    pinned: PINNED,
    firstCreatedAt: new Date(Date.now() - 400 * DAY_MS),
  });
  original = await allRows(app.strapi);
  env = { DATABASE_CLIENT: 'postgres', DATABASE_URL: app.database.location };
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a dry run counts what would go and changes nothing', async () => {
  const result = expectExit(
    await archive(['--keep', `${KEEP}`, '--dry-run', '--dir', dir], env),
    0
  );
  expect(result.stdout).toContain(`${VERSIONS - kept.length} versions to archive (dry run`);
  expect(await databaseVersions(app.strapi)).toHaveLength(VERSIONS);
  expect(archiveFiles(dir)).toEqual([]);
});

test('killed halfway, it loses nothing; run again, it finishes without duplicates', async () => {
  const run = startArchive(['--keep', `${KEEP}`, '--batch-size', '500', '--dir', dir], env);
  await waitUntil(() => archiveFiles(dir).length >= 5, 'five archive files');
  run.child.kill('SIGKILL');
  await run.done;

  // Every version is somewhere; only the batch in hand may be in both places.
  const inDatabase = new Set(await databaseVersions(app.strapi));
  const inFiles = archivedRecords(dir).map((record) => record.version);
  expect(new Set(inFiles).size).toBe(inFiles.length);
  expect(new Set([...inDatabase, ...inFiles]).size).toBe(VERSIONS);
  expect(inFiles.filter((v) => inDatabase.has(v)).length).toBeLessThanOrEqual(500);

  expectExit(await archive(['--keep', `${KEEP}`, '--batch-size', '500', '--dir', dir], env), 0);

  expect(await databaseVersions(app.strapi)).toEqual(kept);
  const records = archivedRecords(dir);
  const versions = records.map((record) => record.version);
  expect(versions).toEqual(range(1, VERSIONS - KEEP).filter((v) => !PINNED.includes(v)));
  // The archived rows are the rows that were in the database (checked in plain JS: 49,000 rows).
  const byVersion = new Map(original.map((row) => [Number(row.version), row]));
  const differing = records.filter((record) => {
    const row = byVersion.get(record.version)!;
    return (
      record.hash !== row.hash ||
      JSON.stringify(record.data) !== JSON.stringify(JSON.parse(row.data as string)) ||
      record.created_at !== (row.created_at as Date).toISOString()
    );
  });
  expect(differing).toEqual([]);
});

test('the CMS keeps serving and writing while the history is archived', async () => {
  const live = await app.request.get('/api/platform-settings').expect(200);
  expect(live.body.data.version).toBe(VERSIONS);
  const list = await app.request
    .get('/api/platform-settings/history/versions?pageSize=1')
    .set(founderHeaders)
    .expect(200);
  expect(list.body.meta.pagination.total).toBe(kept.length);
});

test('a run interrupted after writing a file but before deleting is completed by the next', async () => {
  // Recreate that moment exactly: the newest file's rows back in the database, file still there.
  const [newest] = archiveFiles(dir).slice(-1);
  const copy = `${newest}.copy`;
  fs.copyFileSync(newest, copy);
  expectExit(await restore([newest], env), 0);
  fs.renameSync(copy, newest);
  expect((await databaseVersions(app.strapi)).length).toBeGreaterThan(kept.length);

  const result = expectExit(await archive(['--keep', `${KEEP}`, '--dir', dir], env), 0);
  expect(result.stdout).toMatch(/Finished an interrupted run: removed \d+ archived rows/);
  expect(await databaseVersions(app.strapi)).toEqual(kept);
  const versions = archivedRecords(dir).map((record) => record.version);
  expect(new Set(versions).size).toBe(versions.length);
});

test('restore, interrupted and rerun, brings back every row exactly', async () => {
  const run = startRestore(['--dir', dir], env);
  await waitUntil(
    () =>
      fs.existsSync(path.join(dir, 'restored')) &&
      archiveFiles(path.join(dir, 'restored')).length >= 3,
    'three restored files'
  );
  run.child.kill('SIGINT');
  const interrupted = await run.done;
  // Stopped cleanly after a whole file, or had already finished.
  expect([0, 130]).toContain(interrupted.code);

  expectExit(await restore(['--dir', dir], env), 0);
  expect(archiveFiles(dir)).toEqual([]);
  // Compared as text: a deep comparison of 50,000 rows is needlessly slow.
  expect(JSON.stringify(await allRows(app.strapi))).toBe(JSON.stringify(original));

  const verify = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: VERSIONS });
});

test('--older-than archives only what is older, never a pinned or the live version', async () => {
  const archiveDir = path.join(dir, 'by-age');
  expectExit(await archive(['--older-than', '200d', '--dir', archiveDir], env), 0);
  const cutoff = Date.now() - 200 * DAY_MS;
  const records = archivedRecords(archiveDir);
  expect(records.length).toBeGreaterThan(20_000);
  for (const record of records) expect(Date.parse(record.created_at)).toBeLessThan(cutoff);

  const left = await allRows(app.strapi);
  for (const row of left) {
    const older = (row.created_at as Date).getTime() < cutoff - 60_000;
    if (older) expect(PINNED).toContain(Number(row.version));
  }
  expect(left.length + records.length).toBe(VERSIONS);
});
