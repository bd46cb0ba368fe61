/**
 * A rolling upgrade to the keyed history chain, with the previous release
 * really running: an old and a new instance on one PostgreSQL database, both
 * taking writes. The new instance signs the old chain when it starts, adopts
 * (verifies and re-signs) the rows the old instance keeps appending the old
 * way, and everything verifies end to end.
 */
import { startStrapi } from '../helpers/app-copy';
import type { RunningStrapi as RunningApp } from '../../scripts/lib/launcher.cjs';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { historyRows } from '../helpers/history';
import { preparePreviousRelease, RELEASE_BEFORE_KEYED_CHAIN } from '../helpers/previous-release';
import { bootApp, FOUNDER_KEY, founderHeaders, type TestApp } from '../helpers/strapi';

let database: TestDatabase;
let old: RunningApp;
let current: TestApp;

beforeAll(async () => {
  const release = preparePreviousRelease(RELEASE_BEFORE_KEYED_CHAIN);
  database = await createPostgresDatabase();
  old = await startStrapi(release, {
    ...database.env,
    NODE_ENV: 'development',
    FOUNDER_KEY,
  });
}, 240_000);

afterAll(async () => {
  await old?.stop();
  await current?.stop({ keepDatabase: true });
  await database?.drop();
});

const putOld = async (data: Record<string, unknown>) => {
  const res = await fetch(`${old.url}/api/platform-settings`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Founder-Key': FOUNDER_KEY },
    body: JSON.stringify({ data }),
  });
  return { status: res.status, body: await res.json() };
};
const putCurrent = (data: Record<string, unknown>) =>
  current.request.put('/api/platform-settings').set(founderHeaders).send({ data });
const verify = async () =>
  (
    await current.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200)
  ).body.data;

it('signs the old chain, adopts what the old instance appends, and verifies end to end', async () => {
  // Before the upgrade: the previous release alone, its unkeyed chain.
  expect((await putOld({ heroTitle: 'Old 2' })).status).toBe(200);
  expect((await putOld({ heroTitle: 'Old 3' })).status).toBe(200);

  // The new release starts next to it and signs the old chain.
  current = await bootApp({ database });
  expect(await verify()).toMatchObject({ ok: true, versions: 3 });

  // Both take writes, one after the other and at once.
  expect((await putOld({ heroTitle: 'Old 4' })).body.data.version).toBe(4);
  expect((await putCurrent({ heroTitle: 'New 5' }).expect(200)).body.data.version).toBe(5);
  const mixed = await Promise.all(
    Array.from({ length: 10 }, (_, index) =>
      index % 2 === 0
        ? putOld({ tagline: `Both ${index}` })
        : putCurrent({ tagline: `Both ${index}` }).then((res) => ({
            status: res.status,
            body: res.body,
          }))
    )
  );
  expect(mixed.map((res) => res.status)).toEqual(Array(10).fill(200));
  expect(mixed.map((res) => res.body.data.version).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 10 }, (_, index) => index + 6)
  );
  expect((await historyRows(current.strapi)).map((row) => row.version)).toEqual(
    Array.from({ length: 15 }, (_, index) => index + 1)
  );
  expect(await verify()).toMatchObject({ ok: true, versions: 15, head: { version: 15 } });

  // The old instance retires; the new one carries on.
  await old.stop();
  expect((await putCurrent({ heroTitle: 'After the upgrade' }).expect(200)).body.data.version).toBe(
    16
  );
  expect(await verify()).toMatchObject({ ok: true, versions: 16 });
});
