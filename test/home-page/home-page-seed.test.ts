/**
 * The host app's home page (api::home-page.home-page): seeded and published on first start, read
 * publicly over Strapi's own REST routes, never seeded twice (a second boot on the same database,
 * two seedings at once), and the Public role's `find` granted once only, so an operator's revoke
 * holds across restarts.
 */
import supertest from 'supertest';
import { HOME_PAGE_LAUNCH_COPY } from '../../src/seed/home-page-launch-copy';
import { HOME_PAGE_UID, seedHomePage } from '../../src/seed/home-page';
import { HOME_PAGE_FIND_ACTION } from '../../src/seed/public-read';
import { bootApp, type TestApp } from '../helpers/strapi';

const NESTED_POPULATE =
  'populate[seo][populate][0]=shareImage&populate[features]=true&populate[closingCta]=true';

let app: TestApp;
/**
 * Strapi's own routes for the host app's type, which docs/openapi.json (the plugin's API) does not
 * describe, so not through `app.request`'s document check.
 */
let rest: ReturnType<typeof supertest>;

const boot = async (database?: TestApp['database']) => {
  app = await bootApp(database ? { database } : {});
  rest = supertest(app.strapi.server.httpServer);
};

beforeAll(() => boot());
afterAll(() => app?.stop());

/** Rows of the type: one document has a draft row and a published row. */
const homePageRows = () =>
  app.strapi.db.query(HOME_PAGE_UID).findMany({ select: ['documentId', 'publishedAt'] }) as Promise<
    { documentId: string; publishedAt: string | null }[]
  >;

const publicRoleActions = async (prefix: string) => {
  const role = await app.strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' }, populate: ['permissions'] });
  return (role.permissions as { action: string }[])
    .map(({ action }) => action)
    .filter((action) => action.startsWith(prefix))
    .sort();
};

describe('the seeded home page', () => {
  it('is published on first start, one document', async () => {
    const rows = await homePageRows();
    expect(new Set(rows.map((row) => row.documentId)).size).toBe(1);
    expect(rows.filter((row) => row.publishedAt !== null)).toHaveLength(1);
  });

  it('answers GET /api/home-page?populate=* publicly with the launch copy', async () => {
    const res = await rest.get('/api/home-page?populate=*').expect(200);
    const { seo, features, closingCta } = HOME_PAGE_LAUNCH_COPY;
    expect(res.body.data).toMatchObject({
      documentId: expect.any(String),
      publishedAt: expect.any(String),
      seo,
      features: features.map((feature) => expect.objectContaining(feature)),
      closingCta,
    });
    expect(res.body.data.features).toHaveLength(3);
    expect(res.body.meta).toEqual({});
  });

  it('answers with the SEO share image when asked for it (none seeded)', async () => {
    const res = await rest.get(`/api/home-page?${NESTED_POPULATE}`).expect(200);
    expect(res.body.data.seo).toMatchObject({ ...HOME_PAGE_LAUNCH_COPY.seo, shareImage: null });
    expect(res.body.data.features.map((f: { icon: string }) => f.icon)).toEqual([
      'history',
      'rollback',
      'bolt',
    ]);
    expect(res.body.data.closingCta).toMatchObject(HOME_PAGE_LAUNCH_COPY.closingCta);
  });

  it('answers the bare GET /api/home-page (the URL the site reads)', async () => {
    const res = await rest.get('/api/home-page').expect(200);
    expect(res.body.data.documentId).toEqual(expect.any(String));
  });

  it('lets the Public role find it and nothing else', async () => {
    expect(await publicRoleActions('api::home-page.')).toEqual([HOME_PAGE_FIND_ACTION]);
    await rest
      .put('/api/home-page')
      .send({ data: { seo: { title: 'Defaced' } } })
      .expect(403);
    await rest.delete('/api/home-page').expect(403);
  });

  it('two seedings at once on an empty type create one home page', async () => {
    // Behind every API's back, as if the type had just been added to an existing database:
    // no document, and no history either (the type is versioned, so its chain goes too).
    await app.strapi.db.query(HOME_PAGE_UID).deleteMany({});
    const db = app.strapi.db.connection;
    for (const table of ['home_pages_history', 'home_pages_chain_head']) await db(table).del();
    const plugin = app.strapi.plugin('platform-settings');
    await plugin
      .service('chain')
      .of(plugin.service('versionedTypes').byUid(HOME_PAGE_UID))
      .prepare();
    expect(await homePageRows()).toEqual([]);
    const results = await Promise.all([seedHomePage(app.strapi), seedHomePage(app.strapi)]);
    expect(results.map((result) => result.created).sort()).toEqual([false, true]);
    const rows = await homePageRows();
    expect(new Set(rows.map((row) => row.documentId)).size).toBe(1);
    expect(rows).toHaveLength(2); // its draft and its published version
    // The grant was made once, on first start: neither seeding makes it again.
    expect(results.map((result) => result.publicRead)).toEqual(['already-set', 'already-set']);
  });
});

describe('a second start on the same database', () => {
  const EDITED_TITLE = 'Edited before the restart';
  let documentId: string;

  beforeAll(async () => {
    // An editor changes the page, and an operator revokes the public read, before a restart.
    const current = await app.strapi.documents(HOME_PAGE_UID).findFirst({ populate: ['seo'] });
    documentId = current!.documentId;
    await app.strapi.documents(HOME_PAGE_UID).update({
      documentId,
      data: { seo: { title: EDITED_TITLE } },
      status: 'published',
    });
    const role = await app.strapi.db
      .query('plugin::users-permissions.role')
      .findOne({ where: { type: 'public' } });
    await app.strapi.db
      .query('plugin::users-permissions.permission')
      .deleteMany({ where: { action: HOME_PAGE_FIND_ACTION, role: role.id } });
    const { database } = app;
    await app.stop({ keepDatabase: true });
    await boot(database);
  });

  it('does not seed again: same document, the edit kept', async () => {
    const rows = await homePageRows();
    expect([...new Set(rows.map((row) => row.documentId))]).toEqual([documentId]);
    const published = await app.strapi
      .documents(HOME_PAGE_UID)
      .findFirst({ status: 'published', populate: ['seo'] });
    expect((published as unknown as { seo: { title: string } }).seo.title).toBe(EDITED_TITLE);
  });

  it("keeps the operator's revoke: the Public role is not granted find again", async () => {
    expect(await publicRoleActions('api::home-page.')).toEqual([]);
    await rest.get('/api/home-page').expect(403);
  });
});
