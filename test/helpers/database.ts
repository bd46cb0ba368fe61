/**
 * A fresh database per test file: a new SQLite file by default, a new
 * PostgreSQL database when DATABASE_URL is a postgres:// URL (or `postgres` is
 * asked for), a new MySQL/MariaDB database when it is a mysql:// URL (or
 * `mysql` is asked for). Each is created here and dropped by `drop()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createConnection, type Connection } from 'mysql2/promise';

export const ROOT = path.resolve(__dirname, '../..');
export const POSTGRES_ADMIN_URL =
  (process.env.DATABASE_URL?.startsWith('postgres') ? process.env.DATABASE_URL : undefined) ||
  process.env.TEST_POSTGRES_URL ||
  'postgres://postgres@127.0.0.1:5432/postgres';

export const MYSQL_ADMIN_URL =
  (process.env.DATABASE_URL?.startsWith('mysql') ? process.env.DATABASE_URL : undefined) ||
  process.env.TEST_MYSQL_URL ||
  'mysql://root@127.0.0.1:3306/test';

export interface TestDatabase {
  client: 'sqlite' | 'postgres' | 'mysql';
  /** Environment that points Strapi at this database. */
  env: Record<string, string>;
  /** Connection string (PostgreSQL) or file path (SQLite). */
  location: string;
  drop(): Promise<void>;
}

export const withAdminClient = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
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

/** A handle on the PostgreSQL database `name`: its environment, and drop(). */
export const postgresDatabase = (name: string): TestDatabase => {
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

export const createPostgresDatabase = async (
  name = `ps_test_${randomBytes(6).toString('hex')}`
): Promise<TestDatabase> => {
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  return postgresDatabase(name);
};

/** A handle on the SQLite file `file`: its environment, and drop(). */
export const sqliteDatabase = (file: string): TestDatabase => ({
  client: 'sqlite',
  env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
  location: file,
  drop: async () => {
    for (const suffix of ['', '-wal', '-shm', '-journal'])
      fs.rmSync(`${file}${suffix}`, { force: true });
  },
});

export const createSqliteDatabase = async (): Promise<TestDatabase> => {
  const file = path.join(ROOT, '.tmp', 'test', `${randomBytes(6).toString('hex')}.db`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return sqliteDatabase(file);
};

const withMysqlAdmin = async <T>(run: (client: Connection) => Promise<T>): Promise<T> => {
  const client = await createConnection(MYSQL_ADMIN_URL);
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

export const mysqlUrlFor = (database: string) => {
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
};

/** A handle on the MySQL/MariaDB database `name`: its environment, and drop(). */
export const mysqlDatabase = (name: string): TestDatabase => {
  const url = mysqlUrlFor(name);
  return {
    client: 'mysql',
    env: { DATABASE_CLIENT: 'mysql', DATABASE_URL: url },
    location: url,
    drop: () =>
      withMysqlAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS \`${name}\``);
      }),
  };
};

export const createMysqlDatabase = async (
  name = `ps_test_${randomBytes(6).toString('hex')}`
): Promise<TestDatabase> => {
  await withMysqlAdmin((client) =>
    client.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`)
  );
  return mysqlDatabase(name);
};

export const usingPostgres = () => Boolean(process.env.DATABASE_URL?.startsWith('postgres'));
export const usingMysql = () => Boolean(process.env.DATABASE_URL?.startsWith('mysql'));
/** The database this run's server suite is on. */
export const serverDatabase = (): TestDatabase['client'] =>
  usingPostgres() ? 'postgres' : usingMysql() ? 'mysql' : 'sqlite';

/** Which database a test app gets: the one asked for, else the one DATABASE_URL names, else SQLite. */
export const clientFor = (
  options: { postgres?: boolean; mysql?: boolean } = {}
): TestDatabase['client'] => {
  if (options.postgres || (!options.mysql && usingPostgres())) return 'postgres';
  if (options.mysql || usingMysql()) return 'mysql';
  return 'sqlite';
};

export const createTestDatabase = (options: { postgres?: boolean; mysql?: boolean } = {}) => {
  const client = clientFor(options);
  if (client === 'postgres') return createPostgresDatabase();
  if (client === 'mysql') return createMysqlDatabase();
  return createSqliteDatabase();
};
