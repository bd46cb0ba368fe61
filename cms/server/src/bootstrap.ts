import type { Core } from '@strapi/strapi';
import { applyFormLayout } from './content-manager-view';
import { createDocumentsMiddleware } from './middlewares/documents';
import { registerPermissions } from './permissions';
import { bootstrapOperations } from './operations';
import { founderKeyProblem } from './services/founder-key';
import { getService } from './utils/get-service';
import { prepareVersionedTypes } from './versioned/bootstrap';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const problem = founderKeyProblem(process.env.FOUNDER_KEY);
  if (problem) {
    strapi.log.warn(
      `platform-settings: ${problem}; founder-key routes will answer 401/403 until it is set`
    );
  }

  // Every write to the settings, whichever way it comes, becomes a version.
  strapi.documents.use(createDocumentsMiddleware(strapi));

  // Every committed version replaces the in-memory GET representation at once.
  getService('versioning').onCommitted((change) => {
    if (!change.type.isSettings) return;
    getService('cache').fromSettings(getService('settings').toSettings(change.live));
  });
  // Operations: GET /metrics, a log line and a CDN purge per committed version.
  bootstrapOperations(strapi);

  // The signing key and the chain head (first start after an upgrade: the old chain is signed).
  await getService('chain').prepare();
  await getService('settings').ensureExists();
  // The host app's versioned types: each chain's head, and a first version for content
  // that existed before versioning was switched on.
  await prepareVersionedTypes(strapi);
  // Warm the in-memory copy, then follow changes made by other instances.
  await getService('cache').get();
  await getService('invalidation').start();
  // Live settings for open browsers (server-sent events).
  getService('events').start();
  // Schedules and pins changed, for the admin's open pages (authenticated, never public).
  getService('adminEvents').start();
  // Scheduled changes: every instance looks for due ones; each runs exactly once.
  getService('schedules').start();

  // Admin: the history page's RBAC actions, and the founder's form in the Content Manager.
  await registerPermissions(strapi, getService('versionedTypes').list());
  await applyFormLayout(strapi);
};
