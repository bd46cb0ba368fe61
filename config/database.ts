// Database connection. SQLite is the zero-setup default for development and tests;
// PostgreSQL (DATABASE_CLIENT=postgres + DATABASE_URL) is what production runs;
// MySQL 8 and MariaDB 10.3+ work too (DATABASE_CLIENT=mysql + DATABASE_URL=mysql://…).
import path from 'node:path';

type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
  bool(key: string, fallback?: boolean): boolean;
};

export default ({ env }: { env: Env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');

  if (client === 'postgres') {
    return {
      connection: {
        client: 'postgres',
        connection: {
          connectionString: env(
            'DATABASE_URL',
            'postgres://postgres@127.0.0.1:5432/platform_settings'
          ),
          ssl: env.bool('DATABASE_SSL', false)
            ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
            : false,
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 10000),
      },
    };
  }

  if (client === 'mysql') {
    // mysql2 takes no connection string here (Strapi adds options to the object), so split it.
    const url = new URL(env('DATABASE_URL', 'mysql://root@127.0.0.1:3306/platform_settings'));
    return {
      connection: {
        client: 'mysql',
        connection: {
          host: url.hostname,
          port: Number(url.port || 3306),
          user: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
          database: decodeURIComponent(url.pathname.slice(1)),
          ssl: env.bool('DATABASE_SSL', false)
            ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) }
            : undefined,
          charset: 'utf8mb4',
          // Dates are stored as UTC whatever the host's time zone, so every instance
          // reads back the same instant (the history's MACs cover createdAt).
          timezone: 'Z',
        },
        pool: { min: env.int('DATABASE_POOL_MIN', 2), max: env.int('DATABASE_POOL_MAX', 10) },
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 10000),
        // Strapi's schema sync runs DDL inside transactions, which MySQL commits implicitly;
        // knex warns about each statement. Harmless there, and noise everywhere else.
        log: {
          warn(message: string) {
            if (!/implicitly committed/.test(message)) console.warn(message);
          },
        },
      },
    };
  }

  if (client !== 'sqlite') {
    throw new Error(`DATABASE_CLIENT must be "sqlite", "postgres" or "mysql" (got "${client}")`);
  }

  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.resolve(process.cwd(), env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
      pool: {
        // Write-ahead logging: readers never wait for the writer and a commit costs one
        // fsync instead of several; `synchronous` stays FULL so a commit survives power loss.
        afterCreate: (
          connection: { pragma: (statement: string) => unknown },
          done: (error?: Error) => void
        ) => {
          try {
            connection.pragma('journal_mode = WAL');
            connection.pragma('busy_timeout = 5000');
            done();
          } catch (error) {
            done(error as Error);
          }
        },
      },
    },
  };
};
