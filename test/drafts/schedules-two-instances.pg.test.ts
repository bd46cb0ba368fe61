/**
 * Two instances on one PostgreSQL database, both looking for due schedules
 * every 100 ms: each scheduled change (prepared by an admin through the API,
 * so signed) is made exactly once; and an admin page connected to one instance
 * hears of schedules and pins changed through the other (the admin event stream).
 */
import { startStrapi, type RunningStrapi } from '../../scripts/lib/launcher.cjs';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { openStream, type OpenStream } from '../helpers/event-stream';
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
    // How often an instance with an open admin stream looks for other instances' changes.
    SETTINGS_VERSION_CHECK_MS: '200',
  };
  // One after the other: the first creates the schema and version 1.
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

const post = async (url: string, body: unknown, token?: string) => {
  const res = await fetch(url, {
    method: 'POST',
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

it('runs each due schedule exactly once', async () => {
  const [first] = instances;
  const registered = await post(`${first.url}/admin/register-admin`, {
    email: 'scheduler@example.com',
    firstname: 'Sol',
    lastname: 'Scheduler',
    password: 'Test-password-1',
  });
  const token = registered.data.token as string;
  const runAt = new Date(Date.now() + 4000).toISOString();
  for (let index = 1; index <= 5; index += 1) {
    await post(
      `${first.url}/platform-settings/schedules`,
      {
        kind: 'patch',
        runAt,
        data: { heroTitle: `Scheduled ${index}` },
        note: `Schedule ${index}`,
      },
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
  const history = await query(
    'select version, note from platform_settings_history order by version'
  );
  expect(history.map((row) => row.version)).toEqual([1, 2, 3, 4, 5, 6]);
  expect(
    history
      .slice(1)
      .map((row) => row.note)
      .sort()
  ).toEqual([1, 2, 3, 4, 5].map((index) => `Schedule ${index}`));
  const done = await query(
    'select status, result_version from platform_settings_schedules order by id'
  );
  expect(done.map((row) => row.status)).toEqual(Array(5).fill('done'));
  expect(new Set(done.map((row) => row.result_version)).size).toBe(5);
});

it('tells an admin connected to one instance of schedules and pins changed on the other', async () => {
  const [first, second] = instances;
  const { data } = await post(`${first.url}/admin/login`, {
    email: 'scheduler@example.com',
    password: 'Test-password-1',
  });
  const token = data.token as string;
  let stream: OpenStream | undefined;
  try {
    stream = await openStream(
      first.url,
      { Authorization: `Bearer ${token}` },
      { path: '/platform-settings/events' }
    );
    expect(stream.status).toBe(200);
    const topicsOf = async () => {
      const event = await stream!.next(5000);
      expect(event.event).toBe('changed');
      return (JSON.parse(event.data!) as { topics: string[] }).topics;
    };
    if (stream.events.length === 0) await stream.next(5000); // `ready`
    expect(stream.events[0].event).toBe('ready');

    const runAt = new Date(Date.now() + 3_600_000).toISOString();
    await post(
      `${second.url}/platform-settings/schedules`,
      { kind: 'rollback', runAt, targetVersion: 2 },
      token
    );
    expect(await topicsOf()).toEqual(['schedules']);

    await post(`${second.url}/platform-settings/history/3/pin`, { label: 'Known good' }, token);
    expect(await topicsOf()).toEqual(['pins']);
    // A new label on a version already pinned, within the same second (MySQL's precision).
    await post(`${second.url}/platform-settings/history/3/pin`, { label: 'Launch' }, token);
    expect(await topicsOf()).toEqual(['pins']);
  } finally {
    stream?.close();
  }
});
