/**
 * The admin API of one versioned type, under `/platform-settings/types/<key>`:
 * its history, a diff between two versions, verify, pins, rollback and
 * scheduled changes (`/schedules`, guarded by the type's `schedule` action), and a
 * preview token for the site. Every
 * route names the type's own RBAC actions (permissions.ts), so Strapi's
 * `admin::hasPermissions` keeps each type's history to the roles granted it;
 * a key no type has answers 404 (`unknownTypeRoutes`, tried after every type's).
 *
 * The settings type is served here too (key `settings`), by the same handlers
 * as its historic routes (`/platform-settings/history…`), so the admin page
 * speaks to every type the same way. Other types reuse their content-API
 * controllers (type-routes.ts; the author is the signed-in admin) and add the
 * admin-only diff and pins (admin-history.ts).
 */
import { historyActionsOf } from '../permissions';
import type { VersionedType } from '../versioned/types';

export interface AdminRoute {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  handler: string;
  config: { policies: unknown[] };
}

const allowed = (action: string) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    { name: 'admin::hasPermissions', config: { actions: [action] } },
  ],
});

/** The controller that mints a type's preview tokens (controllers/admin-preview.ts). */
export const typePreviewTokenControllerName = (type: VersionedType) => `${type.key}-admin-preview`;

/** The controller of a type's admin-only actions (compare, pin, unpin). */
export const typeAdminControllerName = (type: VersionedType) => `${type.key}-admin`;

/** The controller of a type's scheduled changes (list, create, cancel). */
export const typeSchedulesControllerName = (type: VersionedType) => `${type.key}-schedules`;

const handlersOf = (type: VersionedType) => {
  if (type.isSettings) {
    return {
      list: 'history.list',
      get: 'history.get',
      verify: 'history.verify',
      compare: 'admin-history.compare',
      pin: 'admin-history.pin',
      unpin: 'admin-history.unpin',
      rollback: 'rollback.rollback',
      schedules: 'admin-schedules',
      previewToken: 'admin-preview.mint',
    };
  }
  const admin = typeAdminControllerName(type);
  return {
    list: `${type.key}-history.find`,
    get: `${type.key}-history.findOne`,
    verify: `${type.key}-verify.find`,
    compare: `${admin}.compare`,
    pin: `${admin}.pin`,
    unpin: `${admin}.unpin`,
    rollback: `${type.key}-rollback.create`,
    schedules: typeSchedulesControllerName(type),
    previewToken: `${typePreviewTokenControllerName(type)}.mint`,
  };
};

export const typeAdminRoutes = (type: VersionedType): AdminRoute[] => {
  const base = `/types/${type.key}`;
  const handlers = handlersOf(type);
  const actions = historyActionsOf(type);
  const read = allowed(actions.read);
  const rollback = allowed(actions.rollback);
  const schedule = allowed(actions.schedule);
  return [
    { method: 'GET', path: `${base}/history`, handler: handlers.list, config: read },
    // Before `/history/:version`, which would otherwise claim "compare" and "verify".
    { method: 'GET', path: `${base}/history/compare`, handler: handlers.compare, config: read },
    { method: 'GET', path: `${base}/history/verify`, handler: handlers.verify, config: read },
    { method: 'GET', path: `${base}/history/:version`, handler: handlers.get, config: read },
    {
      method: 'POST',
      path: `${base}/history/:version/pin`,
      handler: handlers.pin,
      config: rollback,
    },
    {
      method: 'DELETE',
      path: `${base}/history/:version/pin`,
      handler: handlers.unpin,
      config: rollback,
    },
    {
      method: 'POST',
      path: `${base}/rollback/:version`,
      handler: handlers.rollback,
      config: rollback,
    },
    {
      method: 'GET',
      path: `${base}/schedules`,
      handler: `${handlers.schedules}.list`,
      config: read,
    },
    {
      method: 'POST',
      path: `${base}/schedules`,
      handler: `${handlers.schedules}.create`,
      config: schedule,
    },
    {
      method: 'DELETE',
      path: `${base}/schedules/:id`,
      handler: `${handlers.schedules}.cancel`,
      config: schedule,
    },
    // A short-lived token for the site to show this type's draft or one version.
    {
      method: 'POST',
      path: `${base}/preview-token`,
      handler: handlers.previewToken,
      config: read,
    },
  ];
};

/**
 * Any other path under `/types/<key>/`: 404 for every method (without these, a POST or
 * DELETE nothing answers is a 405 from Strapi's static files). Added after every type's
 * routes, which the router tries first.
 */
export const unknownTypeRoutes = (): AdminRoute[] =>
  (['GET', 'POST', 'DELETE'] as const).map((method) => ({
    method,
    path: '/types/:key/(.*)',
    handler: 'admin-types.unknown',
    config: { policies: ['admin::isAuthenticatedAdmin'] },
  }));
