/**
 * Two Strapi processes on one PostgreSQL database: a change made on either is
 * served by the other within a second (LISTEN/NOTIFY), without a restart.
 */
import { copyApp, startStrapi, type AppCopy } from '../helpers/app-copy';
import type { RunningStrapi as RunningApp } from '../../scripts/lib/launcher.cjs';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { FOUNDER_KEY } from '../helpers/strapi';
import { openStream } from '../helpers/event-stream';

let database: TestDatabase;
let copy: AppCopy;
let a: RunningApp;
let b: RunningApp;

beforeAll(async () => {
  database = await createPostgresDatabase();
  copy = copyApp({ withPluginBuild: true });
  const env = { ...database.env, NODE_ENV: 'development', FOUNDER_KEY };
  // One after the other: the first creates the schema and version 1.
  a = await startStrapi(copy.dir, env);
  b = await startStrapi(copy.dir, env);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  copy?.remove();
  await database?.drop();
});

const read = async (app: RunningApp) =>
  await (await fetch(`${app.url}/api/platform-settings`)).json();

/** Polls until `app` serves `version`; returns how long that took. */
const waitForVersion = async (app: RunningApp, version: number, timeoutMs = 1000) => {
  const started = Date.now();
  while (Date.now() - started <= timeoutMs) {
    if ((await read(app)).data.version === version) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `${app.url} still serves version ${(await read(app)).data.version}, not ${version}, after ${timeoutMs} ms`
  );
};

const write = async (app: RunningApp, method: string, path: string, body: unknown) => {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Founder-Key': FOUNDER_KEY },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()).data;
};

it('serves a PUT made on A from B within 1 s, and a rollback made on B from A within 1 s', async () => {
  // Both have served version 1 from memory before anything changes.
  expect((await read(a)).data.version).toBe(1);
  expect((await read(b)).data.version).toBe(1);

  const put = await write(a, 'PUT', '/api/platform-settings', {
    data: { heroTitle: 'Written on A' },
  });
  expect(put.version).toBe(2);
  await waitForVersion(b, 2);
  expect((await read(b)).data.heroTitle).toBe('Written on A');

  const rolledBack = await write(b, 'POST', '/api/platform-settings/rollback/1', {});
  expect(rolledBack.version).toBe(3);
  await waitForVersion(a, 3);
  expect((await read(a)).data.heroTitle).toBe('Build on a platform you can trust');
});

it('delivers a PUT made on A to an event stream open on B within 1 s', async () => {
  const stream = await openStream(b.url);
  try {
    if (stream.events.length === 0) await stream.next();
    const next = stream.next(1000);
    const started = Date.now();
    const put = await write(a, 'PUT', '/api/platform-settings', {
      data: { heroTitle: 'Streamed from A to B' },
    });
    const event = await next;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(event.id?.split('.')[0]).toBe(String(put.version));
    expect(JSON.parse(event.data!).data.heroTitle).toBe('Streamed from A to B');
  } finally {
    stream.close();
  }
});
