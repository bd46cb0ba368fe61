/**
 * Fresh databases that already hold the app's tables, for the test files that boot on one.
 *
 * Creating Strapi's tables, indexes and foreign keys on an empty database was most of each
 * boot on PostgreSQL and MariaDB, and every server test file paid it again. When a run asks for
 * it (TEST_SCHEMA_TEMPLATE, which `npm test` sets for the server groups), the global setup boots
 * the app once on an empty database in a child process (boot-once.cjs), then empties every table
 * except Strapi's record of the schema and of the migrations it ran: the state a first start is
 * in right after its schema sync, just before the bootstraps. Each file then gets a copy of that
 * template (SQLite: the file; PostgreSQL: `CREATE DATABASE … TEMPLATE`; MySQL/MariaDB, which has
 * no templates: the template's own `CREATE TABLE` statements). Strapi finds the stored schema
 * hash equal to the app's and skips the sync; every bootstrap (the admin, the roles, the
 * plugin's chains, the home page seed) still runs on empty tables, as on a first start. An app
 * whose schema differs (another environment) finds another hash and syncs as usual, so a copy is
 * never wrong, only sometimes not faster.
 *
 * Without a template for the client asked for (a single file run with plain `npx jest`), a file
 * gets an empty database, as before. Files that need a truly empty database (a restore's target,
 * refusals before the sync) keep calling createTestDatabase. global-teardown.ts drops the template.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createConnection } from 'mysql2/promise';
import knex from 'knex';
import { APP_ENV } from './app-env';
import {
  clientFor,
  createMysqlDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
  createTestDatabase,
  MYSQL_ADMIN_URL,
  mysqlDatabase,
  postgresDatabase,
  ROOT,
  serverDatabase,
  sqliteDatabase,
  withAdminClient,
  type TestDatabase,
} from './database';

type ClientName = TestDatabase['client'];

/** What Strapi reads to decide that the schema is in place, and that its migrations ran. */
const KEPT_TABLES = new Set([
  'strapi_database_schema',
  'strapi_migrations',
  'strapi_migrations_internal',
]);

interface Template {
  client: ClientName;
  /** SQLite: the file; PostgreSQL, MySQL: the database's name. */
  location: string;
  /** MySQL: each table's CREATE TABLE, as SHOW CREATE TABLE gives it. */
  tables?: { name: string; create: string }[];
}

const quotePg = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteMysql = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** Empties every table but the kept ones, identities and auto-increments starting over. */
const emptyTables = async (database: TestDatabase, name: string): Promise<Template> => {
  if (database.client === 'sqlite') {
    const db = knex({
      client: 'better-sqlite3',
      connection: { filename: database.location },
      useNullAsDefault: true,
    });
    try {
      await db.raw('PRAGMA foreign_keys = OFF');
      const tables = (await db.raw(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      )) as { name: string }[];
      for (const { name: table } of tables) {
        if (!KEPT_TABLES.has(table)) await db(table).del();
      }
      if (await db.schema.hasTable('sqlite_sequence')) {
        await db('sqlite_sequence')
          .whereNotIn('name', [...KEPT_TABLES])
          .del();
      }
      await db.raw('VACUUM');
    } finally {
      await db.destroy();
    }
    return { client: 'sqlite', location: database.location };
  }
  if (database.client === 'postgres') {
    const client = new Client({ connectionString: database.location });
    await client.connect();
    try {
      const { rows } = await client.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`
      );
      const emptied = rows.map((row) => row.tablename).filter((table) => !KEPT_TABLES.has(table));
      await client.query(
        `TRUNCATE TABLE ${emptied.map(quotePg).join(', ')} RESTART IDENTITY CASCADE`
      );
    } finally {
      await client.end();
    }
    return { client: 'postgres', location: name };
  }
  const connection = await createConnection(database.location);
  try {
    const [rows] = await connection.query(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name`
    );
    const names = (rows as { name: string }[]).map((row) => row.name);
    await connection.query('SET FOREIGN_KEY_CHECKS = 0');
    const tables: Template['tables'] = [];
    for (const table of names) {
      if (!KEPT_TABLES.has(table)) await connection.query(`TRUNCATE TABLE ${quoteMysql(table)}`);
      const [created] = await connection.query(`SHOW CREATE TABLE ${quoteMysql(table)}`);
      tables.push({
        name: table,
        create: (created as Record<string, string>[])[0]['Create Table'],
      });
    }
    return { client: 'mysql', location: name, tables };
  } finally {
    await connection.end();
  }
};

