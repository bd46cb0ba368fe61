// `enabled: true` is required next to `resolve`, or Strapi silently ignores the entry.
// Every number below is range-checked at start (src/startup/numeric-settings.ts).
import { DEVELOPMENT_SECRETS } from '../src/startup/development-secrets';

type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
};

export default ({ env }: { env: Env }) => ({
  'platform-settings': {
    enabled: true,
    resolve: './cms',
    config: {
      // The app's own single types that are versioned like the settings (one line each).
      versioned: {
        'api::home-page.home-page': { cacheSeconds: env.int('HOME_PAGE_CACHE_SECONDS', 30) },
      },
      versionCheckIntervalMs: env.int('SETTINGS_VERSION_CHECK_MS', 5000),
      // Graceful shutdown: readiness 503 for this long first, then in-flight requests finish.
      shutdownDelayMs: env.int('SHUTDOWN_DELAY_MS', 0),
      shutdownTimeoutMs: env.int('SHUTDOWN_TIMEOUT_MS', 10000),
      // How often each instance looks for scheduled changes that are due.
      scheduleCheckMs: env.int('SCHEDULE_CHECK_MS', 5000),
      // Lifetime of a preview token; the admin renews it while the preview stays open.
      previewTokenTtlMs: env.int('PREVIEW_TOKEN_TTL_MS', 300000),
      // Live settings (server-sent events): streams per instance and per client address.
      events: {
        maxStreams: env.int('EVENTS_MAX_STREAMS', 10000),
        maxStreamsPerClient: env.int('EVENTS_MAX_STREAMS_PER_CLIENT', 32),
        heartbeatMs: env.int('EVENTS_HEARTBEAT_MS', 15000),
        retryMs: 3000,
        maxPendingBytes: 65536,
      },
    },
  },
  // The colour fields' picker in the Content Manager (without it: validated text fields).
  'color-picker': { enabled: true },
  'users-permissions': {
    config: {
      jwtSecret: env('JWT_SECRET', DEVELOPMENT_SECRETS.JWT_SECRET),
    },
  },
});
