/**
 * The upgrade to drafts, with the previous release really running: the live
 * row becomes the published version, the draft starts equal to it, and no
 * version is created; an instance still on the previous release (which reads
 * "the first row") keeps serving what is published — never the draft — while
 * the new release saves drafts and publishes next to it.
 */
import type { RunningStrapi } from '../../scripts/lib/launcher.cjs';
import { startStrapi } from '../helpers/app-copy';
import { createPostgresDatabase, type TestDatabase } from '../helpers/database';
import { historyRows } from '../helpers/history';
import { preparePreviousRelease, RELEASE_BEFORE_KEYED_CHAIN } from '../helpers/previous-release';
import { bootApp, FOUNDER_KEY, founderHeaders, SIGNING_KEY, type TestApp } from '../helpers/strapi';
import { adopt, expectExit } from '../ops/helpers/archive';

let database: TestDatabase;
let old: RunningStrapi;
let current: TestApp;

beforeAll(async () => {
  const release = preparePreviousRelease(RELEASE_BEFORE_KEYED_CHAIN);
  database = await createPostgresDatabase();
  old = await startStrapi(release, { ...database.env, NODE_ENV: 'development', FOUNDER_KEY });
}, 240_000);

afterAll(async () => {
  await old?.stop();
  await current?.stop({ keepDatabase: true });
  await database?.drop();
});

const readOld = async () => (await (await fetch(`${old.url}/api/platform-settings`)).json()).data;
const putOld = async (data: Record<string, unknown>) =>
  fetch(`${old.url}/api/platform-settings`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Founder-Key': FOUNDER_KEY },
    body: JSON.stringify({ data }),
  });
const waitForOld = async (version: number) => {
  const deadline = Date.now() + 5000;
  while ((await readOld()).version !== version) {
    if (Date.now() > deadline) throw new Error(`the old instance never served version ${version}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

it('upgrades in place, and the previous release never serves the draft', async () => {
  expect((await putOld({ heroTitle: 'Before drafts' })).status).toBe(200);

  current = await bootApp({ database });
  const rows = await current.strapi.db.connection('platform_settings').select('*').orderBy('id');
  expect(rows).toHaveLength(2);
  // The published row keeps the lower id: what the previous release reads as "the" row.
  expect(rows[0].published_at).not.toBeNull();
  expect(rows[1].published_at).toBeNull();
  expect(rows.map((row: { hero_title: string }) => row.hero_title)).toEqual([
    'Before drafts',
    'Before drafts',
  ]);
  expect((await historyRows(current.strapi)).map((row) => row.version)).toEqual([1, 2]);
  // The old release's unkeyed chain is signed only on the operator's word.
  expectExit(await adopt(['--yes'], { ...database.env, HISTORY_SIGNING_KEY: SIGNING_KEY }), 0);

  // A draft on the new release: the old instance keeps serving what is published.
  await current.request
    .put('/api/platform-settings?status=draft')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Draft only' } })
    .expect(200);
  await current.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { maintenanceMode: true } })
    .expect(200);
  await waitForOld(3);
  expect(await readOld()).toMatchObject({ heroTitle: 'Before drafts', maintenanceMode: true });

  // A publish moves the old instance on too, still to what is published.
  await current.request
    .post('/api/platform-settings/publish')
    .set(founderHeaders)
    .send({})
    .expect(200);
  await waitForOld(4);
  expect((await readOld()).heroTitle).toBe('Draft only');

  const verify = await current.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: 4 });
});
