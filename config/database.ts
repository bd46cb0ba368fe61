// Database connection. SQLite is the zero-setup default for development and tests;
// PostgreSQL (DATABASE_CLIENT=postgres + DATABASE_URL) is what production runs.
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

  if (client !== 'sqlite') {
    throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres" (got "${client}")`);
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
