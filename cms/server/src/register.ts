import type { Core } from '@strapi/strapi';
import { founderKeyProblem } from './services/founder-key';
import { getService } from './utils/get-service';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // Refuse to start a production server that nobody could write to, or that a short key exposes.
  const problem = founderKeyProblem(process.env.FOUNDER_KEY);
  if (problem && process.env.NODE_ENV === 'production') {
    throw new Error(`platform-settings: ${problem}; generate one with: openssl rand -hex 32`);
  }

  strapi.documents.use(getService('versioning').middleware);
};
