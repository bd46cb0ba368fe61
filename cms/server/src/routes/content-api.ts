/**
 * The public REST API, under /api. Reads of the live settings are public;
 * everything else needs the founder key.
 */
const databaseUnavailable = 'plugin::platform-settings.database-unavailable';
const founderKey = {
  auth: false as const,
  policies: ['plugin::platform-settings.founder-key'],
  middlewares: [databaseUnavailable],
};
// Read-only routes a preview may use: a preview token for exactly that scope, or the founder key.
const founderKeyOrPreview = {
  auth: false as const,
  policies: ['plugin::platform-settings.founder-key-or-preview'],
  middlewares: [databaseUnavailable],
};

export default {
  type: 'content-api',
  prefix: '',
  routes: [
    {
      method: 'GET',
      path: '/platform-settings',
      handler: 'settings.find',
      config: { auth: false, middlewares: [databaseUnavailable] },
    },
    { method: 'PUT', path: '/platform-settings', handler: 'settings.update', config: founderKey },
    {
      method: 'GET',
      path: '/platform-settings/events',
      handler: 'events.stream',
      config: { auth: false },
    },
    {
      method: 'GET',
      path: '/platform-settings/draft',
      handler: 'drafts.get',
      config: founderKeyOrPreview,
    },
    {
      method: 'POST',
      path: '/platform-settings/publish',
      handler: 'drafts.publish',
      config: founderKey,
    },
    {
      method: 'GET',
      path: '/platform-settings/preview/versions/:version',
      handler: 'drafts.previewVersion',
      config: founderKeyOrPreview,
    },
    {
      method: 'GET',
      path: '/platform-settings/history/versions',
      handler: 'history.list',
      config: founderKey,
    },
    {
      method: 'GET',
      path: '/platform-settings/history/verify',
      handler: 'history.verify',
      config: founderKey,
    },
    {
      method: 'GET',
      path: '/platform-settings/history/versions/:version',
      handler: 'history.get',
      config: founderKey,
    },
    {
      method: 'POST',
      path: '/platform-settings/rollback/:version',
      handler: 'rollback.rollback',
      config: founderKey,
    },
  ],
};
