import { FOUNDER_KEY, bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
  // Versions 2..31: thirty changes on top of the initial version.
  for (let index = 1; index <= 30; index += 1) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { heroTitle: `Title ${index}` } })
      .expect(200);
  }
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

describe('GET /api/platform-settings/history/versions', () => {
  it('pages newest first with Strapi pagination meta', async () => {
    const first = await app.request
      .get('/api/platform-settings/history/versions?page=1&pageSize=10')
      .set(founderHeaders)
      .expect(200);
    expect(first.body.data.map((entry: { version: number }) => entry.version)).toEqual([
      31, 30, 29, 28, 27, 26, 25, 24, 23, 22,
    ]);
    expect(first.body.meta.pagination).toEqual({ page: 1, pageSize: 10, pageCount: 4, total: 31 });
    expect(first.headers['cache-control']).toBe('no-store');
    const last = await app.request
      .get('/api/platform-settings/history/versions?page=4&pageSize=10')
      .set(founderHeaders)
      .expect(200);
    expect(last.body.data.map((entry: { version: number }) => entry.version)).toEqual([1]);
    const beyond = await app.request
      .get('/api/platform-settings/history/versions?page=9&pageSize=10')
      .set(founderHeaders)
      .expect(200);
    expect(beyond.body.data).toEqual([]);
  });

  it('defaults to 25 a page and allows up to 100', async () => {
    const res = await app.request
      .get('/api/platform-settings/history/versions')
      .set(founderHeaders)
      .expect(200);
    expect(res.body.data).toHaveLength(25);
    expect(res.body.meta.pagination).toMatchObject({
      page: 1,
      pageSize: 25,
      pageCount: 2,
      total: 31,
    });
    await app.request
      .get('/api/platform-settings/history/versions?pageSize=100')
      .set(founderHeaders)
      .expect(200);
  });

  it.each([
    ['pageSize=101', 'pageSize', 'must be at most 100'],
    ['pageSize=0', 'pageSize', 'must be a positive whole number'],
    ['page=-1', 'page', 'must be a positive whole number'],
    ['page=abc', 'page', 'must be a positive whole number'],
    ['page=1.5', 'page', 'must be a positive whole number'],
    ['page=1&page=2', 'page', 'must be a positive whole number'],
  ])('answers 422 for %s', async (query, field, message) => {
    const res = await app.request
      .get(`/api/platform-settings/history/versions?${query}`)
      .set(founderHeaders)
      .expect(422);
    expect(res.body.error.details.errors).toEqual([
      { path: [field], message, name: 'ValidationError' },
    ]);
  });

  it('needs the founder key', async () => {
    await app.request.get('/api/platform-settings/history/versions').expect(401);
    await app.request
      .get('/api/platform-settings/history/versions')
      .set('X-Founder-Key', 'nope')
      .expect(403);
  });
});

describe('GET /api/platform-settings/history/versions/:version', () => {
  it('returns one entry with its snapshot', async () => {
    const res = await app.request
      .get('/api/platform-settings/history/versions/5')
      .set(founderHeaders)
      .expect(200);
    expect(res.body.data).toMatchObject({
      version: 5,
      changeType: 'update',
      changedFields: ['heroTitle'],
      data: expect.objectContaining({ heroTitle: 'Title 4' }),
      author: { kind: 'founder-key' },
      schemaVersion: 1,
      restoredFrom: null,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const first = await app.request
      .get('/api/platform-settings/history/versions/1')
      .set(founderHeaders)
      .expect(200);
    expect(first.body.data).toMatchObject({
      version: 1,
      changeType: 'create',
      author: { kind: 'system' },
    });
  });

  it('answers 404 for an unknown version and 422 for one that is not a positive integer', async () => {
    const missing = await app.request
      .get('/api/platform-settings/history/versions/999')
      .set(founderHeaders)
      .expect(404);
    expect(missing.body.error).toMatchObject({
      status: 404,
      name: 'NotFoundError',
      message: 'Version 999 does not exist',
    });
    for (const bad of ['0', '-3', 'abc', '1.5', '99999999999999999999']) {
      const res = await app.request
        .get(`/api/platform-settings/history/versions/${bad}`)
        .set(founderHeaders)
        .expect(422);
      expect(res.body.error.details.errors[0].path).toEqual(['version']);
    }
  });

  it('needs the founder key', async () => {
    await app.request.get('/api/platform-settings/history/versions/1').expect(401);
    await app.request
      .get('/api/platform-settings/history/versions/1')
      .set('X-Founder-Key', `${FOUNDER_KEY}!`)
      .expect(403);
  });
});

describe('GET /api/platform-settings/history/verify', () => {
  it('walks the hash chain and reports every version as intact', async () => {
    const res = await app.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200);
    expect(res.body.data).toMatchObject({
      ok: true,
      versions: 31,
      archived: { versions: 0, checkpoints: 0 },
    });
  });

  it('points at the first row edited behind the API’s back', async () => {
    await app.strapi.db
      .connection('platform_settings_history')
      .where({ version: 17 })
      .update({ note: 'sneaky' });
    const res = await app.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200);
    expect(res.body.data).toMatchObject({ ok: false, brokenAt: 17, versions: 16 });
  });
});
