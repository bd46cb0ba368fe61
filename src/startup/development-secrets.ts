/**
 * Strapi's secrets, and the public values a fresh clone starts with outside
 * production. They are in the source, so in production a value equal to one of
 * them counts as not set (see check-environment.ts).
 */
export const DEVELOPMENT_SECRETS = {
  APP_KEYS: ['dev-app-key-1', 'dev-app-key-2'],
  ADMIN_JWT_SECRET: 'dev-admin-jwt-secret',
  API_TOKEN_SALT: 'dev-api-token-salt',
  TRANSFER_TOKEN_SALT: 'dev-transfer-token-salt',
  ENCRYPTION_KEY: 'dev-encryption-key',
  JWT_SECRET: 'dev-users-permissions-jwt-secret',
};

export type StrapiSecretName = keyof typeof DEVELOPMENT_SECRETS;

export const STRAPI_SECRET_NAMES = Object.keys(DEVELOPMENT_SECRETS) as StrapiSecretName[];
