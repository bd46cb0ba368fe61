/**
 * Two Strapi processes on one PostgreSQL database share one failure budget per
 * client: a burst of 200 concurrent wrong keys spread over both gets at most 10
 * judged (403), the rest 429; the right key is accepted on both all the same.
 */
import { copyApp, startStrapi, type AppCopy } from '../helpers/app-copy';
import type { RunningStrapi as RunningApp } from '../../scripts/lib/launcher.cjs';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { FOUNDER_KEY } from '../helpers/strapi';

let database: TestDatabase;
let copy: AppCopy;
let a: RunningApp;
let b: RunningApp;

beforeAll(async () => {
  database = await createPostgresDatabase();
  copy = copyApp({ withPluginBuild: true });
  const env = { ...database.env, NODE_ENV: 'development', FOUNDER_KEY };
  // One after the other: the first creates the schema.
  a = await startStrapi(copy.dir, env);
  b = await startStrapi(copy.dir, env);
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  copy?.remove();
  await database?.drop();
});

const history = async (app: RunningApp, key: string) =>
  (
    await fetch(`${app.url}/api/platform-settings/history/versions`, {
      headers: { 'X-Founder-Key': key },
    })
  ).status;

it('shares one budget: of 200 concurrent wrong keys over both instances at most 10 are judged', async () => {
  const statuses = await Promise.all(
    Array.from({ length: 200 }, (_, attempt) =>
      history(attempt % 2 === 0 ? a : b, `burst-${attempt}`)
    )
  );
  const judged = statuses.filter((status) => status === 403).length;
  expect(judged).toBeLessThanOrEqual(10);
  expect(judged).toBeGreaterThan(0);
  expect(statuses.filter((status) => status === 429)).toHaveLength(200 - judged);
  // Both instances refuse the next wrong key, and accept the right one from the same client.
  for (const app of [a, b]) {
    expect(await history(app, 'one-more')).toBe(429);
    expect(await history(app, FOUNDER_KEY)).toBe(200);
  }
}, 60_000);
