// Admin panel. The development defaults below are not secret; production sets real ones.
import { previewConfig } from 'platform-settings/preview';

type Env = {
  (key: string, fallback?: string): string;
  bool(key: string, fallback?: boolean): boolean;
};

export default ({ env }: { env: Env }) => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET', 'dev-admin-jwt-secret'),
  },
  apiToken: {
    salt: env('API_TOKEN_SALT', 'dev-api-token-salt'),
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT', 'dev-transfer-token-salt'),
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY', 'dev-encryption-key'),
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
