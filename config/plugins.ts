// `enabled: true` is required next to `resolve`, or Strapi silently ignores the entry.
type Env = { (key: string, fallback?: string): string };

export default ({ env }: { env: Env }) => ({
  'platform-settings': {
    enabled: true,
    resolve: './cms',
    config: {
      corsOrigins: env('CORS_ORIGINS', 'http://localhost:5173,http://localhost:4173'),
    },
  },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', 'dev-users-permissions-jwt-secret'),
    },
  },
});
