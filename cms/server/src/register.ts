import type { Core } from '@strapi/strapi';
import { registerOperations } from './operations';
import { pluginKeyProblems, SECRET_ADVICE } from './utils/secret-format';
import { createFastSettingsGet } from './middlewares/fast-settings-get';
import { createBodyLimit } from './middlewares/body-limit';
import {
  SETTINGS_FIELD_NAMES,
  SETTINGS_FIELDS,
  type FieldDefinition,
} from '../../shared/settings-fields';
import { SETTINGS_UID } from './utils/constants';
import { registerVersionedTypes } from './versioned/register';
import { SETTINGS_TYPE } from './versioned/types';
import { founderKeyStrategy } from './auth/founder-key-strategy';
import { previewTokenStrategy } from './auth/preview-token-strategy';

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
  // guessable, whose history nobody could prove, or whose metrics anyone could read.
  const problems = pluginKeyProblems(process.env);
  if (problems.length > 0) {
    throw new Error(
      `platform-settings: refusing to start: ${problems.join('; ')}. To make a key, ${SECRET_ADVICE}`
    );
  }

  useColorPicker(strapi);
  // The settings routes' auth: the founder key, and preview tokens on the read-only ones.
  strapi
    .get('auth')
    .register('content-api', founderKeyStrategy(strapi))
    .register('content-api', previewTokenStrategy(SETTINGS_TYPE));
  // The host app's versioned single types: checked, then given a version and a chain.
  registerVersionedTypes(strapi);

  // Request ids, metrics and logs, error tracking. First, so that
  // they also see the requests the fast GET below answers.
  await registerOperations(strapi);

  // The fast GET answers straight off the HTTP server; its learner is registered
  // before Strapi's own middlewares, so it sees the headers they all add.
  const fastGet = createFastSettingsGet();
  strapi.server.use(fastGet.learn);
  strapi.server.use(createBodyLimit(strapi)); // before strapi::body parses or stores anything
  fastGet.attach(strapi.server.httpServer);
};
