import type { Core } from '@strapi/strapi';
import { lockVersionField } from './content-manager-view';
import { registerPermissions } from './permissions';
import { bootstrapOperations } from './operations';
import { founderKeyProblem } from './services/founder-key';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const problem = founderKeyProblem(process.env.FOUNDER_KEY);
  if (problem) {
    strapi.log.warn(
      `platform-settings: ${problem}; founder-key routes will answer 401/403 until it is set`
    );
  }

  // Every committed version replaces the in-memory GET representation at once.
  getService('versioning').onCommitted((change) => {
    getService('cache').fromSettings(getService('settings').toSettings(change.row));
  });
  // Operations (issue 6): GET /metrics, a log line and a CDN purge per committed version.
  bootstrapOperations(strapi);

  await getService('settings').ensureExists();
  // Warm the in-memory copy, then follow changes made by other instances.
  await getService('cache').get();
  await getService('invalidation').start();

  // Admin: the history page's RBAC actions, and a read-only `version` in the Content Manager.
  await registerPermissions(strapi);
  await lockVersionField(strapi);
};
