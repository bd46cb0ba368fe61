/**
 * `history:archive` and `history:restore` next to the running CMS, end to end,
 * on whichever database the suite runs on (SQLite, PostgreSQL, MySQL/MariaDB):
 * archive, check what left and the signed checkpoints that stand in for it,
 * verify, restore, and the chain verifies end to end again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkpointCount, editRow, readRow } from '../helpers/chain';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import {
  allRows,
  archive,
  archiveFiles,
  archivedRecords,
  databaseVersions,
  expectExit,
  readArchive,
  restore,
} from './helpers/archive';
import { seedHistory } from './helpers/seed-history';

const VERSIONS = 3000;
const KEEP = 500;
const PINNED = [7, 1500];

let app: TestApp;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-archive-sqlite-'));
  app = await bootApp();
  await seedHistory(app.strapi, { upTo: VERSIONS, pinned: PINNED });
  env = app.database.env;
});
afterAll(async () => {
  await app?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('archives all but the newest N and the pinned versions, and restores them', async () => {
  const before = await allRows(app.strapi);

  const result = expectExit(
    await archive(['--keep', `${KEEP}`, '--batch-size', '400', '--dir', dir], env),
    0
  );
  expect(result.stdout).toContain(
    `Archived ${VERSIONS - KEEP - PINNED.length} versions into 7 file(s)`
  );
  const files = archiveFiles(dir);
  expect(files.map((file) => path.basename(file))[0]).toBe(
    'history-v0000000001-v0000000401.jsonl.gz'
  );
  const { header, records } = readArchive(files[0]);
  expect(header).toMatchObject({ from: 1, to: 401, count: 400 });
  // Portable records: JSON as JSON, dates as ISO strings, booleans as booleans.
  expect(records[0]).toMatchObject({ version: 1, pinned: false, change_type: 'create' });
  expect(records[0].data).toEqual(expect.objectContaining({ siteName: expect.any(String) }));
  expect(records[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

  const remaining = await databaseVersions(app.strapi);
  expect(remaining).toEqual([
    ...PINNED,
    ...Array.from({ length: KEEP }, (_, i) => VERSIONS - KEEP + 1 + i),
  ]);
  expect(archivedRecords(dir)).toHaveLength(VERSIONS - KEEP - PINNED.length);

  // A signed checkpoint for each archived range: 1–6 and 8–1499 and 1501–2500 in pieces of a batch.
  expect(await checkpointCount(app.strapi)).toBeGreaterThanOrEqual(7);
  expect((await verifyHistory()).body.data).toMatchObject({
    ok: true,
    versions: KEEP + PINNED.length,
    archived: { versions: VERSIONS - KEEP - PINNED.length },
  });

  // A pinned row kept inside an archived range is still checked.
  const pinned = await readRow(app.strapi, 1500);
  const undo = await editRow(app.strapi, 1500, {
    data: JSON.stringify({ ...pinned.data, ctaUrl: 'https://evil.example/phish' }),
  });
  expect((await verifyHistory()).body.data).toMatchObject({
    ok: false,
    brokenAt: 1500,
    reason: 'altered',
  });
  await undo();

  // Nothing left to do: a second run is a no-op.
  expectExit(await archive(['--keep', `${KEEP}`, '--dir', dir], env), 0);
  expect(await databaseVersions(app.strapi)).toEqual(remaining);

  expectExit(await restore(['--dir', dir], env), 0);
  expect(archiveFiles(dir)).toEqual([]);
  expect(archiveFiles(path.join(dir, 'restored'))).toHaveLength(7);
  expect(JSON.stringify(await allRows(app.strapi))).toBe(JSON.stringify(before));
  expect(await checkpointCount(app.strapi)).toBe(0);
  expect((await verifyHistory()).body.data).toMatchObject({
    ok: true,
    versions: VERSIONS,
    archived: { versions: 0, checkpoints: 0 },
  });
});

const verifyHistory = () =>
  app.request.get('/api/platform-settings/history/verify').set(founderHeaders).expect(200);

test('refuses bad arguments without touching anything', async () => {
  expect((await archive(['--dir', dir], env)).code).toBe(2);
  expect((await archive(['--keep', 'ten', '--dir', dir], env)).code).toBe(2);
  expect((await archive(['--older-than', '6 months', '--dir', dir], env)).code).toBe(2);
  const missing = await archive(['--keep', '1', '--dir', dir], {
    DATABASE_CLIENT: 'sqlite',
    DATABASE_URL: '',
    DATABASE_FILENAME: path.join(dir, 'no-such.db'),
  });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/No SQLite database at/);
  expect(await databaseVersions(app.strapi)).toHaveLength(VERSIONS);
});
