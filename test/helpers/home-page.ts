/**
 * The host app's home page as the versioned-type tests use it: Strapi's own REST
 * client (not checked against docs/openapi.json, which describes the plugin's
 * routes only), an API token, the Public role's read, and direct reads of the
 * type's chain tables.
 */
import supertest from 'supertest';
import type { TestApp } from './strapi';

export const HOME_PAGE_UID = 'api::home-page.home-page';
export const HOME_TABLES = {
  live: 'home_pages',
  history: 'home_pages_history',
  head: 'home_pages_chain_head',
  checkpoints: 'home_pages_history_checkpoints',
};

export const restOf = (app: TestApp) => supertest(app.strapi.server.httpServer);

/** A full-access API token (as a script or a CI job would hold). */
export const createApiToken = async (
  app: TestApp,
  type = 'full-access',
  permissions?: string[]
) => {
  const token = (await app.strapi.service('admin::api-token').create({
    name: `test-${type}-${Math.random().toString(36).slice(2)}`,
    type,
    lifespan: null,
    ...(permissions ? { permissions } : {}),
  })) as { accessKey: string; id: number; name: string };
  return { ...token, headers: { Authorization: `Bearer ${token.accessKey}` } };
};

/** Grants (or revokes) the Public role an action, e.g. `api::home-page.home-page.find`. */
export const setPublicAction = async (app: TestApp, action: string, granted: boolean) => {
  const role = await app.strapi.db
    .query('plugin::users-permissions.role')
    .findOne({ where: { type: 'public' } });
  const permissions = app.strapi.db.query('plugin::users-permissions.permission');
  const existing = await permissions.findOne({ where: { action, role: role.id } });
  if (granted && !existing) await permissions.create({ data: { action, role: role.id } });
  if (!granted && existing) await permissions.delete({ where: { id: existing.id } });
};

/** The home page's content, as the Document Service and the history hold it. */
export interface HomeContent {
  seo: { title: string; description?: string | null } | null;
  features: Array<{ title: string; text?: string | null; icon?: string | null }>;
  closingCta: { heading: string; label: string; url: string } | null;
}
export type HomeDocument = HomeContent & { documentId: string; version: number };

export const homeDocuments = (app: TestApp) =>
  app.strapi.documents(HOME_PAGE_UID as never) as unknown as {
    findFirst(params?: Record<string, unknown>): Promise<HomeDocument | null>;
    create(params: Record<string, unknown>): Promise<HomeDocument>;
    update(params: Record<string, unknown>): Promise<HomeDocument>;
    publish(params: Record<string, unknown>): Promise<unknown>;
    unpublish(params: Record<string, unknown>): Promise<unknown>;
    delete(params: Record<string, unknown>): Promise<unknown>;
    discardDraft(params: Record<string, unknown>): Promise<unknown>;
  };

export const SAMPLE_HOME = {
  seo: { title: 'Launch', description: 'The launch page' },
  features: [
    { title: 'Fast', text: 'Served from memory', icon: 'bolt' },
    { title: 'Signed', text: 'Every version signed', icon: 'shield' },
  ],
  closingCta: { heading: 'Ready?', label: 'Start', url: '/start' },
};

/** The home page, created and published once if the app did not seed it. */
export const ensureHomePage = async (app: TestApp) => {
  const existing = await homeDocuments(app).findFirst({ status: 'published' });
  if (existing) return existing;
  return homeDocuments(app).create({ data: SAMPLE_HOME, status: 'published' });
};

const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

/** The home page's history rows, oldest first, JSON columns parsed (MySQL hands them back parsed). */
export const homeHistory = async (app: TestApp) =>
  (
    (await app.strapi.db.connection(HOME_TABLES.history).orderBy('version', 'asc')) as Array<
      Record<string, unknown>
    >
  ).map((row) => ({
    ...row,
    version: Number(row.version),
    data: json(row.data) as HomeContent,
    author: json(row.author) as { kind: string; id?: number; name?: string },
    changed_fields: json(row.changed_fields) as string[],
  }));

/** The home page's public copy, as the plugin's delivery service keeps it. */
export const homeDelivery = (app: TestApp) => {
  const plugin = app.strapi.plugin('platform-settings');
  const delivery = plugin.service('typeDelivery') as unknown as {
    refresh(type: unknown): Promise<unknown>;
    clear(): void;
  };
  const type = () =>
    (plugin.service('versionedTypes') as unknown as { byUid(uid: string): unknown }).byUid(
      HOME_PAGE_UID
    );
  return {
    /** Loads the copy again now (what the next version or the periodic renewal does). */
    refresh: () => delivery.refresh(type()),
    /** Forgets every copy. */
    clear: () => delivery.clear(),
  };
};
