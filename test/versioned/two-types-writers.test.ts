/**
 * 100 writers on the home page and 100 on the settings, all at once, on
 * whichever database the suite runs on: each type's versions contiguous on its
 * own chain, every writer told the version its change made, each snapshot
 * exactly what that writer published, and both chains verify. The types have a
 * writer lock each, so neither waits for the other's queue.
 */
import { historyRows } from '../helpers/history';
import { createApiToken, ensureHomePage, homeHistory, restOf } from '../helpers/home-page';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

const WRITERS = 100;
let app: TestApp;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
});
afterAll(() => app?.stop());

it(`keeps ${WRITERS} home-page writers and ${WRITERS} settings writers contiguous, each on its own chain`, async () => {
  const token = await createApiToken(app);
  const homeWriters = Array.from({ length: WRITERS }, (_, writer) =>
    restOf(app)
      .put('/api/home-page')
      .set(token.headers)
      .send({ data: { features: [{ title: `Writer ${writer}`, text: 'at once', icon: 'bolt' }] } })
  );
  const settingsWriters = Array.from({ length: WRITERS }, (_, writer) =>
    app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { heroTitle: `Writer ${writer}` } })
  );
  const [home, settings] = await Promise.all([
    Promise.all(homeWriters),
    Promise.all(settingsWriters),
  ]);
  expect(home.map((res) => res.status)).toEqual(Array(WRITERS).fill(200));
  expect(settings.map((res) => res.status)).toEqual(Array(WRITERS).fill(200));

  const contiguous = Array.from({ length: WRITERS + 1 }, (_, index) => index + 1);
  const homeRows = await homeHistory(app);
  expect(homeRows.map((row) => Number(row.version))).toEqual(contiguous);
  expect((await historyRows(app.strapi)).map((row) => row.version)).toEqual(contiguous);

  // Each writer was told its own version, and that version holds exactly its change.
  const told = home.map((res) => res.body.data.version as number);
  expect([...told].sort((a, b) => a - b)).toEqual(contiguous.slice(1));
  home.forEach((res, writer) => {
    const row = homeRows[res.body.data.version - 1];
    expect(row.data.features.map((feature: { title: string }) => feature.title)).toEqual([
      `Writer ${writer}`,
    ]);
    expect(row.changed_fields).toEqual(['features']);
  });

  const homeVerify = await restOf(app).get('/api/home-page/history/verify').set(token.headers);
  expect(homeVerify.body.data).toMatchObject({ ok: true, versions: WRITERS + 1 });
  const settingsVerify = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders);
  expect(settingsVerify.body.data).toMatchObject({ ok: true, versions: WRITERS + 1 });
});
