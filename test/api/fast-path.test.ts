/**
 * The in-memory GET runs ahead of Strapi's middleware stack; it must answer
 * byte-for-byte and header-for-header as the full stack does.
 */
import type { Knex } from 'knex';
import { refreshProof } from '../../cms/server/src/utils/refresh-proof';
import { ensureHomePage, homeDocuments } from '../helpers/home-page';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp({
    env: {
      CORS_ORIGINS: 'https://site.example,http://localhost:5173',
      // No background reads while the min-version tests count queries.
      SETTINGS_VERSION_CHECK_MS: '600000',
      SCHEDULE_CHECK_MS: '600000',
    },
  });
});
afterAll(() => app?.stop());

/** Everything but the headers that differ on every response. */
const comparable = (headers: Record<string, string>) => {
  const {
    date: _date,
    connection: _connection,
    'keep-alive': _keepAlive,
    'x-request-id': requestId,
    ...rest
  } = headers;
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  return rest;
};

/**
 * The same read through the full stack (a query string always takes it) and
 * from memory (the plain URL, once the fast path has seen this Origin).
 */
const fullThenFast = async (origin?: string) => {
  const get = (url: string) => {
    const request = app.request.get(url);
    return origin ? request.set('Origin', origin) : request;
  };
  const full = await get('/api/platform-settings?via=stack').expect(200);
  await get('/api/platform-settings').expect(200);
  // The controller reads through cache.get(); the fast path never reaches it.
  const controllerReads = jest.spyOn(
    app.strapi.plugin('platform-settings').service('cache'),
    'get'
  );
  const fast = await get('/api/platform-settings').expect(200);
  expect(controllerReads).not.toHaveBeenCalled();
  controllerReads.mockRestore();
  return { full, fast };
};

describe('fast GET path', () => {
  it.each([
    ['no Origin', undefined],
    ['an allowed Origin', 'https://site.example'],
    ['a foreign Origin', 'https://evil.example'],
  ])('sends the same status, headers and body as the full stack for %s', async (_case, origin) => {
    const { full, fast } = await fullThenFast(origin);
    expect(comparable(fast.headers)).toEqual(comparable(full.headers));
    expect(fast.text).toBe(full.text);
  });

  it('keeps Strapi’s security headers', async () => {
    const { fast } = await fullThenFast();
    expect(fast.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-powered-by': 'Strapi <strapi.io>',
    });
  });

  it('lets allowed origins read the settings cross-origin, and nobody else', async () => {
    const { fast: allowed } = await fullThenFast('https://site.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://site.example');
    expect(allowed.headers['access-control-expose-headers']).toContain('ETag');
    const { fast: foreign } = await fullThenFast('https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves a new version at once, and 304s on the fast path', async () => {
    const { fast } = await fullThenFast();
    await app.request
      .get('/api/platform-settings')
      .set('If-None-Match', fast.headers.etag)
      .expect(304);
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { heroTitle: 'Fresh' } })
      .expect(200);
    const after = await app.request
      .get('/api/platform-settings')
      .set('If-None-Match', fast.headers.etag)
      .expect(200);
    expect(after.body.data.heroTitle).toBe('Fresh');
  });
});

describe('remembered Origins', () => {
  const servedFast = async (origin: string) => {
    await app.request.get('/api/platform-settings').set('Origin', origin).expect(200);
    const controllerReads = jest.spyOn(
      app.strapi.plugin('platform-settings').service('cache'),
      'get'
    );
    await app.request.get('/api/platform-settings').set('Origin', origin).expect(200);
    const fast = controllerReads.mock.calls.length === 0;
    controllerReads.mockRestore();
    return fast;
  };

  it('learns new Origins after 64 others, forgetting the least recently used', async () => {
    // Anyone can send 100 made-up Origins…
    for (let index = 0; index < 100; index += 1) {
      await app.request
        .get('/api/platform-settings')
        .set('Origin', `https://spam-${index}.example`);
    }
    // …and a real site's Origin is still learned and served fast, while it is in use.
    expect(await servedFast('http://localhost:5173')).toBe(true);
    for (let index = 100; index < 130; index += 1) {
      await app.request
        .get('/api/platform-settings')
        .set('Origin', `https://spam-${index}.example`);
      await app.request.get('/api/platform-settings').set('Origin', 'http://localhost:5173');
    }
    expect(await servedFast('http://localhost:5173')).toBe(true);
  });
});

describe('CORS on the write routes', () => {
  const preflight = (origin: string, method = 'PUT') =>
    app.request
      .options('/api/platform-settings')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', method)
      .set('Access-Control-Request-Headers', 'x-founder-key,content-type');

  it('answers a preflight from an allowed origin', async () => {
    const res = await preflight('https://site.example');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://site.example');
    expect(res.headers['access-control-allow-methods']).toContain('PUT');
  });

  it('never answers a preflight from an origin not on the list', async () => {
    for (const method of ['PUT', 'POST']) {
      const res = await preflight('https://evil.example', method);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-methods']).toBeUndefined();
      expect(res.headers['access-control-allow-headers']).toBeUndefined();
    }
  });
});

