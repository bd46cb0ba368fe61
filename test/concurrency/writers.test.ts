/**
 * Many writers at once, on whichever database the suite runs on (SQLite,
 * PostgreSQL, MySQL/MariaDB): every one answered 200, versions contiguous,
 * each snapshot exactly the settings right after its change, nobody's write
 * lost, and the chain verifies.
 */
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';
import { registerSuperAdmin } from '../admin/admin-users';

const WRITERS = 100;
let app: TestApp;

beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());

it(`keeps ${WRITERS} concurrent writers' versions contiguous and every snapshot exact`, async () => {
  const responses = await Promise.all(
    Array.from({ length: WRITERS }, (_, writer) =>
      app.request
        .put('/api/platform-settings')
        .set(founderHeaders)
        .send({ data: { heroTitle: `Writer ${writer}`, hero3dDensity: writer } })
    )
  );
  expect(responses.map((res) => res.status)).toEqual(Array(WRITERS).fill(200));

  const versions = responses.map((res) => res.body.data.version as number).sort((a, b) => a - b);
  expect(versions).toEqual(Array.from({ length: WRITERS }, (_, index) => index + 2));

  const history = await historyRows(app.strapi);
  expect(history.map((row) => row.version)).toEqual(
    Array.from({ length: WRITERS + 1 }, (_, index) => index + 1)
  );

  for (const res of responses) {
    const { version, updatedAt: _updatedAt, ...fields } = res.body.data;
    const row = history[version - 1];
    // What the writer was told is exactly what was recorded for its version…
    expect(row.data).toEqual(fields);
    // …and that version is the previous one plus this writer's change, nothing else.
    expect(row.data).toEqual({
      ...history[version - 2].data,
      heroTitle: fields.heroTitle,
      hero3dDensity: fields.hero3dDensity,
    });
  }

  const live = await app.request.get('/api/platform-settings').expect(200);
  expect(live.body.data.version).toBe(WRITERS + 1);
  expect(history.at(-1)!.data).toEqual(
    Object.fromEntries(
      Object.entries(live.body.data).filter(([key]) => key !== 'version' && key !== 'updatedAt')
    )
  );
  const verify = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: WRITERS + 1 });
});

it('keeps versions contiguous with publishes, rollbacks and scheduled changes among 50 writers', async () => {
  const start = (await historyRows(app.strapi)).length;
  const plugin = app.strapi.plugin('platform-settings');
  // Schedules due at once, run by the scheduler while the others write.
  // Created (and so signed) by the service, already due: schedules only run when signed.
  const knex = app.strapi.db.connection;
  const scheduler = await registerSuperAdmin(app);
  const now = new Date();
  for (let index = 0; index < 5; index += 1) {
    await plugin.service('schedules').create(
      {
        kind: 'patch',
        runAt: new Date(now.getTime() - 1000).toISOString(),
        data: { ctaLabel: `Scheduled ${index}` },
      },
      { kind: 'admin', id: scheduler.id, name: scheduler.name }
    );
  }
  const writers = Array.from({ length: 50 }, (_, writer) => {
    switch (writer % 5) {
      case 0:
        return app.request
          .put('/api/platform-settings')
          .set(founderHeaders)
          .send({ data: { heroTitle: `Mixed ${writer}` } });
      case 1:
        return app.request
          .put('/api/platform-settings?status=draft')
          .set(founderHeaders)
          .send({ data: { tagline: `Draft ${writer}` } })
          .then(() =>
            app.request.post('/api/platform-settings/publish').set(founderHeaders).send({})
          );
      case 2:
        return app.request.post('/api/platform-settings/rollback/1').set(founderHeaders).send({});
      case 3:
        return plugin
          .service('schedules')
          .runDue()
          .then(() => ({ status: 200 }));
      default:
        return app.request
          .put('/api/platform-settings')
          .set(founderHeaders)
          .send({ data: { hero3dDensity: writer } });
    }
  });
  const results = await Promise.all(writers);
  expect(results.map((res) => res.status)).toEqual(Array(50).fill(200));

  const history = await historyRows(app.strapi);
  expect(history.map((row) => row.version)).toEqual(
    Array.from({ length: history.length }, (_, index) => index + 1)
  );
  expect(history.length).toBeGreaterThan(start);
  const scheduled = await knex('platform_settings_schedules')
    .where({ status: 'done' })
    .count('* as n')
    .first();
  expect(Number(scheduled.n)).toBe(5);
  const verify = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: history.length });
});
