/**
 * A database writer without the signing key edits the published home page's
 * component rows: verify says so and writes stop (as for the settings), and the
 * public GET never serves the edit — what is served is what the signed history
 * holds, as the settings' GET promises.
 */
import { bootApp, type TestApp } from '../helpers/strapi';
import { createApiToken, ensureHomePage, homeDelivery, restOf } from '../helpers/home-page';

let app: TestApp;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
});
afterAll(() => app?.stop());

it('never serves an SEO title written behind the history, after the copy is renewed', async () => {
  // A copy served before the edit: the last good one.
  const before = await restOf(app).get('/api/home-page').expect(200);
  const published = await app.strapi.db
    .connection('home_pages')
    .whereNotNull('published_at')
    .first('id');
  const seo = await app.strapi.db
    .connection('home_pages_cmps')
    .where({ entity_id: published.id, field: 'seo' })
    .first('cmp_id');
  await app.strapi.db
    .connection('components_home_seos')
    .where({ id: seo.cmp_id })
    .update({ title: 'Written behind the history' });

  // What the periodic renewal (every cacheSeconds) and a fresh instance do: read it again.
  await homeDelivery(app).refresh();

  const token = await createApiToken(app);
  const verify = await restOf(app).get('/api/home-page/history/verify').set(token.headers);
  expect(verify.body.data).toMatchObject({ ok: false, reason: 'live-mismatch' });
  const write = await restOf(app)
    .put('/api/home-page')
    .set(token.headers)
    .send({ data: { closingCta: { heading: 'a', label: 'b', url: '/c' } } });
  expect(write.status).toBe(503);

  const response = await restOf(app).get('/api/home-page');
  expect(response.status).toBe(200);
  expect(response.text).not.toContain('Written behind the history');
  expect(response.text).toBe(before.text);

  // An instance with no good copy (a fresh start) serves nothing rather than the edit.
  homeDelivery(app).clear();
  const fresh = await restOf(app).get('/api/home-page');
  expect(fresh.status).toBe(503);
  expect(fresh.headers['retry-after']).toBe('60');
  expect(fresh.text).not.toContain('Written behind the history');
});
