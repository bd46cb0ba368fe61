// Strapi's standard middleware stack. CORS origins come from CORS_ORIGINS
// (comma-separated); the web dev server and `vite preview` are allowed by default.
type Env = {
  (key: string, fallback?: string): string;
  array(key: string, fallback?: string[]): string[];
};

export default ({ env }: { env: Env }) => [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      origin: env.array('CORS_ORIGINS', ['http://localhost:5173', 'http://localhost:4173']),
      headers: [
        'Content-Type',
        'Authorization',
        'If-Match',
        'If-None-Match',
        'Idempotency-Key',
        'X-Founder-Key',
        // Read-only previews of the draft or one version (never the founder key in a browser).
        'X-Preview-Token',
      ],
      expose: ['ETag', 'X-Settings-Version', 'X-Settings-Stale', 'Retry-After', 'X-Request-Id'],
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  'strapi::body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];
