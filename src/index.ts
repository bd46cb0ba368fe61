/**
 * Host-app lifecycle. Its one job: refuse to start when the platform-settings
 * plugin did not load. Strapi silently skips a plugin whose server build is
 * missing, and its schema sync would then drop the plugin's tables — the live
 * settings and the whole version history. `register` runs before that sync.
 */
import type { Core } from '@strapi/strapi';

const REQUIRED_CONTENT_TYPES = [
  'plugin::platform-settings.setting',
  'plugin::platform-settings.history',
];

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    const missing = REQUIRED_CONTENT_TYPES.filter(
      (uid) => !strapi.contentTypes[uid as keyof typeof strapi.contentTypes]
    );
    if (!strapi.plugin('platform-settings') || missing.length > 0) {
      // One line, then out: nothing may reach the schema sync.
      process.stderr.write(
        'Refusing to start: the platform-settings plugin did not load (is cms/dist built? run `npm run build -w cms`), and starting without it would drop the settings and history tables.\n'
      );
      process.exit(1);
    }
  },
  bootstrap() {},
};
