/**
 * The founder key is a registered content-API auth strategy that opens the
 * settings routes and nothing else, and Strapi's own credentials (API tokens,
 * Users & Permissions) never open the settings routes: each route names the
 * strategies it accepts.
 */
import { FOUNDER_KEY, bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';
import { createApiToken, ensureHomePage, homeHistory, restOf } from '../helpers/home-page';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
  await ensureHomePage(app);
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

it('is the auth every founder-key route of the settings names', () => {
  const routes = app.strapi.plugin('platform-settings').routes as unknown as Record<
    string,
    { routes: { method: string; path: string; config?: { auth?: unknown } }[] }
  >;
  const byRoute = (method: string, path: string) =>
    routes['content-api']!.routes.find((route) => route.method === method && route.path === path)
      ?.config?.auth;
  expect(byRoute('PUT', '/platform-settings')).toMatchObject({
    strategies: ['platform-settings-founder-key'],
  });
  // The draft: a preview token first, then the founder key.
  expect(byRoute('GET', '/platform-settings/draft')).toMatchObject({
    strategies: ['platform-settings-preview-settings', 'platform-settings-founder-key'],
  });
  expect(byRoute('GET', '/platform-settings')).toBe(false);
});

describe('Strapi credentials never open a settings route', () => {
  it('a full-access API token cannot write, read the history or verify: 401, nothing changed', async () => {
    const token = await createApiToken(app);
    const before = await historyRows(app.strapi);
    const write = await app.request
      .put('/api/platform-settings')
      .set(token.headers)
      .send({ data: { heroTitle: 'By an API token' } })
      .expect(401);
    expect(write.body.error.message).toBe('Missing X-Founder-Key header');
    expect(write.headers['cache-control']).toBe('no-store');
    await app.request.get('/api/platform-settings/history/versions').set(token.headers).expect(401);
    await app.request.get('/api/platform-settings/history/verify').set(token.headers).expect(401);
    await app.request.post('/api/platform-settings/rollback/1').set(token.headers).expect(401);
    expect(await historyRows(app.strapi)).toEqual(before);
  });

  it('a full-access API token with a wrong founder key is still refused with 403', async () => {
    const token = await createApiToken(app);
    await app.request
      .put('/api/platform-settings')
      .set({ ...token.headers, 'X-Founder-Key': `${FOUNDER_KEY}x` })
      .send({ data: { heroTitle: 'x' } })
      .expect(403);
  });
});

describe('the founder key opens nothing but the settings routes', () => {
  it("does not authenticate Strapi's own routes or another versioned type's", async () => {
    const versionsBefore = (await homeHistory(app)).length;
    const put = await restOf(app)
      .put('/api/home-page')
      .set(founderHeaders)
      .send({ data: { closingCta: { heading: 'x', label: 'By the founder key', url: '/x' } } });
    expect([401, 403]).toContain(put.status);
    const history = await restOf(app).get('/api/home-page/history/versions').set(founderHeaders);
    expect([401, 403]).toContain(history.status);
    const draft = await restOf(app).get('/api/home-page/draft').set(founderHeaders);
    expect([401, 403]).toContain(draft.status);
    const users = await restOf(app).get('/api/users').set(founderHeaders);
    expect([401, 403]).toContain(users.status);
    expect((await homeHistory(app)).length).toBe(versionsBefore);
  });

  it('a wrong founder key sent to another route does not count towards its rate limit', async () => {
    for (let i = 0; i < 30; i += 1) {
      await restOf(app).get('/api/home-page/history/versions').set('X-Founder-Key', 'wrong');
    }
    await app.request
      .get('/api/platform-settings/history/versions')
      .set(founderHeaders)
      .expect(200);
  });
});

it('records the founder key as the author of a write it authenticated', async () => {
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'By the founder key' } })
    .expect(200);
  const rows = await historyRows(app.strapi);
  expect(rows.at(-1)?.author).toEqual({ kind: 'founder-key' });
});
