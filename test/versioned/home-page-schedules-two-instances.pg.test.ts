/**
 * Two instances on one PostgreSQL database, both looking for due schedules every
 * 100 ms: three scheduled publishes of the home page's draft, due at the same
 * moment, each run exactly once — one makes version 2 on the home page's chain,
 * the others find nothing left to publish — and the settings' chain is untouched.
 */
import { startStrapi, type RunningStrapi } from '../../scripts/lib/launcher.cjs';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { FOUNDER_KEY, SIGNING_KEY } from '../helpers/strapi';
import { Client } from 'pg';

let database: TestDatabase;
const instances: RunningStrapi[] = [];

beforeAll(async () => {
  database = await createPostgresDatabase();
  const env = {
    ...database.env,
    NODE_ENV: 'development',
    FOUNDER_KEY,
    HISTORY_SIGNING_KEY: SIGNING_KEY,
    SCHEDULE_CHECK_MS: '100',
  };
  // One after the other: the first creates the schema and the first versions.
  instances.push(await startStrapi({ env, serveAdmin: false }));
  instances.push(await startStrapi({ env, serveAdmin: false }));
}, 240_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.stop()));
  await database?.drop();
});

const query = async (sql: string, params: unknown[] = []) => {
  const client = new Client({ connectionString: database.location });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
};

const send = async (method: string, url: string, body: unknown, token?: string) => {
  const res = await fetch(url, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(json)}`);
  return json;
};

it('runs each due schedule of the home page exactly once, making one version', async () => {
  const [first, second] = instances;
  const registered = await send('POST', `${first.url}/admin/register-admin`, {
    email: 'scheduler@example.com',
    firstname: 'Sol',
    lastname: 'Scheduler',
    password: 'Test-password-1',
  });
  const token = registered.data.token as string;
  const settingsBefore = await query('select version from platform_settings_history');
  expect((await query('select version from home_pages_history')).length).toBe(1);
  // The draft only: no version yet.
  await send(
    'PUT',
    `${second.url}/content-manager/single-types/api::home-page.home-page`,
    { seo: { title: 'Published by a schedule', description: 'Two instances' } },
    token
  );
  expect((await query('select version from home_pages_history')).length).toBe(1);

  const runAt = new Date(Date.now() + 4000).toISOString();
  for (const [index, instance] of [first, second, first].entries()) {
    await send(
      'POST',
      `${instance.url}/platform-settings/types/home-page/schedules`,
      { kind: 'publish', runAt, note: `Publish ${index + 1}` },
      token
    );
  }
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [{ pending }] = await query(
      "select count(*)::int as pending from platform_settings_schedules where status in ('pending', 'running')"
    );
    if (pending === 0) break;
    if (Date.now() > deadline) throw new Error(`${pending} schedules still pending`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const history = await query('select version, note from home_pages_history order by version');
  expect(history.map((row) => row.version)).toEqual([1, 2]);
  const done = await query(
    'select type_uid, status, result_version, result_message from platform_settings_schedules order by id'
  );
  expect(done.map((row) => row.type_uid)).toEqual(Array(3).fill('api::home-page.home-page'));
  expect(done.map((row) => row.status)).toEqual(Array(3).fill('done'));
  expect(done.map((row) => row.result_version)).toEqual([2, 2, 2]);
  expect(done.filter((row) => row.result_message === 'Made version 2')).toHaveLength(1);
  const [published] = await query(
    'select count(*)::int as n from home_pages where published_at is not null'
  );
  expect(published.n).toBe(1);
  expect(await query('select version from platform_settings_history')).toEqual(settingsBefore);
});
