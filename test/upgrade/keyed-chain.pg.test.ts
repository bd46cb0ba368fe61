/**
 * A rolling upgrade to the keyed history chain, with the previous release
 * really running: an old and a new instance on one PostgreSQL database. The
 * new instance signs nothing on its own: it serves reads and refuses writes
 * while the old one keeps taking them, the old way. Once the old instance is
 * gone, the operator adopts the chain with the key (`history:adopt --yes`),
 * which verifies every row first; then the new instance writes and everything
 * verifies end to end.
 */
import { startStrapi } from '../helpers/app-copy';
import type { RunningStrapi as RunningApp } from '../../scripts/lib/launcher.cjs';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { historyRows } from '../helpers/history';
import { preparePreviousRelease, RELEASE_BEFORE_KEYED_CHAIN } from '../helpers/previous-release';
import { bootApp, FOUNDER_KEY, founderHeaders, SIGNING_KEY, type TestApp } from '../helpers/strapi';
import { adopt, expectExit } from '../ops/helpers/archive';

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

it('signs nothing until the operator adopts the old chain after the rollout, then verifies end to end', async () => {
  // Before the upgrade: the previous release alone, its unkeyed chain.
  expect((await putOld({ heroTitle: 'Old 2' })).status).toBe(200);
  expect((await putOld({ heroTitle: 'Old 3' })).status).toBe(200);

  // The new release starts next to it: it serves, and signs nothing on its own.
  current = await bootApp({ database });
  expect(await verify()).toMatchObject({ ok: false, brokenAt: 1, reason: 'unsigned' });
  await current.request.get('/api/platform-settings').expect(200);

  // During the rollout the old instance takes the writes; the new one refuses them.
  expect((await putOld({ heroTitle: 'Old 4' })).body.data.version).toBe(4);
  await putCurrent({ heroTitle: 'New?' }).expect(503);
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
  expect(mixed.map((res) => res.status)).toEqual(
    Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? 200 : 503))
  );
  expect(
    mixed
      .filter((res) => res.status === 200)
      .map((res) => res.body.data.version)
      .sort((a, b) => a - b)
  ).toEqual([5, 6, 7, 8, 9]);
  expect((await historyRows(current.strapi)).map((row) => row.version)).toEqual(
    Array.from({ length: 9 }, (_, index) => index + 1)
  );

  // The old instance retires; the operator adopts the chain, which verifies it first.
  await old.stop();
  const adopted = expectExit(
    await adopt(['--yes', '--note', 'upgrade to the keyed chain'], {
      ...database.env,
      HISTORY_SIGNING_KEY: SIGNING_KEY,
    }),
    0
  );
  expect(adopted.stdout).toMatch(/versions 1–9/);
  expect(await verify()).toMatchObject({
    ok: true,
    versions: 9,
    events: [{ kind: 'adopt', atVersion: 9, resigned: { from: 1, to: 9 } }],
  });
  expect((await putCurrent({ heroTitle: 'After the upgrade' }).expect(200)).body.data.version).toBe(
    10
  );
  expect(await verify()).toMatchObject({ ok: true, versions: 10 });
});
