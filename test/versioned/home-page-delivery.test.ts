/**
 * The home page's public GET and live events: the bare `GET /api/home-page` is
 * Strapi's own answer for the type's deep populate, byte for byte, with a
 * strong ETag, 304s and `s-maxage=30`, whether the fast path or the stack
 * answers; a query string goes to Strapi as it is; only while the Public role
 * may `find` it; and the one event stream carries it as `event: home-page`.
 */
import type { AddressInfo } from 'node:net';
import { eventually, openStream, type OpenStream } from '../helpers/event-stream';
import { createApiToken, ensureHomePage, restOf, setPublicAction } from '../helpers/home-page';
import { bootApp, type TestApp } from '../helpers/strapi';

const FIND = 'api::home-page.home-page.find';
let app: TestApp;
let url: string;
let token: Awaited<ReturnType<typeof createApiToken>>;
const opened: OpenStream[] = [];

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
  await setPublicAction(app, FIND, true);
  token = await createApiToken(app);
  await new Promise<void>((resolve) =>
    app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
  );
  url = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
});
afterEach(() => opened.splice(0).forEach((stream) => stream.close()));
afterAll(() => app?.stop());

const populateQuery = () => {
  const plugin = app.strapi.plugin('platform-settings');
  const type = plugin.service('versionedTypes').byKey('home-page');
  return plugin.service('typeDelivery').populateQuery(type) as string;
};
const put = (data: Record<string, unknown>) =>
  restOf(app).put('/api/home-page').set(token.headers).send({ data }).expect(200);

it("answers the bare GET with Strapi's own populated answer, the same bytes on the stack and the fast path", async () => {
  const strapiAnswer = await restOf(app).get(`/api/home-page?${populateQuery()}`).expect(200);
  const first = await restOf(app).get('/api/home-page').expect(200);
  const second = await restOf(app).get('/api/home-page').expect(200);
  expect(first.text).toBe(strapiAnswer.text);
  expect(second.text).toBe(strapiAnswer.text);
  const body = JSON.parse(first.text);
  expect(body.data.features.length).toBeGreaterThan(0);
  expect(body.data.seo.title).toEqual(expect.any(String));
  for (const response of [first, second]) {
    expect(response.headers['cache-control']).toBe(
      'public, max-age=30, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400'
    );
    expect(response.headers.etag).toMatch(new RegExp(`^"${body.data.version}-[0-9a-f]{16}"$`));
    expect(response.headers['x-version']).toBe(String(body.data.version));
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  }
  expect(second.headers.etag).toBe(first.headers.etag);
  // The stack's own headers (security, CORS) come with the fast answer too.
  for (const name of ['x-frame-options', 'content-security-policy', 'strict-transport-security']) {
    expect(second.headers[name]).toBe(first.headers[name]);
  }
});

it('answers 304 to a matching If-None-Match', async () => {
  const { headers } = await restOf(app).get('/api/home-page').expect(200);
  const again = await restOf(app).get('/api/home-page').set('If-None-Match', headers.etag);
  expect(again.status).toBe(304);
  expect(again.text).toBe('');
  expect(again.headers.etag).toBe(headers.etag);
});

it('leaves a request with a query string to Strapi, as Strapi answers it', async () => {
  const response = await restOf(app).get('/api/home-page?fields[0]=documentId').expect(200);
  expect(Object.keys(JSON.parse(response.text).data).sort()).toEqual(['documentId', 'id']);
  expect(response.headers['x-version']).toBeUndefined();
});

it('answers a bare GET with credentials as Strapi does for them, and never lets a shared cache keep it', async () => {
  // Fast path warm for visitors first: a credentialed request must still not get the public copy.
  await restOf(app).get('/api/home-page').expect(200);
  await restOf(app).get('/api/home-page').expect(200);
  const withToken = await restOf(app).get('/api/home-page').set(token.headers).expect(200);
  expect(withToken.headers['cache-control']).toBe('private, no-store');
  expect(withToken.headers.vary).toMatch(/Authorization/i);
  expect(withToken.headers['x-version']).toBeUndefined();
  // The same deep populate as a visitor's answer.
  expect(JSON.parse(withToken.text).data.features.length).toBeGreaterThan(0);
  const wrong = await restOf(app).get('/api/home-page').set('Authorization', 'Bearer not-a-token');
  expect(wrong.status).toBe(401);
  expect(wrong.headers['cache-control']).toBe('private, no-store');
  // A token that may not `find` the home page is refused, as Strapi refuses it.
  const other = await createApiToken(app, 'custom', ['api::home-page.home-page.update']);
  expect((await restOf(app).get('/api/home-page').set(other.headers)).status).toBe(403);
});

it('serves a new version at once after it is committed', async () => {
  const before = await restOf(app).get('/api/home-page').expect(200);
  await put({ closingCta: { heading: 'Now', label: 'Go', url: '/now' } });
  let after = await restOf(app).get('/api/home-page').expect(200);
  for (let tries = 0; tries < 20 && after.headers.etag === before.headers.etag; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    after = await restOf(app).get('/api/home-page').expect(200);
  }
  expect(JSON.parse(after.text).data.closingCta.heading).toBe('Now');
  expect(Number(after.headers['x-version'])).toBe(Number(before.headers['x-version']) + 1);
});

it('serves nothing once the Public role may no longer find it, and again once it may', async () => {
  await restOf(app).get('/api/home-page').expect(200);
  await setPublicAction(app, FIND, false);
  await restOf(app).get('/api/home-page').expect(403);
  await restOf(app).get('/api/home-page').expect(403);
  await setPublicAction(app, FIND, true);
  await restOf(app).get('/api/home-page').expect(200);
});

const open = async (path: string, headers: Record<string, string> = {}) => {
  const stream = await openStream(url, headers, { path });
  opened.push(stream);
  return stream;
};

it('carries the home page as named events on the one stream, its data the GET body', async () => {
  const stream = await open('/api/platform-settings/events?types=settings,home-page');
  expect(stream.status).toBe(200);
  await eventually(() => stream.events.length >= 2, 5000);
  expect(stream.events.map((event) => event.event).sort()).toEqual(['home-page', 'settings']);
  const home = stream.events.find((event) => event.event === 'home-page')!;
  const get = await restOf(app).get('/api/home-page').expect(200);
  expect(home.data).toBe(get.text);
  expect(home.id).toBe(`home-page:${get.headers['x-version']}`);

  const next = stream.next(5000);
  await put({ seo: { title: 'Live', description: 'now' } });
  const event = await next;
  expect(event.event).toBe('home-page');
  expect(JSON.parse(event.data!).data.seo.title).toBe('Live');
});

it('carries the settings alone without types, and refuses an unknown type with 422', async () => {
  const plain = await open('/api/platform-settings/events');
  await eventually(() => plain.events.length >= 1, 5000);
  await put({ seo: { title: 'Not for this stream', description: 'x' } });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(plain.events.map((event) => event.event)).toEqual(['settings']);

  const refused = await restOf(app).get('/api/platform-settings/events?types=settings,nope');
  expect(refused.status).toBe(422);
  expect(refused.body.error.details.errors[0].path).toEqual(['types']);
});
