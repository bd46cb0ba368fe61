/**
 * database/backup.sh and database/restore.sh on whichever database the suite
 * runs on (SQLite, PostgreSQL, MySQL/MariaDB): back up a database with 1,000
 * versions, restore it into a fresh database, boot Strapi on that, and find the
 * same settings and the same full history. Passwords never reach a command line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import Database from 'better-sqlite3';
import {
  createTestDatabase,
  MYSQL_ADMIN_URL,
  serverDatabase,
  type TestDatabase,
} from '../helpers/database';
import { bootApp, createAppDatabase, founderHeaders, type TestApp } from '../helpers/strapi';
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
  DATABASE_URL: '',
  DATABASE_FILENAME: '',
  ...database.env,
  BACKUP_DIR: backupDir,
  BACKUP_KEEP: '2',
});

/** How many tables the database holds (0 for a fresh one). */
const tableCount = async (database: TestDatabase): Promise<number> => {
  switch (database.client) {
    case 'sqlite': {
      if (!fs.existsSync(database.location)) return 0;
      const db = new Database(database.location, { readonly: true });
      try {
        return (
          db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as {
            n: number;
          }
        ).n;
      } finally {
        db.close();
      }
    }
    case 'postgres': {
      const client = new Client({ connectionString: database.location });
      await client.connect();
      try {
        const { rows } = await client.query(
          "select count(*)::int as n from information_schema.tables where table_schema = 'public'"
        );
        return rows[0].n;
      } finally {
        await client.end();
      }
    }
    case 'mysql': {
      const client = await createConnection(database.location);
      try {
        const [rows] = await client.query(
          'select count(*) as n from information_schema.tables where table_schema = database()'
        );
        return Number((rows as { n: number }[])[0].n);
      } finally {
        await client.end();
      }
    }
  }
};

beforeAll(async () => {
  backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-backups-'));
  source = await createAppDatabase();
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
  expect(path.basename(backup)).toMatch(
    /^platform-settings-\d{8}T\d{6}\.\d{3}Z\.(dump|sql|sqlite)$/
  );
  await app.stop({ keepDatabase: true });
  app = undefined;

  restored = await createTestDatabase();
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
  const target = await createTestDatabase();
  try {
    const result = await runScript('database/restore.sh', ['latest'], scriptEnv(target));
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/Re-run with --yes/);
    expect(await tableCount(target)).toBe(0);
  } finally {
    await target.drop();
  }
});

test('backup fails loudly, leaving no partial file, when the database cannot be reached', async () => {
  const before = fs.readdirSync(backupDir);
  const unreachable = {
    sqlite: { DATABASE_FILENAME: path.join(backupDir, 'no_such_database_for_backup.db') },
    postgres: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/no_such_database_for_backup' },
    mysql: { DATABASE_URL: MYSQL_ADMIN_URL.replace(/\/[^/]*$/, '/no_such_database_for_backup') },
  }[source.client];
  const result = await runScript('database/backup.sh', [], {
    ...scriptEnv(source),
    ...unreachable,
  });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(/no_such_database_for_backup/);
  expect(fs.readdirSync(backupDir)).toEqual(before);
});

// SQLite has no password to leak.
if (serverDatabase() !== 'sqlite') {
  test('hands the password to the client tools through their environment, never their command line', async () => {
    const password = 'pass-word-that-must-stay-secret-42';
    // Each client tool, wrapped: it records its command line, then runs the real one.
    const shims = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-shims-'));
    const argvLog = path.join(shims, 'argv.log');
    for (const tool of ['pg_dump', 'pg_restore', 'mysqldump', 'mysql']) {
      const real = ['/usr/bin', '/usr/local/bin']
        .map((dir) => path.join(dir, tool))
        .find(fs.existsSync);
      if (!real) continue;
      fs.writeFileSync(
        path.join(shims, tool),
        `#!/bin/sh\nprintf '%s\\n' "$0 $*" >> "${argvLog}"\nexec "${real}" "$@"\n`,
        { mode: 0o755 }
      );
    }
    let url: URL;
    if (source.client === 'mysql') {
      // MySQL checks passwords: a user that has one, for this database only.
      const admin = await createConnection(MYSQL_ADMIN_URL);
      const name = new URL(source.location).pathname.slice(1);
      await admin.query(`CREATE USER IF NOT EXISTS 'ps_backup'@'%' IDENTIFIED BY '${password}'`);
      await admin.query(`GRANT ALL ON \`${name}\`.* TO 'ps_backup'@'%'`);
      await admin.end();
      url = new URL(source.location);
      url.username = 'ps_backup';
    } else {
      // Local PostgreSQL trusts the connection; the password still travels, and must not be seen.
      url = new URL(source.location);
    }
    url.password = password;
    const env = {
      ...scriptEnv(source),
      DATABASE_URL: url.toString(),
      PATH: `${shims}:${process.env.PATH}`,
    };
    const { stdout } = await runScriptOk('database/backup.sh', [], env);
    const target = await createTestDatabase();
    try {
      const targetUrl = new URL(target.location);
      targetUrl.password = password;
      if (source.client === 'mysql') {
        const admin = await createConnection(MYSQL_ADMIN_URL);
        await admin.query(`GRANT ALL ON \`${targetUrl.pathname.slice(1)}\`.* TO 'ps_backup'@'%'`);
        await admin.end();
        targetUrl.username = 'ps_backup';
      }
      await runScriptOk(
        'database/restore.sh',
        ['--yes', '--target', targetUrl.toString(), stdout.trim()],
        env
      );
      expect(await tableCount(target)).toBeGreaterThan(10);
    } finally {
      await target.drop();
    }
    const commandLines = fs.readFileSync(argvLog, 'utf8');
    expect(commandLines).toMatch(/(pg_dump|mysqldump) /);
    expect(commandLines).not.toContain(password);
    fs.rmSync(shims, { recursive: true, force: true });
  });
}
