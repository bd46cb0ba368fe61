/**
 * CDN purge on change, against a local HTTP receiver standing in for
 * Cloudflare's purge API: one request per new version, after the commit, retried
 * with backoff, and never holding up or failing the write. A version of another
 * versioned type (the home page) purges that type's URL the same way.
 */
import { purgeTargetFromEnv, urlForPath } from '../../cms/server/src/services/cdn-purge';
import { ensureHomePage, homeDocuments } from '../helpers/home-page';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { answer, startReceiver, type Receiver } from './helpers/http-receiver';
import { valueOf } from './helpers/prometheus';

const SETTINGS_URL = 'https://www.example.test/api/platform-settings';
const HOME_PAGE_URL = 'https://www.example.test/api/home-page';
const PURGE_TOKEN = 'cdn-purge-token-for-the-tests';

let app: TestApp;
let receiver: Receiver;

const service = <T>(name: string) =>
  app.strapi.plugin('platform-settings').service(name) as unknown as T;
const purges = () => service<{ idle(): Promise<void> }>('cdnPurge');
const metric = async (name: string, labels: Record<string, string> = {}) =>
  valueOf(await app.request.get('/metrics').then((res) => res.text), name, labels);

let change = 0;
const update = () =>
  app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: `Purge test ${(change += 1)}` } })
    .expect(200);

beforeAll(async () => {
  receiver = await startReceiver();
  app = await bootApp({
    env: {
      CDN_PURGE_URL: `${receiver.url}/client/v4/zones/test-zone/purge_cache`,
      CDN_PURGE_TOKEN: PURGE_TOKEN,
      SETTINGS_PUBLIC_URL: SETTINGS_URL,
    },
  });
  // Short waits between tries; the schedule itself is the same. A try's timeout stays long: a
  // receiver answering late on a loaded machine must not turn one purge into two.
  app.strapi.config.set('plugin::platform-settings.cdnPurge', {
    attempts: 3,
    backoffMs: 20,
    timeoutMs: 15_000,
  });
});
afterAll(async () => {
  await app?.stop();
  await receiver?.close();
});
beforeEach(async () => {
  await purges().idle();
  receiver.requests.length = 0;
  receiver.respondWith(answer(200));
});

test('sends one Cloudflare purge-by-URL request per new version, after it commits', async () => {
  let versionSeenByCdn: number | null = null;
  receiver.respondWith(async (_request, res) => {
    // What a CDN refetching right now would get: the committed version.
    const row = await app.strapi.db.connection('platform_settings').first('version');
    versionSeenByCdn = Number(row.version);
    answer(200)(_request, res);
  });

  const res = await update();
  const [request] = await receiver.waitFor(1);
  await purges().idle();

  expect(request.method).toBe('POST');
  expect(request.url).toBe('/client/v4/zones/test-zone/purge_cache');
  expect(request.headers.authorization).toBe(`Bearer ${PURGE_TOKEN}`);
  expect(request.headers['content-type']).toBe('application/json');
  expect(JSON.parse(request.body)).toEqual({ files: [SETTINGS_URL] });
  expect(versionSeenByCdn).toBe(res.body.data.version);
  expect(receiver.requests).toHaveLength(1);
});

test('purges for every version (rollbacks too) and not for a save that changed nothing', async () => {
  await update();
  const unchanged = await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: `Purge test ${change}` } })
    .expect(200);
  expect(unchanged.body.meta.changed).toBe(false);
  await app.request.post('/api/platform-settings/rollback/1').set(founderHeaders).expect(200);
  await purges().idle();
  expect(receiver.requests).toHaveLength(2);
});

test('never holds up the write: it answers while the CDN has not', async () => {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  receiver.respondWith(async (request, res) => {
    await released;
    answer(200)(request, res);
  });

  const successes = await metric('cdn_purges_total', { result: 'success' });
  await update();
  await receiver.waitFor(1);
  // The write is done and answered; the purge is still waiting for the CDN.
  expect(await metric('cdn_purges_total', { result: 'success' })).toBe(successes);

  release();
  await purges().idle();
  expect(await metric('cdn_purges_total', { result: 'success' })).toBe(successes + 1);
});

test('retries failures with backoff until the CDN accepts', async () => {
  const statuses = [503, 500, 200];
  receiver.respondWith((request, res) => answer(statuses.shift() ?? 200)(request, res));
  const before = {
    retries: await metric('cdn_purge_retries_total'),
    success: await metric('cdn_purges_total', { result: 'success' }),
  };

  await update();
  await purges().idle();

  expect(receiver.requests).toHaveLength(3);
  expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
  expect(await metric('cdn_purge_retries_total')).toBe(before.retries + 2);
  expect(await metric('cdn_purges_total', { result: 'success' })).toBe(before.success + 1);
});

test('gives up after the last attempt, counts and logs the failure, and the write stands', async () => {
  receiver.respondWith(answer(502));
  const failures = await metric('cdn_purges_total', { result: 'failure' });
  const logged: string[] = [];
  const error = jest.spyOn(app.strapi.log, 'error').mockImplementation(((message: string) => {
    logged.push(message);
    return app.strapi.log;
  }) as never);

  try {
    const res = await update();
    await purges().idle();
    expect(receiver.requests).toHaveLength(3);
    expect(await metric('cdn_purges_total', { result: 'failure' })).toBe(failures + 1);
    expect(logged.join('\n')).toMatch(/CDN purge for version \d+ failed after 3 attempt\(s\).*502/);
    expect(logged.join('\n')).not.toContain(PURGE_TOKEN);
    const live = await app.request.get('/api/platform-settings').expect(200);
    expect(live.body.data.version).toBe(res.body.data.version);
  } finally {
    error.mockRestore();
  }
});