/**
 * The client TEST_SCHEMA_TEMPLATE asks a template for: `sqlite`, `postgres` or `mysql`, or `1`
 * for the database this run's server suite is on; null when unset.
 */
export const templateClientAsked = (): ClientName | null => {
  const asked = process.env.TEST_SCHEMA_TEMPLATE;
  if (!asked || asked === '0') return null;
  if (asked === 'sqlite' || asked === 'postgres' || asked === 'mysql') return asked;
  return serverDatabase();
};

/**
 * Boots the app once on a new database of `client`, empties it, and says where the template is
 * (a JSON file, which the workers read through TEST_SCHEMA_TEMPLATE_FILE).
 */
export const prepareTemplate = async (client: ClientName): Promise<string> => {
  const name = `ps_schema_${randomBytes(6).toString('hex')}`;
  const database =
    client === 'postgres'
      ? await createPostgresDatabase(name)
      : client === 'mysql'
        ? await createMysqlDatabase(name)
        : await createSqliteDatabase();
  const booted = spawnSync(process.execPath, [path.join(__dirname, 'boot-once.cjs')], {
    cwd: ROOT,
    env: { ...process.env, ...APP_ENV, ...database.env },
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  if (booted.status !== 0) {
    await database.drop();
    throw new Error(`Booting the app for the schema template failed:\n${booted.stderr}`);
  }
  const template = await emptyTables(database, name);
  const file = path.join(os.tmpdir(), `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(template));
  return file;
};

const readTemplate = (): Template | null => {
  const file = process.env.TEST_SCHEMA_TEMPLATE_FILE;
  if (!file || !fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Template;
};

const copyOf = async (template: Template): Promise<TestDatabase> => {
  if (template.client === 'sqlite') {
    const database = await createSqliteDatabase();
    fs.copyFileSync(template.location, database.location);
    return database;
  }
  const name = `ps_test_${randomBytes(6).toString('hex')}`;
  if (template.client === 'postgres') {
    await withAdminClient((client) =>
      client.query(`CREATE DATABASE ${quotePg(name)} TEMPLATE ${quotePg(template.location)}`)
    );
    return postgresDatabase(name);
  }
  // One round trip: the tables with their keys and indexes (foreign keys unchecked while the
  // tables they name are still missing), then Strapi's records of the schema and migrations.
  const connection = await createConnection({ uri: MYSQL_ADMIN_URL, multipleStatements: true });
  try {
    const tables = template.tables ?? [];
    await connection.query(
      [
        `CREATE DATABASE ${quoteMysql(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
        `USE ${quoteMysql(name)}`,
        'SET FOREIGN_KEY_CHECKS = 0',
        ...tables.map((table) => table.create),
        ...tables
          .filter((table) => KEPT_TABLES.has(table.name))
          .map(
            (table) =>
              `INSERT INTO ${quoteMysql(table.name)} SELECT * FROM ${quoteMysql(template.location)}.${quoteMysql(table.name)}`
          ),
      ].join(';\n')
    );
  } finally {
    await connection.end();
  }
  return mysqlDatabase(name);
};

/** A fresh database with the app's schema already in place where this run has a template for it. */
export const createPreparedDatabase = async (
  options: { postgres?: boolean; mysql?: boolean } = {}
): Promise<TestDatabase> => {
  const template = readTemplate();
  return template?.client === clientFor(options) ? copyOf(template) : createTestDatabase(options);
};

/** Drops this run's template (global-teardown.ts). */
export const dropTemplate = async () => {
  const template = readTemplate();
  if (!template) return;
  if (template.client === 'sqlite') await sqliteDatabase(template.location).drop();
  else if (template.client === 'postgres') await postgresDatabase(template.location).drop();
  else await mysqlDatabase(template.location).drop();
  fs.rmSync(process.env.TEST_SCHEMA_TEMPLATE_FILE!, { force: true });
};
