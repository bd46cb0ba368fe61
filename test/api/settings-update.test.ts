import { FOUNDER_KEY, bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

const put = (body: unknown) =>
  app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send(body as object);
const liveVersion = async () =>
  (await app.request.get('/api/platform-settings')).body.data.version as number;

/** Every rejected request must leave the settings and history exactly as they were. */
const expectUnchanged = async (run: () => Promise<unknown>) => {
  const before = await app.request.get('/api/platform-settings');
  const historyBefore = await historyRows(app.strapi);
  await run();
  const after = await app.request.get('/api/platform-settings');
  expect(after.body).toEqual(before.body);
  expect(await historyRows(app.strapi)).toEqual(historyBefore);
};

describe('PUT /api/platform-settings — authentication', () => {
  it('answers 401 without a key and 403 with a wrong one, in Strapi’s error shape, changing nothing', async () => {
    await expectUnchanged(async () => {
      const missing = await app.request
        .put('/api/platform-settings')
        .send({ data: { heroTitle: 'x' } })
        .expect(401);
      expect(missing.body).toEqual({
        data: null,
        error: {
          status: 401,
          name: 'UnauthorizedError',
          message: 'Missing X-Founder-Key header',
          details: {},
        },
      });
      const wrong = await app.request
        .put('/api/platform-settings')
        .set('X-Founder-Key', `${FOUNDER_KEY}x`)
        .send({ data: { heroTitle: 'x' } })
        .expect(403);
      expect(wrong.body.error).toMatchObject({
        status: 403,
        name: 'ForbiddenError',
        message: 'Invalid founder key',
      });
      expect(wrong.headers['cache-control']).toBe('no-store');
      expect(JSON.stringify(wrong.body)).not.toContain(FOUNDER_KEY.slice(0, 8));
    });
  });
});

describe('PUT /api/platform-settings — writes', () => {
  // Found by the fuzz test on MariaDB: 1.000000000001 passes the two-places check, the
  // decimal(10,2) column keeps 1.00, and the signed snapshot kept the float, so the live row
  // no longer matched its version and every later write was refused (503).
  it('stores and signs a decimal as its column keeps it, so the next write goes through', async () => {
    const before = await liveVersion();
    const res = await put({ data: { hero3dSpeed: 2.000000000001 } }).expect(200);
    expect(res.body.data).toMatchObject({ version: before + 1, hero3dSpeed: 2 });
    expect((await historyRows(app.strapi)).at(-1)!.data.hero3dSpeed).toBe(2);
    const next = await put({ data: { hero3dSpeed: 0.29 } }).expect(200);
    expect(next.body.data).toMatchObject({ version: before + 2, hero3dSpeed: 0.29 });
    await app.request.get('/api/platform-settings/history/verify').set(founderHeaders).expect(200);
  });

  it('applies a partial update as the next version and records it', async () => {
    const before = await liveVersion();
    const res = await put({
      data: { heroTitle: 'Launch day', hero3dSpeed: 2.5 },
      note: 'launch',
    }).expect(200);
    expect(res.body.data).toMatchObject({
      version: before + 1,
      heroTitle: 'Launch day',
      hero3dSpeed: 2.5,
      siteName: 'Acme Platform',
    });
    expect(res.body.meta).toEqual({ changed: true, changedFields: ['heroTitle', 'hero3dSpeed'] });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-settings-version']).toBe(String(before + 1));
    expect(res.headers.etag).toMatch(new RegExp(`^"${before + 1}-`));

    const last = (await historyRows(app.strapi)).at(-1)!;
    expect(last).toMatchObject({
      version: before + 1,
      changeType: 'update',
      changedFields: ['heroTitle', 'hero3dSpeed'],
      restoredFrom: null,
      author: { kind: 'founder-key' },
      note: 'launch',
    });
    const { version: _version, updatedAt: _updatedAt, ...fields } = res.body.data;
    expect(last.data).toEqual(fields);
  });

  it('creates no version for a save that changes nothing', async () => {
    const live = (await app.request.get('/api/platform-settings')).body.data;
    await expectUnchanged(async () => {
      const res = await put({
        data: { heroTitle: live.heroTitle, hero3dDensity: live.hero3dDensity },
      }).expect(200);
      expect(res.body.data.version).toBe(live.version);
      expect(res.body.meta).toEqual({ changed: false, changedFields: [] });
    });
  });

  it('accepts a matching If-Match and refuses a stale one with 412', async () => {
    const { headers } = await app.request.get('/api/platform-settings');
    const ok = await put({ data: { ctaLabel: 'Join us' } })
      .set('If-Match', headers.etag)
      .expect(200);
    await expectUnchanged(async () => {
      const stale = await put({ data: { ctaLabel: 'Too late' } })
        .set('If-Match', headers.etag)
        .expect(412);
      expect(stale.body.error).toMatchObject({
        status: 412,
        name: 'PreconditionFailedError',
        details: { currentVersion: ok.body.data.version },
      });
      await put({ data: { ctaLabel: 'Weak' } })
        .set('If-Match', `W/${ok.headers.etag}`)
        .expect(412);
      await put({ data: { ctaLabel: 'Garbage' } })
        .set('If-Match', 'garbage')
        .expect(412);
    });
    await put({ data: { ctaLabel: 'Any' } })
      .set('If-Match', '*')
      .expect(200);
  });
});

describe('PUT /api/platform-settings — bad input', () => {
  const cases: Array<[string, unknown, Array<{ path: string[]; message: string }>]> = [
    [
      'empty required field',
      { data: { siteName: '' } },
      [{ path: ['data', 'siteName'], message: 'must not be empty' }],
    ],
    [
      'blank required field',
      { data: { heroTitle: '   ' } },
      [{ path: ['data', 'heroTitle'], message: 'must not be empty' }],
    ],
    [
      'null required field',
      { data: { heroTitle: null } },
      [{ path: ['data', 'heroTitle'], message: 'must be a string' }],
    ],
    [
      'too long',
      { data: { heroTitle: 'x'.repeat(121) } },
      [{ path: ['data', 'heroTitle'], message: 'must be at most 120 characters' }],
    ],
    [
      'bad colour',
      { data: { primaryColor: 'red' } },
      [{ path: ['data', 'primaryColor'], message: 'must be a colour in #RRGGBB form' }],
    ],
    [
      'bad URL',
      { data: { ctaUrl: 'javascript:alert(1)' } },
      [
        {
          path: ['data', 'ctaUrl'],
          message: 'must be an http(s):// URL or a path starting with /',
        },
      ],
    ],
    [
      'protocol-relative URL',
      { data: { ctaUrl: '//evil.example' } },
      [
        {
          path: ['data', 'ctaUrl'],
          message: 'must be an http(s):// URL or a path starting with /',
        },
      ],
    ],
    [
      'density out of range',
      { data: { hero3dDensity: 5001 } },
      [{ path: ['data', 'hero3dDensity'], message: 'must be at most 5000' }],
    ],
    [
      'fractional density',
      { data: { hero3dDensity: 1.5 } },
      [{ path: ['data', 'hero3dDensity'], message: 'must be a whole number' }],
    ],
    [
      'negative speed',
      { data: { hero3dSpeed: -1 } },
      [{ path: ['data', 'hero3dSpeed'], message: 'must be at least 0' }],
    ],
    [
      'wrong type',
      { data: { maintenanceMode: 'yes' } },
      [{ path: ['data', 'maintenanceMode'], message: 'must be true or false' }],
    ],
    [
      'unknown field',
      { data: { favouriteColour: '#000000' } },
      [{ path: ['data', 'favouriteColour'], message: 'is not a settings field' }],
    ],
    [
      'server-managed version',
      { data: { version: 99 } },
      [{ path: ['data', 'version'], message: 'is managed by the server and cannot be set' }],
    ],
    [
      'server-managed updatedAt',
      { data: { updatedAt: '2020-01-01' } },
      [{ path: ['data', 'updatedAt'], message: 'is managed by the server and cannot be set' }],
    ],
    [
      'no data',
      { heroTitle: 'x' },
      [
        { path: ['heroTitle'], message: 'is not allowed; send fields inside "data"' },
        { path: ['data'], message: 'must be an object of settings fields' },
      ],
    ],
    ['empty data', { data: {} }, [{ path: ['data'], message: 'must contain at least one field' }]],
    [
      'note too long',
      { data: { heroTitle: 'ok' }, note: 'n'.repeat(501) },
      [{ path: ['note'], message: 'must be at most 500 characters' }],
    ],
    [
      'a NUL character in a text field (PostgreSQL cannot store it)',
      { data: { heroTitle: 'Launch\u0000day' } },
      [{ path: ['data', 'heroTitle'], message: 'must not contain the NUL character (\\u0000)' }],
    ],
    [
      'a NUL character in the note',
      { data: { heroTitle: 'ok' }, note: 'deploy\u0000' },
      [{ path: ['note'], message: 'must not contain the NUL character (\\u0000)' }],
    ],
    [
      'a decimal with more places than are stored',
      { data: { hero3dSpeed: 1.234 } },
      [{ path: ['data', 'hero3dSpeed'], message: 'must have at most 2 decimal places' }],
    ],
  ];

  it.each(cases)(
    'answers 422 for %s, naming each offending path, and changes nothing',
    async (_name, body, expected) => {
      await expectUnchanged(async () => {
        const res = await put(body).expect(422);
        expect(res.body.data).toBeNull();
        expect(res.body.error).toMatchObject({ status: 422, name: 'ValidationError' });
        expect(res.body.error.details.errors).toEqual(
          expected.map((error) => ({ ...error, name: 'ValidationError' }))
        );
      });
    }
  );

  it('reports every offending field at once', async () => {
    const res = await put({ data: { siteName: '', primaryColor: 'blue', bogus: 1 } }).expect(422);
    expect(
      res.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'))
    ).toEqual(['data.siteName', 'data.primaryColor', 'data.bogus']);
  });

  it('answers 413 for a body over 64 KB', async () => {
    await expectUnchanged(async () => {
      const res = await put({ data: { heroSubtitle: 'x'.repeat(70 * 1024) } }).expect(413);
      expect(res.body.error).toMatchObject({ status: 413, name: 'PayloadTooLargeError' });
    });
  });

  it('answers 400 for malformed JSON and 415 for a body that is not JSON', async () => {
    await expectUnchanged(async () => {
      const malformed = await app.request
        .put('/api/platform-settings')
        .set(founderHeaders)
        .set('Content-Type', 'application/json')
        .send('{"data": {')
        .expect(400);
      expect(malformed.body.error.status).toBe(400);
      const text = await app.request
        .put('/api/platform-settings')
        .set(founderHeaders)
        .set('Content-Type', 'text/plain')
        .send('heroTitle=x')
        .expect(415);
      expect(text.body.error).toMatchObject({ status: 415, name: 'UnsupportedMediaTypeError' });
    });
  });
});
