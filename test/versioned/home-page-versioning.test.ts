/**
 * Every way the home page is written — Strapi's own REST with an API token,
 * `strapi.documents()`, publish, a rollback — is exactly one version of its own
 * chain, separate from the settings'; components come back on rollback, in
 * order; delete, unpublish and clone are refused. The plugin's routes of the
 * type (history, verify, rollback) and its public GET go through `app.request`,
 * so each answer is checked against docs/openapi.json; Strapi's own PUT and
 * DELETE, which the document does not describe, through `restOf`.
 */
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import {
  createApiToken,
  ensureHomePage,
  homeDocuments,
  homeHistory,
  restOf,
  SAMPLE_HOME,
} from '../helpers/home-page';

let app: TestApp;
let token: Awaited<ReturnType<typeof createApiToken>>;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
  token = await createApiToken(app);
});
afterAll(() => app?.stop());

const versions = async () => (await homeHistory(app)).map((row) => Number(row.version));
const publishedVersion = async () =>
  Number((await homeDocuments(app).findFirst({ status: 'published' }))!.version);

it('starts the home page at version 1, on a chain of its own', async () => {
  expect(await versions()).toEqual([1]);
  expect(await publishedVersion()).toBe(1);
  const settings = await app.request
    .get('/api/platform-settings/history/versions')
    .set(founderHeaders);
  expect(settings.body.meta.pagination.total).toBe(1);
});

it("makes Strapi's own PUT one version, written by the API token", async () => {
  const response = await restOf(app)
    .put('/api/home-page')
    .set(token.headers)
    .send({ data: { features: [{ title: 'Only one', text: 'x', icon: 'bolt' }] } });
  expect(response.status).toBe(200);
  expect(await versions()).toEqual([1, 2]);
  expect(await publishedVersion()).toBe(2);
  const [, second] = await homeHistory(app);
  expect(second.author).toMatchObject({ kind: 'api-token', name: token.name });
  expect(second.changed_fields).toEqual(['features']);
});

it('refuses a version sent by the client with 400 (Strapi: not writable), and never lets code set it', async () => {
  const refused = await restOf(app)
    .put('/api/home-page')
    .set(token.headers)
    .send({ data: { version: 99, closingCta: { heading: 'Go', label: 'Go', url: '/go' } } });
  expect(refused.status).toBe(400);
  expect(await versions()).toEqual([1, 2]);
  const response = await restOf(app)
    .put('/api/home-page')
    .set(token.headers)
    .send({ data: { closingCta: { heading: 'Go', label: 'Go', url: '/go' } } });
  expect(response.status).toBe(200);
  // Strapi's own answer carries the new version, not the one its write read.
  expect(response.body.data.version).toBe(3);
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({ documentId, status: 'published', data: { version: 42 } });
  expect(await publishedVersion()).toBe(3);
  expect(await versions()).toEqual([1, 2, 3]);
});

it('makes a draft save no version, and its publish one', async () => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({
    documentId,
    status: 'draft',
    data: { seo: { title: 'Draft title', description: 'd' } },
  });
  expect(await versions()).toEqual([1, 2, 3]);
  await homeDocuments(app).publish({ documentId });
  expect(await versions()).toEqual([1, 2, 3, 4]);
  // Publishing again what is published changes nothing: no version.
  await homeDocuments(app).publish({ documentId });
  expect(await versions()).toEqual([1, 2, 3, 4]);
});

it('rolls back to version 1 as a new version with the components restored in order', async () => {
  const dry = await app.request
    .post('/api/home-page/rollback/1?dryRun=true')
    .set(token.headers)
    .send({});
  expect(dry.status).toBe(200);
  expect(dry.body.data.diff.map((d: { field: string }) => d.field).sort()).toEqual(
    ['closingCta', 'features', 'seo'].sort()
  );
  expect(await versions()).toEqual([1, 2, 3, 4]);

  const response = await app.request
    .post('/api/home-page/rollback/1')
    .set(token.headers)
    .send({ note: 'Back to launch copy' });
  expect(response.status).toBe(200);
  expect(response.body.data.version).toBe(5);
  expect(response.headers.etag).toMatch(/^"5-/);
  const published = await homeDocuments(app).findFirst({
    status: 'published',
    populate: { features: true, seo: true, closingCta: true },
  });
  const [first] = await homeHistory(app);
  const original = first.data;
  expect(published!.features.map((f: { title: string }) => f.title)).toEqual(
    original.features.map((f: { title: string }) => f.title)
  );
  expect(published!.seo.title).toBe(original.seo.title);
  const last = (await homeHistory(app)).at(-1)!;
  expect(last.change_type).toBe('rollback');
  expect(Number(last.restored_from)).toBe(1);
  expect(last.note).toBe('Back to launch copy');
});

it('lists, reads and verifies the history under the type path', async () => {
  const list = await app.request
    .get('/api/home-page/history/versions?pageSize=2')
    .set(token.headers);
  expect(list.status).toBe(200);
  expect(list.body.data.map((e: { version: number }) => e.version)).toEqual([5, 4]);
  expect(list.body.meta.pagination.total).toBe(5);
  const one = await app.request.get('/api/home-page/history/versions/2').set(token.headers);
  expect(one.body.data.changedFields).toEqual(['features']);
  const verify = await app.request.get('/api/home-page/history/verify').set(token.headers);
  expect(verify.body.data).toMatchObject({ ok: true, versions: 5, head: { version: 5 } });
});

it('refuses history routes without credentials', async () => {
  expect((await app.request.get('/api/home-page/history/versions')).status).toBe(403);
  expect((await app.request.post('/api/home-page/rollback/1').send({})).status).toBe(403);
  const invalid = await app.request
    .get('/api/home-page/history/versions')
    .set('Authorization', 'Bearer not-a-token');
  expect(invalid.status).toBe(401);
});

it('answers the public GET from memory as docs/openapi.json describes it: ETag, X-Version, the type’s Cache-Control, 304', async () => {
  // The first answer comes through Strapi's stack, the next from memory: the same bytes.
  const first = await app.request.get('/api/home-page').expect(200);
  const second = await app.request.get('/api/home-page').expect(200);
  expect(second.text).toBe(first.text);
  expect(second.headers['x-version']).toBe(String(await publishedVersion()));
  expect(second.headers['cache-control']).toBe(
    'public, max-age=30, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400'
  );
  expect(second.body.data.version).toBe(await publishedVersion());
  expect(second.body.data.features.length).toBeGreaterThan(0);
  await app.request.get('/api/home-page').set('If-None-Match', second.headers.etag).expect(304);
});

it('refuses delete, unpublish and clone with 409, changing nothing', async () => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'published' }))!;
  await expect(homeDocuments(app).delete({ documentId })).rejects.toMatchObject({ status: 409 });
  await expect(homeDocuments(app).unpublish({ documentId })).rejects.toMatchObject({ status: 409 });
  const rest = await restOf(app).delete('/api/home-page').set(token.headers);
  expect(rest.status).toBe(409);
  expect(await publishedVersion()).toBe(5);
  expect(await versions()).toEqual([1, 2, 3, 4, 5]);
});

it('leaves the settings chain alone', async () => {
  const settings = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders);
  expect(settings.body.data).toMatchObject({ ok: true, versions: 1 });
  expect(SAMPLE_HOME.seo.title).toBeDefined();
});
