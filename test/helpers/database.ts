/**
 * A fresh database per test file: a new SQLite file by default, or a new
 * PostgreSQL database when DATABASE_URL is set (or `usePostgres` is asked for).
 * Each is created here and dropped by `drop()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ROOT = path.resolve(__dirname, '../..');
export const POSTGRES_ADMIN_URL =
  process.env.DATABASE_URL ||
  process.env.TEST_POSTGRES_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  client: 'sqlite' | 'postgres';
  /** Environment that points Strapi at this database. */
  env: Record<string, string>;
  /** Connection string (PostgreSQL) or file path (SQLite). */
  location: string;
  drop(): Promise<void>;
}

const withAdminClient = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

export const postgresUrlFor = (database: string) => {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
};

export const createPostgresDatabase = async (
  name = `ps_test_${randomBytes(6).toString('hex')}`
): Promise<TestDatabase> => {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = postgresUrlFor(name);
  return {
    client: 'postgres',
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url },
    location: url,
    drop: () =>
      withAdminClient(async (client) => {
        await client.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [name]
        );
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
      }),
  };
};

export const createSqliteDatabase = async (): Promise<TestDatabase> => {
  const file = path.join(ROOT, '.tmp', 'test', `${randomBytes(6).toString('hex')}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    client: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    location: file,
    drop: async () => {
      for (const suffix of ['', '-wal', '-shm', '-journal'])
        fs.rmSync(`${file}${suffix}`, { force: true });
    },
  };
};

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

export const createTestDatabase = (options: { postgres?: boolean } = {}) =>
  options.postgres || usingPostgres() ? createPostgresDatabase() : createSqliteDatabase();
