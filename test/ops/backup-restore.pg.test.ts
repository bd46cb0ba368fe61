/**
 * database/backup.sh and database/restore.sh on real PostgreSQL: back up a
 * database with 1,000 versions, restore it into a fresh database, boot Strapi
 * on that, and find the same settings and the same full history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { runScript, runScriptOk } from './helpers/scripts';
import { seedHistory } from './helpers/seed-history';

jest.setTimeout(180_000);

const VERSIONS = 1000;
const author = { kind: 'founder-key' as const };

let source: TestDatabase;
let restored: TestDatabase | undefined;
let app: TestApp | undefined;
let backupDir: string;

interface Snapshot {
  settings: unknown;
  etag: string;
  history: Record<string, unknown>[];
  live: Record<string, unknown>[];
}

/** Everything a restore must bring back: the API's view and the raw rows. */
const snapshot = async (running: TestApp): Promise<Snapshot> => {
  const res = await running.request.get('/api/platform-settings').expect(200);
  const knex = running.strapi.db.connection;
  return {
    settings: res.body,
    etag: res.headers.etag,
    history: await knex('platform_settings_history').select('*').orderBy('version'),
    live: await knex('platform_settings').select('*'),
  };
};

/** 1,000 versions: real writes (updates, rollbacks, a pin) around a bulk-seeded middle. */
const writeVersions = async (strapi: Core.Strapi) => {
  const plugin = strapi.plugin('platform-settings');
  const update = (tagline: string, note: string | null = null) =>
    plugin.service('settings').update({ tagline }, { author, note });
  await update('Second', 'First real change');
  await plugin.service('rollback').execute(1, { author, note: 'Back to the defaults' });
  await update('Fourth');
  await seedHistory(strapi, { upTo: VERSIONS - 3, pinned: [10, 500] });
  await update('After the seeded years', 'Recent');
  await plugin.service('rollback').execute(VERSIONS - 10, { author, note: null });
  await update('Live');
  await plugin.service('history').setPinned(VERSIONS - 1, true, 'Known good');
};

const scriptEnv = (database: TestDatabase) => ({
  DATABASE_CLIENT: 'postgres',
  DATABASE_URL: database.location,
  BACKUP_DIR: backupDir,
  BACKUP_KEEP: '2',
});

beforeAll(async () => {
  backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-backups-'));
  source = await createPostgresDatabase();
});
afterAll(async () => {
  await app?.stop({ keepDatabase: true });
  await source?.drop();
  await restored?.drop();
  fs.rmSync(backupDir, { recursive: true, force: true });
});

test('a restored backup boots with the same settings and the same 1,000-version history', async () => {
  app = await bootApp({ database: source });
  await writeVersions(app.strapi);
  const before = await snapshot(app);
  expect(before.history).toHaveLength(VERSIONS);
  // Backed up while the CMS runs, as the nightly job would.
  const { stdout } = await runScriptOk('database/backup.sh', [], scriptEnv(source));
  const backup = stdout.trim();
  expect(path.dirname(backup)).toBe(backupDir);
  expect(path.basename(backup)).toMatch(/^platform-settings-\d{8}T\d{6}\.\d{3}Z\.dump$/);
  await app.stop({ keepDatabase: true });
  app = undefined;

  restored = await createPostgresDatabase();
  await runScriptOk('database/restore.sh', ['--yes', 'latest'], scriptEnv(restored));

  app = await bootApp({ database: restored });
  const after = await snapshot(app);
  expect(after.etag).toBe(before.etag);
  expect(after.settings).toEqual(before.settings);
  expect(after.live).toEqual(before.live);
  expect(after.history).toEqual(before.history);

  const verify = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: VERSIONS });
  // And it goes on from there.
  const next = await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'After the restore' } })
    .expect(200);
  expect(next.body.data.version).toBe(VERSIONS + 1);
});

test('keeps only the newest BACKUP_KEEP backups', async () => {
  const made: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    made.push((await runScriptOk('database/backup.sh', [], scriptEnv(source))).stdout.trim());
  }
  const left = fs.readdirSync(backupDir).sort();
  expect(left).toEqual(made.slice(1).map((file) => path.basename(file)));
});

test('restore asks for --yes and touches nothing without it', async () => {
  const target = await createPostgresDatabase();
  try {
    const result = await runScript('database/restore.sh', ['latest'], scriptEnv(target));
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/Re-run with --yes/);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: target.location });
    await client.connect();
    try {
      const tables = await client.query(
        "select count(*)::int as n from information_schema.tables where table_schema = 'public'"
      );
      expect(tables.rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  } finally {
    await target.drop();
  }
});

test('backup fails loudly, leaving no partial file, when the database cannot be reached', async () => {
  const before = fs.readdirSync(backupDir);
  const result = await runScript('database/backup.sh', [], {
    ...scriptEnv(source),
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/no_such_database_for_backup',
  });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/no_such_database_for_backup/);
  expect(fs.readdirSync(backupDir)).toEqual(before);
});
