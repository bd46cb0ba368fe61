/**
 * Lets the Public role (visitors without a token) `find` the home page, so the site can read
 * `GET /api/home-page`. Granted once, on the first start that can: a marker in Strapi's core
 * store remembers it, so an operator who revokes it in the admin (Settings → Users & Permissions
 * plugin → Roles → Public → Home-page) is not overruled on the next start.
 */
import type { Core } from '@strapi/strapi';

export const HOME_PAGE_FIND_ACTION = 'api::home-page.home-page.find';
const ROLE_UID = 'plugin::users-permissions.role';
const PERMISSION_UID = 'plugin::users-permissions.permission';
const MARKER = { type: 'app', name: 'home-page', key: 'public-find-granted' } as const;

export type PublicReadOutcome = 'granted' | 'already-set' | 'no-public-role';

export const grantPublicReadOnce = async (strapi: Core.Strapi): Promise<PublicReadOutcome> => {
  if ((await strapi.store.get(MARKER)) === true) return 'already-set';
  if (!strapi.plugin('users-permissions')) return 'no-public-role';
  const publicRole = (await strapi.db.query(ROLE_UID).findOne({ where: { type: 'public' } })) as {
    id: number;
  } | null;
  if (!publicRole) return 'no-public-role';
  const existing = await strapi.db
    .query(PERMISSION_UID)
    .findOne({ where: { action: HOME_PAGE_FIND_ACTION, role: publicRole.id } });
  if (!existing) {
    await strapi.db
      .query(PERMISSION_UID)
      .create({ data: { action: HOME_PAGE_FIND_ACTION, role: publicRole.id } });
  }
  await strapi.store.set({ ...MARKER, value: true });
  return existing ? 'already-set' : 'granted';
};
