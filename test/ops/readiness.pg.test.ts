/**
 * Readiness on PostgreSQL during a real outage (not a mock): the instance stays
 * ready — it can serve the settings from memory, flagged stale in the body and
 * the `settings_stale` metric — so a load balancer keeps it in rotation; fresh
 * again once the database is back. Strapi's `/_health` (liveness) answers
 * throughout. 503 only when there is nothing to serve.
 */
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL } from '../helpers/database';
import { bootApp, type TestApp } from '../helpers/strapi';

let app: TestApp;
let databaseName: string;

const admin = async (sql: string, params: unknown[] = []) => {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
};

/** The outage: no new connections to this database, and the open ones cut. */
const takeDatabaseDown = async () => {
  await admin(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS false`);
  await admin(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [databaseName]
  );
};
const bringDatabaseBack = () =>
  admin(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`);

beforeAll(async () => {
  app = await bootApp({ postgres: true });
  databaseName = new URL(app.database.location).pathname.slice(1);
});
afterAll(async () => {
  await bringDatabaseBack();
  await app?.stop();
});

const staleGauge = async () => {
  const text = (await app.request.get('/metrics')).text;
  return Number(/^settings_stale (\d+)/m.exec(text)?.[1]);
};

test('ready and fresh, still ready but stale during a database outage, fresh again', async () => {
  const ready = await app.request.get('/api/platform-settings/health').expect(200);
  expect(ready.body).toEqual({
    status: 'ready',
    checks: { database: 'up', settings: 'fresh' },
    settingsVersion: 1,
    draining: false,
  });
  expect(await staleGauge()).toBe(0);

  // Strapi and knex's pool log the cut and refused connections; expected here.
  const consoles = app.strapi.log.transports;
  consoles.forEach((t) => (t.silent = true));
  const knexLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await takeDatabaseDown();
    const down = await app.request.get('/api/platform-settings/health').expect(200);
    expect(down.headers['cache-control']).toBe('no-store');
    expect(down.body).toEqual({
      status: 'ready',
      checks: { database: 'down', settings: 'stale' },
      settingsVersion: 1,
      draining: false,
    });
    expect(await staleGauge()).toBe(1);
    const served = await app.request.get('/api/platform-settings').expect(200);
    expect(served.headers['x-settings-stale']).toBe('true');
    // The error stays in the logs: the public answer names no host or user.
    expect(JSON.stringify(down.body)).not.toMatch(/postgres|127\.0\.0\.1|ps_test_/);
    await app.request.get('/_health').expect(204);
  } finally {
    await bringDatabaseBack();
    consoles.forEach((t) => (t.silent = false));
  }

  // Fresh again without a restart, once the version check has reached the database.
  await app.strapi.plugin('platform-settings').service('invalidation').checkVersion();
  const back = await app.request.get('/api/platform-settings/health').expect(200);
  expect(back.body.checks).toEqual({ database: 'up', settings: 'fresh' });
  expect(await staleGauge()).toBe(0);
  knexLog.mockRestore();
});

test('unavailable when there are no settings to serve', async () => {
  const knex = app.strapi.db.connection;
  const live = await knex('platform_settings').select('*');
  const cache = app.strapi.plugin('platform-settings').service('cache');
  await knex('platform_settings').del();
  cache.clear();
  try {
    const res = await app.request.get('/api/platform-settings/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'unavailable',
      checks: { database: 'up', settings: 'missing' },
      settingsVersion: null,
    });
  } finally {
    await knex('platform_settings').insert(live);
    await cache.refresh();
  }
  await app.request.get('/api/platform-settings/health').expect(200);
});