test('does not retry an answer a retry cannot change (400)', async () => {
  receiver.respondWith(answer(400, { success: false, errors: [{ message: 'bad zone' }] }));
  const failures = await metric('cdn_purges_total', { result: 'failure' });
  const error = jest
    .spyOn(app.strapi.log, 'error')
    .mockImplementation((() => app.strapi.log) as never);
  try {
    await update();
    await purges().idle();
    expect(receiver.requests).toHaveLength(1);
    expect(await metric('cdn_purges_total', { result: 'failure' })).toBe(failures + 1);
  } finally {
    error.mockRestore();
  }
});

test('purges the home page’s URL once per version of the home page, and only for that', async () => {
  const { documentId } = await ensureHomePage(app);
  await purges().idle();
  receiver.requests.length = 0;
  let versionSeenByCdn: number | null = null;
  receiver.respondWith(async (request, res) => {
    const row = await app.strapi.db
      .connection('home_pages')
      .whereNotNull('published_at')
      .first('version');
    versionSeenByCdn = Number(row.version);
    answer(200)(request, res);
  });
  const successes = await metric('cdn_purges_total', { result: 'success' });
  const logged: string[] = [];
  const info = jest.spyOn(app.strapi.log, 'info').mockImplementation(((message: string) => {
    logged.push(message);
    return app.strapi.log;
  }) as never);
  try {
    await homeDocuments(app).update({
      documentId,
      status: 'published',
      data: { closingCta: { heading: `Purge ${(change += 1)}`, label: 'Go', url: '/go' } },
    });
    await purges().idle();
  } finally {
    info.mockRestore();
  }
  const published = await homeDocuments(app).findFirst({ status: 'published' });
  expect(receiver.requests).toHaveLength(1);
  expect(receiver.requests[0].headers.authorization).toBe(`Bearer ${PURGE_TOKEN}`);
  expect(JSON.parse(receiver.requests[0].body)).toEqual({ files: [HOME_PAGE_URL] });
  expect(versionSeenByCdn).toBe(Number(published!.version));
  expect(await metric('cdn_purges_total', { result: 'success' })).toBe(successes + 1);
  expect(logged).toContain(
    `platform-settings: CDN purged for home-page version ${published!.version}`
  );

  // Saving the draft is no version, so no purge; a settings change purges only the settings.
  await homeDocuments(app).update({
    documentId,
    status: 'draft',
    data: { closingCta: { heading: 'Draft only', label: 'Go', url: '/go' } },
  });
  await update();
  await purges().idle();
  expect(receiver.requests.map((request) => JSON.parse(request.body).files)).toEqual([
    [HOME_PAGE_URL],
    [SETTINGS_URL],
  ]);
});

describe('configuration', () => {
  it('is off without CDN_PURGE_URL', () => {
    expect(purgeTargetFromEnv({ PUBLIC_URL: 'https://cms.example.test' })).toBeNull();
  });

  it('derives the settings URL from PUBLIC_URL unless SETTINGS_PUBLIC_URL is set', () => {
    const endpoint = 'https://api.cloudflare.com/client/v4/zones/z/purge_cache';
    expect(
      purgeTargetFromEnv({ CDN_PURGE_URL: endpoint, PUBLIC_URL: 'https://cms.example.test/' })
    ).toEqual({
      style: 'cloudflare',
      endpoint,
      token: null,
      settingsUrl: 'https://cms.example.test/api/platform-settings',
    });
    expect(
      purgeTargetFromEnv({
        CDN_PURGE_URL: endpoint,
        CDN_PURGE_TOKEN: 't',
        PUBLIC_URL: 'https://cms.example.test',
        SETTINGS_PUBLIC_URL: 'https://cdn.example.test/api/platform-settings',
      })?.settingsUrl
    ).toBe('https://cdn.example.test/api/platform-settings');
  });

  it("gives another type's URL the settings' host and prefix, with the type's path", () => {
    expect(urlForPath('https://cdn.example.test/api/platform-settings', '/api/home-page')).toBe(
      'https://cdn.example.test/api/home-page'
    );
    expect(urlForPath('http://127.0.0.1:8080/cms/api/platform-settings', '/api/home-page')).toBe(
      'http://127.0.0.1:8080/cms/api/home-page'
    );
    // A settings URL of another shape: its origin, and the type's path.
    expect(urlForPath('https://cdn.example.test/settings.json', '/api/home-page')).toBe(
      'https://cdn.example.test/api/home-page'
    );
    // The settings' own URL is never rewritten.
    expect(urlForPath('https://cdn.example.test/settings.json', '/api/platform-settings')).toBe(
      'https://cdn.example.test/settings.json'
    );
  });

  it('refuses to start half configured', () => {
    expect(() => purgeTargetFromEnv({ CDN_PURGE_URL: 'https://purge.example.test' })).toThrow(
      /SETTINGS_PUBLIC_URL nor PUBLIC_URL/
    );
  });
});

// Last: it stops the app (one Strapi per process).
test('stopping the server stops its purge retries: destroy undoes what bootstrap started', async () => {
  app.strapi.config.set('plugin::platform-settings.cdnPurge', {
    attempts: 5,
    backoffMs: 400,
    timeoutMs: 2000,
  });
  receiver.respondWith(answer(503));
  await update();
  await receiver.waitFor(1);

  const started = Date.now();
  const stopping = app;
  app = undefined as unknown as TestApp;
  await stopping.stop();
  expect(Date.now() - started).toBeLessThan(3000);
  const seen = receiver.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(receiver.requests.length).toBe(seen);
});
