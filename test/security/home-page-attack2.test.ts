/**
 * Attacks on the promises of the versioned home page (issue 19), as a visitor,
 * a narrow API token and a database writer without HISTORY_SIGNING_KEY. Each
 * test is named for what must hold.
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

let app: TestApp;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
});
afterAll(() => app?.stop());

interface PluginServices {
  versionedTypes: { byUid(uid: string): unknown };
  typeDelivery: { refresh(type: unknown): Promise<unknown>; clear(): void };
}
const service = <K extends keyof PluginServices>(name: K) =>
  app.strapi.plugin('platform-settings').service(name) as unknown as PluginServices[K];
const homeType = () => service('versionedTypes').byUid(HOME_PAGE_UID);

/** A database writer edits the published SEO title in its component row; returns the undo. */
const editPublishedTitle = async (title: string) => {
  const db = app.strapi.db.connection;
  const published = await db('home_pages').whereNotNull('published_at').first('id');
  const seo = await db('home_pages_cmps')
    .where({ entity_id: published.id, field: 'seo' })
    .first('cmp_id');
  const before = await db('components_home_seos').where({ id: seo.cmp_id }).first('title');
  await db('components_home_seos').where({ id: seo.cmp_id }).update({ title });
  return async () => {
    await db('components_home_seos').where({ id: seo.cmp_id }).update({ title: before.title });
    await service('typeDelivery').refresh(homeType());
  };
};

describe('a visitor never gets what the signed history does not hold', () => {
  it('not through a query string once the edit is known (?populate=*)', async () => {
    await restOf(app).get('/api/home-page').expect(200);
    const undo = await editPublishedTitle('Defaced behind the history');
    try {
      // What the periodic renewal does: the copy is withheld from now on.
      await service('typeDelivery').refresh(homeType());
      const bare = await restOf(app).get('/api/home-page');
      expect(bare.text).not.toContain('Defaced behind the history');
      for (const path of [
        '/api/home-page?populate=*',
        '/api/home-page?populate[seo]=true',
        '/api/home-page?fields[0]=version&populate[seo][fields][0]=title',
      ]) {
        const response = await restOf(app).get(path);
        expect({ path, text: response.text }).toEqual({
          path,
          text: expect.not.stringContaining('Defaced behind the history'),
        });
      }
    } finally {
      await undo();
    }
  });

  it('not on the bare GET from a new Origin before the copy is renewed (publicly cacheable)', async () => {
    const good = await restOf(app).get('/api/home-page').expect(200);
    const undo = await editPublishedTitle('Defaced behind the history');
    try {
      // No renewal yet: an Origin the fast path has not learnt takes the stack.
      const response = await restOf(app)
        .get('/api/home-page')
        .set('Origin', 'https://never-seen-before.example');
      expect(response.text).not.toContain('Defaced behind the history');
      if (response.status === 200) expect(response.text).toBe(good.text);
    } finally {
      await undo();
    }
  });
});

describe('narrow credentials', () => {
  it('a credentialed answer with a query string is never publicly cacheable', async () => {
    const token = await createApiToken(app, 'custom', ['api::home-page.home-page.find']);
    const response = await restOf(app)
      .get('/api/home-page?status=draft&populate=*')
      .set(token.headers)
      .expect(200);
    expect(response.headers['cache-control'] ?? '').toMatch(/private|no-store/);
  });
});

describe('writes that must not move the published home page', () => {
  it('discardDraft makes no version and leaves the published document as it was', async () => {
    const { documentId } = (await ensureHomePage(app))!;
    const before = await homeHistory(app);
    const live = await restOf(app).get('/api/home-page').expect(200);
    await homeDocuments(app).update({
      documentId,
      status: 'draft',
      data: { seo: { title: 'Draft to discard' } },
    });
    let refused = false;
    try {
      await homeDocuments(app).discardDraft({ documentId });
    } catch (error) {
      refused = true;
      expect((error as { name?: string }).name).toMatch(/Conflict|ApplicationError/);
    }
    expect(await homeHistory(app)).toHaveLength(before.length);
    expect((await restOf(app).get('/api/home-page').expect(200)).text).toBe(live.text);
    const verify = await restOf(app)
      .get('/api/home-page/history/verify')
      .set((await createApiToken(app)).headers)
      .expect(200);
    expect({ refused, ok: verify.body.data.ok }).toMatchObject({ ok: true });
  });
});
