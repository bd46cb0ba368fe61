/**
 * The admin API, under /platform-settings: admin JWT (`type: 'admin'`) and the
 * plugin's RBAC actions on every route. Reading the history needs
 * `history.read`; rolling back (dry runs included) and pinning need `history.rollback`.
 * Each versioned type's history is under `/types/<key>` (type-admin.ts): the
 * settings' here, the host app's types' added at register (versioned/register.ts).
 */
import { HISTORY_READ, HISTORY_ROLLBACK, SCHEDULE } from '../permissions';
import { SETTINGS_TYPE } from '../versioned/types';
import { typeAdminRoutes } from './type-admin';

const allowed = (...actions: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions } }],
});

const read = allowed(HISTORY_READ);
const rollback = allowed(HISTORY_ROLLBACK);
const schedule = allowed(SCHEDULE);

export default {
  type: 'admin',
  routes: [
    { method: 'GET', path: '/live', handler: 'admin-settings.live', config: read },
    { method: 'GET', path: '/history', handler: 'history.list', config: read },
    // Before `/history/:version`, which would otherwise claim "compare".
    { method: 'GET', path: '/history/compare', handler: 'admin-history.compare', config: read },
    { method: 'GET', path: '/history/:version', handler: 'history.get', config: read },
    {
      method: 'POST',
      path: '/history/:version/pin',
      handler: 'admin-history.pin',
      config: rollback,
    },
    {
      method: 'DELETE',
      path: '/history/:version/pin',
      handler: 'admin-history.unpin',
      config: rollback,
    },
    { method: 'POST', path: '/rollback/:version', handler: 'rollback.rollback', config: rollback },
    // A short-lived token for the site to show the draft or one version (see services/preview-tokens.ts).
    { method: 'POST', path: '/preview-token', handler: 'admin-preview.mint', config: read },
    { method: 'GET', path: '/preview-site', handler: 'admin-preview.site', config: read },
    // Schedules, pins or versions changed (server-sent events; see services/admin-events.ts).
    // For an admin who may read any type's history: the controller checks which.
    {
      method: 'GET',
      path: '/events',
      handler: 'admin-events.stream',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    { method: 'GET', path: '/schedules', handler: 'admin-schedules.list', config: read },
    { method: 'POST', path: '/schedules', handler: 'admin-schedules.create', config: schedule },
    {
      method: 'DELETE',
      path: '/schedules/:id',
      handler: 'admin-schedules.cancel',
      config: schedule,
    },
    // The types whose history the admin may read (filtered by the controller, per type).
    {
      method: 'GET',
      path: '/types',
      handler: 'admin-types.list',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
    ...typeAdminRoutes(SETTINGS_TYPE),
  ],
};
