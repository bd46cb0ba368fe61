import type { Core } from '@strapi/strapi';
import { registerOperations } from './operations';
import { founderKeyProblem } from './services/founder-key';
import { createFastSettingsGet } from './middlewares/fast-settings-get';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Refuse to start a production server that nobody could write to, or that a short key exposes.
  const problem = founderKeyProblem(process.env.FOUNDER_KEY);
  if (problem && process.env.NODE_ENV === 'production') {
    throw new Error(`platform-settings: ${problem}; generate one with: openssl rand -hex 32`);
  }

  strapi.documents.use(getService('versioning').middleware);

  // Operations (issue 6): request ids, metrics and logs, error tracking. First, so that
  // they also see the requests the fast GET below answers.
  await registerOperations(strapi);

  // Registered before Strapi's own middleware stack is built, so it runs ahead of it.
  strapi.server.use(createFastSettingsGet());
};