describe('X-Settings-Min-Version', () => {
  /** The SQL queries run while `action` runs. */
  const queriesDuring = async (action: () => Promise<unknown>) => {
    const knex = app.strapi.db.connection as unknown as Knex;
    const seen: string[] = [];
    const listener = (query: { sql: string }) => seen.push(query.sql);
    knex.on('query', listener);
    try {
      await action();
    } finally {
      knex.removeListener('query', listener);
    }
    return seen;
  };
  const ahead = async () => {
    const live = await app.request.get('/api/platform-settings?via=stack').expect(200);
    return { live, wanted: String(live.body.data.version + 1) };
  };

  it.each([
    ['the fast path', '/api/platform-settings'],
    ['the full stack', '/api/platform-settings?via=stack'],
  ])(
    'from an anonymous client, is ignored on %s: no database read, the copy in memory answers',
    async (_case, url) => {
      const { live, wanted } = await ahead();
      await app.request.get('/api/platform-settings').expect(200); // the fast path learns no Origin
      for (const proof of [undefined, `${Math.floor(Date.now() / 1000)}.${'A'.repeat(43)}`]) {
        let answer: { status: number; text: string } | undefined;
        const queries = await queriesDuring(async () => {
          const request = app.request.get(url).set('X-Settings-Min-Version', wanted);
          answer = await (proof ? request.set('X-Settings-Refresh-Proof', proof) : request);
        });
        expect(queries).toEqual([]);
        expect(answer?.status).toBe(200);
        expect(answer?.text).toBe(live.text);
      }
    }
  );

  it('from the CMS’s own refresh (a valid proof), reads the database to catch up', async () => {
    const { live, wanted } = await ahead();
    const proof = refreshProof(Number(wanted));
    expect(proof).not.toBeNull();
    let answer: { status: number; text: string } | undefined;
    const queries = await queriesDuring(async () => {
      answer = await app.request
        .get('/api/platform-settings')
        .set('X-Settings-Min-Version', wanted)
        .set('X-Settings-Refresh-Proof', proof!);
    });
    expect(queries.length).toBeGreaterThan(0);
    expect(answer?.status).toBe(200);
    expect(answer?.text).toBe(live.text);
    // A proof is for one version only, and expires.
    const stale = refreshProof(Number(wanted), Date.now() - 10 * 60_000)!;
    for (const [version, tried] of [
      [String(Number(wanted) + 1), proof!],
      [wanted, stale],
    ]) {
      const ignored = await queriesDuring(() =>
        app.request
          .get('/api/platform-settings')
          .set('X-Settings-Min-Version', version)
          .set('X-Settings-Refresh-Proof', tried)
          .expect(200)
      );
      expect(ignored).toEqual([]);
    }
  });
});

describe('X-Settings-Min-Version on the home page (a versioned type)', () => {
  const get = (proof?: string | null, wanted?: number) => {
    const request = app.request.get('/api/home-page');
    if (wanted !== undefined) request.set('X-Settings-Min-Version', String(wanted));
    return proof ? request.set('X-Settings-Refresh-Proof', proof) : request;
  };

  it('from the CMS’s own refresh (a proof for this type) answers what the database has; from anyone else, the copy in memory', async () => {
    const { documentId } = await ensureHomePage(app);
    await get().expect(200);
    const before = await get().expect(200);
    const known = Number(before.headers['x-version']);

    // A version this instance has not heard of yet, as when another instance wrote it and
    // its notice is still on the way: the in-memory copy is not refreshed on this commit.
    const delivery = app.strapi.plugin('platform-settings').service('typeDelivery') as {
      refresh: (...args: unknown[]) => Promise<unknown>;
    };
    const notHeard = jest.spyOn(delivery, 'refresh').mockResolvedValue(null);
    try {
      await homeDocuments(app).update({
        documentId,
        status: 'published',
        data: { closingCta: { heading: 'Written elsewhere', label: 'Go', url: '/go' } },
      });
    } finally {
      notHeard.mockRestore();
    }
    const wanted = known + 1;

    // No proof, the settings' proof, another type's proof: the copy in memory answers.
    for (const proof of [
      undefined,
      refreshProof(wanted),
      refreshProof(wanted, Date.now(), 'another-type'),
    ]) {
      const answer = await get(proof, wanted).expect(200);
      expect(answer.headers['x-version']).toBe(String(known));
      expect(answer.text).toBe(before.text);
    }

    // The refresh's own proof: the version committed, from the database.
    const fresh = await get(refreshProof(wanted, Date.now(), 'home-page'), wanted).expect(200);
    expect(fresh.headers['x-version']).toBe(String(wanted));
    expect(fresh.body.data.closingCta.heading).toBe('Written elsewhere');
    // And the copy in memory caught up: the plain URL answers the new version too.
    const deadline = Date.now() + 2000;
    for (;;) {
      const plain = await get().expect(200);
      if (plain.headers['x-version'] === String(wanted)) {
        expect(plain.text).toBe(fresh.text);
        break;
      }
      if (Date.now() > deadline) throw new Error('the in-memory copy did not catch up');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
