import type { Core } from '@strapi/strapi';
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

  await getService('settings').ensureExists();
};
