/**
 * What a visitor (no credentials) can read of the home page: its published
 * content, never its draft (unpublished launch copy), by any query string.
 */
import { bootApp, type TestApp } from '../helpers/strapi';
import { createApiToken, ensureHomePage, homeDocuments, restOf } from '../helpers/home-page';

let app: TestApp;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  const { documentId } = await ensureHomePage(app);
  await homeDocuments(app).update({
    documentId,
    status: 'draft',
    data: { seo: { title: 'Embargoed launch copy' } },
  });
});
afterAll(() => app?.stop());

it.each([
  '/api/home-page?status=draft&populate=*',
  '/api/home-page?status=draft&populate[seo]=true',
  '/api/home-page?status[0]=draft&populate=*',
  '/api/home-page/?status=draft&populate=*',
  '/api/home-page?filters[seo][title][$eq]=Embargoed%20launch%20copy&status=draft',
])('never shows a visitor the draft: %s', async (path) => {
  const response = await restOf(app).get(path);
  expect(response.text).not.toContain('Embargoed launch copy');
  // Nor does the answer tell a draft from the published document (a filter on the draft's content).
  if (response.status === 200) expect(response.body.data?.publishedAt ?? null).not.toBeNull();
});

it('still serves the published home page to a visitor', async () => {
  const response = await restOf(app).get('/api/home-page?populate=*');
  expect(response.status).toBe(200);
  expect(response.text).not.toContain('Embargoed launch copy');
  expect(response.body.data.publishedAt).not.toBeNull();
});

it("keeps Strapi's semantics for credentials: a token that may find reads the draft", async () => {
  const token = await createApiToken(app, 'custom', ['api::home-page.home-page.find']);
  const response = await restOf(app)
    .get('/api/home-page?status=draft&populate=*')
    .set(token.headers);
  expect(response.status).toBe(200);
  expect(response.body.data.seo.title).toBe('Embargoed launch copy');
});
