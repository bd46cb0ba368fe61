/**
 * A versioned single type is one document, published only through a commit:
 * a second document (Strapi's `create` does not check, nor does the Content
 * Manager's collection-type route) and several commits sharing one transaction
 * (the Content Manager's bulk publish, code running writes side by side in one
 * `strapi.db.transaction`) never publish anything that is not exactly one
 * version, and never answer 500.
 */
import { bootApp, type TestApp } from '../helpers/strapi';
import {
  createApiToken,
  ensureHomePage,
  HOME_PAGE_UID,
  homeDocuments,
  homeHistory,
  restOf,
} from '../helpers/home-page';
import { auth, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';

let app: TestApp;
let admin: SignedInAdmin;
let documentId: string;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  ({ documentId } = await ensureHomePage(app));
  admin = await registerSuperAdmin(app);
});
afterAll(() => app?.stop());

const versions = async () => (await homeHistory(app)).map((row) => row.version);
const documentIds = async () =>
  [
    ...new Set(
      (
        (await app.strapi.db.connection('home_pages').select('document_id')) as Array<{
          document_id: string;
        }>
      ).map((row) => row.document_id)
    ),
  ].sort();
const verify = async () => {
  const token = await createApiToken(app);
  return (await restOf(app).get('/api/home-page/history/verify').set(token.headers)).body.data;
};

it('refuses a second document from strapi.documents().create, published or draft', async () => {
  const before = await versions();
  const publicBefore = (await restOf(app).get('/api/home-page')).text;
  await expect(
    homeDocuments(app).create({ data: { seo: { title: 'Second' } }, status: 'published' })
  ).rejects.toMatchObject({ status: 409 });
  await expect(
    homeDocuments(app).create({ data: { seo: { title: 'Second draft' } } })
  ).rejects.toMatchObject({ status: 409 });
  expect(await documentIds()).toEqual([documentId]);
  expect(await versions()).toEqual(before);
  expect((await restOf(app).get('/api/home-page')).text).toBe(publicBefore);
});

it("refuses a second document from the Content Manager's collection-type create", async () => {
  const response = await app.request
    .post(`/content-manager/collection-types/${HOME_PAGE_UID}`)
    .set(auth(admin.token))
    .send({ seo: { title: 'Created beside it' } });
  expect(response.status).toBe(409);
  expect(await documentIds()).toEqual([documentId]);
});

it('refuses a second document from the entity service', async () => {
  const entityService = app.strapi.entityService as unknown as {
    create(uid: string, params: Record<string, unknown>): Promise<unknown>;
  };
  await expect(
    entityService.create(HOME_PAGE_UID, {
      data: { seo: { title: 'Entity service' }, publishedAt: new Date() },
    })
  ).rejects.toMatchObject({ status: 409 });
  expect(await documentIds()).toEqual([documentId]);
});

it('makes a bulk publish naming the home page twice one version, not a 500', async () => {
  await homeDocuments(app).update({
    documentId,
    status: 'draft',
    data: { seo: { title: 'Bulk published' } },
  });
  const before = await versions();
  const response = await app.request
    .post(`/content-manager/collection-types/${HOME_PAGE_UID}/actions/bulkPublish`)
    .set(auth(admin.token))
    .send({ documentIds: [documentId, documentId] });
  expect(response.status).toBe(200);
  expect(await versions()).toEqual([...before, before.length + 1]);
  expect((await homeHistory(app)).at(-1)!.data.seo!.title).toBe('Bulk published');
  expect(await verify()).toMatchObject({ ok: true });
});

it('makes writes side by side in one transaction one version each, in turn', async () => {
  const before = await versions();
  const documents = homeDocuments(app);
  await app.strapi.db.transaction(async () => {
    await Promise.all([
      documents.update({
        documentId,
        status: 'published',
        data: { closingCta: { heading: 'First', label: 'Go', url: '/first' } },
      }),
      documents.update({
        documentId,
        status: 'published',
        data: { closingCta: { heading: 'Second', label: 'Go', url: '/second' } },
      }),
    ]);
  });
  expect(await versions()).toEqual([...before, before.length + 1, before.length + 2]);
  const published = await documents.findFirst({
    status: 'published',
    populate: { closingCta: true },
  });
  expect(published!.version).toBe(before.length + 2);
  expect((await homeHistory(app)).at(-1)!.data.closingCta).toEqual(
    expect.objectContaining({ url: published!.closingCta!.url })
  );
  expect(await verify()).toMatchObject({ ok: true });
});
