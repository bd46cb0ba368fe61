/**
 * Host-app lifecycle. Refuses to start on a wrong environment (missing or
 * development secrets in production, malformed keys, numbers out of range: see
 * startup/check-environment.ts), and when the platform-settings plugin did not
 * load. Strapi silently skips a plugin whose server build is missing, and its
 * schema sync would then drop the plugin's tables — the live settings and the
 * whole version history. `register` runs before that sync.
 *
 * On bootstrap it seeds the home page's launch copy when there is none, and lets the Public role
 * read it once (see seed/home-page.ts).
 */
import type { Core } from '@strapi/strapi';
import { seedHomePage } from './seed/home-page';
import { refuseToStartOnBadEnvironment } from './startup/check-environment';

// Strapi loads this file first when the app starts (before any plugin's config check
// or `register`, and never for `strapi build`): every wrong environment variable is
// reported here at once, before the database is opened or a port is listened on.
refuseToStartOnBadEnvironment();

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
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await seedHomePage(strapi);
  },
};
