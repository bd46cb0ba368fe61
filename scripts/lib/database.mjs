/**
 * A database connection for the operations scripts, from the same environment
 * variables and defaults as config/database.ts (keep the two in step), with
 * ./.env read first as Strapi does. Talking to the database directly, not
 * through a booted Strapi, keeps the scripts fast and usable while the CMS runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import knex from 'knex';

export const HISTORY_TABLE = 'platform_settings_history';
export const SETTINGS_TABLE = 'platform_settings';

/** Values already in the environment win over ./.env, as with Strapi. */
export const loadDotEnv = () => {
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
};

const flag = (value, fallback) =>
  value === undefined || value === '' ? fallback : value === 'true';

export const connect = (env = process.env) => {
  const client = env.DATABASE_CLIENT || 'sqlite';
  if (client === 'postgres') {
    return knex({
      client: 'pg',
      connection: {
        connectionString:
          env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/platform_settings',
        ssl: flag(env.DATABASE_SSL, false)
          ? { rejectUnauthorized: flag(env.DATABASE_SSL_REJECT_UNAUTHORIZED, true) }
          : false,
      },
      pool: { min: 0, max: 2 },
    });
  }
  if (client === 'mysql') {
    const url = new URL(env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/platform_settings');
    return knex({
      client: 'mysql2',
      connection: {
        host: url.hostname,
        port: Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: decodeURIComponent(url.pathname.slice(1)),
        ssl: flag(env.DATABASE_SSL, false)
          ? { rejectUnauthorized: flag(env.DATABASE_SSL_REJECT_UNAUTHORIZED, true) }
          : undefined,
        charset: 'utf8mb4',
        timezone: 'Z',
      },
      pool: { min: 0, max: 2 },
    });
  }
  if (client !== 'sqlite') {
    throw new Error(`DATABASE_CLIENT must be "sqlite", "postgres" or "mysql" (got "${client}")`);
  }
  const filename = path.resolve(process.cwd(), env.DATABASE_FILENAME || '.tmp/data.db');
  // Opening a missing file would quietly create an empty database.
  if (!fs.existsSync(filename)) throw new Error(`No SQLite database at ${filename}`);
  return knex({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
};

/** Fails early, with a hint, when the CMS has never run against this database. */
export const assertSchema = async (db) => {
  for (const table of [HISTORY_TABLE, SETTINGS_TABLE]) {
    if (!(await db.schema.hasTable(table))) {
      throw new Error(`Table ${table} is missing: start the CMS once against this database`);
    }
  }
};

/**
 * The version the live settings are at (or, given a versioned type's table, its
 * published version); it is never archived.
 */
export const liveVersion = async (db, liveTable = SETTINGS_TABLE) => {
  const query = db(liveTable).orderBy('id');
  if (liveTable !== SETTINGS_TABLE) query.whereNotNull('published_at');
  const row = await query.first('version');
  return row?.version == null ? null : Number(row.version);
};
