import type { Core } from '@strapi/strapi';
import { registerOperations } from './operations';
import { founderKeyProblem } from './services/founder-key';
import { signingKeyProblem } from './services/chain';
import { createFastSettingsGet } from './middlewares/fast-settings-get';
import { createBodyLimit } from './middlewares/body-limit';
import {
  SETTINGS_FIELD_NAMES,
  SETTINGS_FIELDS,
  type FieldDefinition,
} from '../../shared/settings-fields';
import { SETTINGS_UID } from './utils/constants';

/**
 * The colours use Strapi's colour picker when the host app has it
 * (`@strapi/plugin-color-picker`), and stay validated text fields otherwise: a
 * custom field Strapi does not know would stop it from starting.
 */
const useColorPicker = (strapi: Core.Strapi) => {
  if (!strapi.plugin('color-picker')) return;
  const { attributes } = strapi.contentType(SETTINGS_UID) as unknown as {
    attributes: Record<string, Record<string, unknown>>;
  };
  for (const name of SETTINGS_FIELD_NAMES) {
    const field = SETTINGS_FIELDS[name] as FieldDefinition;
    if ('color' in field && field.color) {
      // Strapi turns it into a string column after every plugin registered (the regex still holds).
      attributes[name] = {
        ...attributes[name],
        type: 'customField',
        customField: 'plugin::color-picker.color',
      };
    }
  }
};

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

  useColorPicker(strapi);

  // Operations (issue 6): request ids, metrics and logs, error tracking. First, so that
  // they also see the requests the fast GET below answers.
  await registerOperations(strapi);

  // The fast GET answers straight off the HTTP server; its learner is registered
  // before Strapi's own middlewares, so it sees the headers they all add.
  const fastGet = createFastSettingsGet();
  strapi.server.use(fastGet.learn);
  strapi.server.use(createBodyLimit(strapi)); // before strapi::body parses or stores anything
  fastGet.attach(strapi.server.httpServer);
};
