/**
 * PostgreSQL goes away under load and comes back: reads keep answering from
 * the last good copy (and say it may be stale), writes answer 503 and change
 * nothing, and the server recovers by itself.
 */
import { Client } from 'pg';
import { POSTGRES_ADMIN_URL } from '../helpers/database';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';
import { ensureHomePage, restOf, setPublicAction } from '../helpers/home-page';

let app: TestApp;
let admin: Client;
let databaseName: string;

beforeAll(async () => {
  app = await bootApp({ postgres: true, env: { SETTINGS_VERSION_CHECK_MS: '200' } });
  databaseName = new URL(app.database.location).pathname.slice(1);
  admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
});
afterAll(async () => {
  await admin
    ?.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`)
    .catch(() => undefined);
  await admin?.end();
  await app?.stop();
});

const takeDatabaseDown = async () => {
  await admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS false`);
  await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
    databaseName,
  ]);
};
const bringDatabaseBack = () =>
  admin.query(`ALTER DATABASE "${databaseName}" ALLOW_CONNECTIONS true`);

/** Connections already open may answer a moment longer: wait until a query fails. */
const databaseIsDown = () =>
  until(
    async () => !(await app.strapi.plugin('platform-settings').service('readiness').pingDatabase())
  );

const until = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

it('keeps serving reads, refuses writes with 503, and recovers without a restart', async () => {
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Before the outage' } })
    .expect(200);

  // A steady read load for the whole test.
  const readStatuses: number[] = [];
  let loading = true;
  const load = (async () => {
    while (loading) {
      const res = await app.request.get('/api/platform-settings');
      readStatuses.push(res.status);
    }
  })();

  await takeDatabaseDown();
  await until(
    async () =>
      (await app.request.get('/api/platform-settings')).headers['x-settings-stale'] === 'true'
  );

  const stale = await app.request.get('/api/platform-settings').expect(200);
  expect(stale.body.data).toMatchObject({ version: 2, heroTitle: 'Before the outage' });

  for (const attempt of [
    () =>
      app.request
        .put('/api/platform-settings')
        .set(founderHeaders)
        .send({ data: { heroTitle: 'During the outage' } }),
    () => app.request.post('/api/platform-settings/rollback/1').set(founderHeaders),
  ]) {
    const res = await attempt();
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      status: 503,
      name: 'ServiceUnavailableError',
      message: expect.stringContaining('nothing was changed'),
    });
    expect(res.headers['retry-after']).toBe('5');
  }

  await bringDatabaseBack();
  await until(
    async () =>
      (await app.request.get('/api/platform-settings')).headers['x-settings-stale'] === undefined
  );

  const after = await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'After the outage' } });
  expect(after.status).toBe(200);
  expect(after.body.data.version).toBe(3);

  loading = false;
  await load;
  expect(readStatuses.length).toBeGreaterThan(20);
  expect(readStatuses.filter((status) => status !== 200)).toEqual([]);
  expect((await historyRows(app.strapi)).map((row) => row.version)).toEqual([1, 2, 3]);
});

it('answers the home page during an outage from the copy it holds, and with 503 (never 401) before it holds one', async () => {
  await ensureHomePage(app);
  await setPublicAction(app, 'api::home-page.home-page.find', true);
  // This instance has never answered the home page through its stack: it learned no headers
  // for it, and whatever copy it holds is forgotten here, as after a change of permissions.
  app.strapi.plugin('platform-settings').service('typeDelivery').clear();
  await takeDatabaseDown();
  await databaseIsDown();
  try {
    const none = await restOf(app).get('/api/home-page');
    expect(none.status).toBe(503);
    expect(none.headers['retry-after']).toBe('5');
    expect(none.headers['cache-control']).toBe('no-store');
    expect(none.headers['www-authenticate']).toBeUndefined();
    expect(none.body.error).toMatchObject({ status: 503, name: 'ServiceUnavailableError' });
  } finally {
    await bringDatabaseBack();
  }
  await until(async () => (await restOf(app).get('/api/home-page')).status === 200);
  const fresh = await restOf(app).get('/api/home-page').expect(200);

  await takeDatabaseDown();
  await databaseIsDown();
  try {
    // An Origin this instance has not answered yet goes through the stack, which cannot ask
    // the database for the Public role's permissions: the copy it holds, flagged stale.
    const stale = await restOf(app).get('/api/home-page').set('Origin', 'https://new.example');
    expect(stale.status).toBe(200);
    expect(stale.text).toBe(fresh.text);
    expect(stale.headers.etag).toBe(fresh.headers.etag);
    expect(stale.headers['x-settings-stale']).toBe('true');
    expect(stale.headers['cache-control']).toBe(fresh.headers['cache-control']);
    // And the Origin it has answered, from memory.
    expect((await restOf(app).get('/api/home-page')).status).toBe(200);
  } finally {
    await bringDatabaseBack();
  }
});
