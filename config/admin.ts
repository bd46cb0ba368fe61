// Admin panel. The development defaults are public; production must set real secrets
// (the app refuses to start otherwise: src/startup/check-environment.ts).
import { previewConfig } from 'strapi-plugin-platform-settings/preview';
import { DEVELOPMENT_SECRETS } from '../src/startup/development-secrets';

type Env = {
  (key: string, fallback?: string): string;
  bool(key: string, fallback?: boolean): boolean;
};

export default ({ env }: { env: Env }) => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET', DEVELOPMENT_SECRETS.ADMIN_JWT_SECRET),
  },
  apiToken: {
    salt: env('API_TOKEN_SALT', DEVELOPMENT_SECRETS.API_TOKEN_SALT),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT', DEVELOPMENT_SECRETS.TRANSFER_TOKEN_SALT),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY', DEVELOPMENT_SECRETS.ENCRYPTION_KEY),
  },
  flags: {
    nps: false,
    promoteEE: false,
  },
  // The Content Manager's Preview: the site, showing the draft with a short-lived token.
  preview: previewConfig({ siteUrl: env('PREVIEW_SITE_URL', 'http://localhost:5173') }),
  autoOpen: false,
  watchIgnoreFiles: ['**/cms/**', '**/web/**', '**/test/**', '**/test-artifacts/**'],
});
