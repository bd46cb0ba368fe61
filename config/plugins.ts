// `enabled: true` is required next to `resolve`, or Strapi silently ignores the entry.
type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
};

export default ({ env }: { env: Env }) => ({
  'platform-settings': {
    enabled: true,
    resolve: './cms',
    config: {
      versionCheckIntervalMs: env.int('SETTINGS_VERSION_CHECK_MS', 5000),
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', 'dev-users-permissions-jwt-secret'),
    },
  },
});
