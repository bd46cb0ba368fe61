import type { Core } from '@strapi/strapi';
import { registerOperations } from './operations';
import { founderKeyProblem } from './services/founder-key';
import { signingKeyProblem } from './services/chain';
import { createFastSettingsGet } from './middlewares/fast-settings-get';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Refuse to start a production server that nobody could write to, whose key is
  // guessable, or whose history nobody could prove.
  if (process.env.NODE_ENV === 'production') {
    for (const problem of [founderKeyProblem(process.env.FOUNDER_KEY), signingKeyProblem()]) {
      if (problem) {
        throw new Error(`platform-settings: ${problem}; generate one with: openssl rand -hex 32`);
      }
    }
  }

  // Operations (issue 6): request ids, metrics and logs, error tracking. First, so that
  // they also see the requests the fast GET below answers.
  await registerOperations(strapi);

  // The fast GET answers straight off the HTTP server; its learner is registered
  // before Strapi's own middlewares, so it sees the headers they all add.
  const fastGet = createFastSettingsGet();
  strapi.server.use(fastGet.learn);
  fastGet.attach(strapi.server.httpServer);
};
