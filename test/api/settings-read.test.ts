import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());

describe('GET /api/platform-settings', () => {
  it('serves the defaults as version 1 to anyone, with CDN-friendly cache headers', async () => {
    const res = await app.request.get('/api/platform-settings').expect(200);
    expect(res.body).toEqual({
      data: {
        version: 1,
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        siteName: 'Acme Platform',
        tagline: 'Settings that ship safely',
        heroTitle: 'Build on a platform you can trust',
        heroSubtitle: 'Every change versioned, every version restorable.',
        ctaLabel: 'Get started',
        ctaUrl: '/signup',
        primaryColor: '#4F46E5',
        accentColor: '#22D3EE',
        backgroundColor: '#0B1020',
        hero3dEnabled: true,
        hero3dDensity: 1200,
        hero3dSpeed: 1,
        maintenanceMode: false,
      },
      meta: {},
    });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe(
      'public, max-age=60, s-maxage=60, stale-while-revalidate=30'
    );
    expect(res.headers['x-settings-version']).toBe('1');
    expect(res.headers.etag).toMatch(/^"1-[0-9a-f]{16}"$/);
  });

  it('answers 304 to a matching If-None-Match, also among several or weak tags', async () => {
    const { headers } = await app.request.get('/api/platform-settings').expect(200);
    const notModified = await app.request
      .get('/api/platform-settings')
      .set('If-None-Match', headers.etag)
      .expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(headers.etag);
    expect(notModified.headers['cache-control']).toContain('max-age=60');
    await app.request
      .get('/api/platform-settings')
      .set('If-None-Match', `"nope", W/${headers.etag}`)
      .expect(304);
    await app.request
      .get('/api/platform-settings')
      .set('If-None-Match', '"0-0000000000000000"')
      .expect(200);
  });

  it('changes the ETag and version as soon as a change commits', async () => {
    const before = await app.request.get('/api/platform-settings').expect(200);
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { tagline: 'New tagline' } })
      .expect(200);
    const after = await app.request
      .get('/api/platform-settings')
      .set('If-None-Match', before.headers.etag)
      .expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.data.version).toBe(before.body.data.version + 1);
    expect(after.body.data.tagline).toBe('New tagline');
    expect(after.headers['x-settings-version']).toBe(String(after.body.data.version));
  });
});
