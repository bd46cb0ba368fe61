/**
 * Optional error tracking with Sentry, off unless `SENTRY_DSN` is set. Only then
 * is `@sentry/node` loaded, so an unset DSN costs nothing and sends nothing.
 *
 * What is reported: every Error that Strapi logs at `error` level — which is how
 * `strapi::errors` handles an unexpected error in a request before answering 500 —
 * plus uncaught exceptions and unhandled rejections (Sentry's own integrations).
 * Expected errors (4xx) are answered, not logged, so they are not reported.
 */
import type { Core } from '@strapi/strapi';

type Sentry = typeof import('@sentry/node');
type LogFormat = Core.Strapi['log']['format'];

/**
 * Wraps the logger's format: the format is the one step that still sees the Error
 * object itself (`strapi.log.error(error)`); the transports only get text.
 */
const reportingErrors = (sentry: Sentry, next: LogFormat): LogFormat => ({
  options: next.options,
  transform(info, options) {
    if (info instanceof Error && info.level === 'error') sentry.captureException(info);
    return next.transform(info, options);
  },
});

export const createErrorTrackingService = ({ strapi }: { strapi: Core.Strapi }) => {
  let sentry: Sentry | null = null;
  let originalFormat: LogFormat | null = null;

  return {
    enabled: () => sentry !== null,

    async start() {
      const dsn = process.env.SENTRY_DSN?.trim();
      if (!dsn || sentry) return;
      const sdk: Sentry = await import('@sentry/node');
      sdk.init({
        dsn,
        environment: process.env.SENTRY_ENVIRONMENT || process.env.NODE_ENV || 'development',
        release: process.env.SENTRY_RELEASE || undefined,
        // Errors only. None of the tracing, console, HTTP or child-process hooks: they patch
        // process-wide modules, and would collect requests whose headers carry the founder key.
        tracesSampleRate: 0,
        defaultIntegrations: [
          sdk.eventFiltersIntegration(),
          sdk.functionToStringIntegration(),
          sdk.linkedErrorsIntegration(),
          sdk.dedupeIntegration(),
          sdk.onUncaughtExceptionIntegration(),
          sdk.onUnhandledRejectionIntegration(),
          sdk.contextLinesIntegration(),
          sdk.nodeContextIntegration(),
        ],
        dataCollection: {
          userInfo: false,
          cookies: false,
          httpHeaders: false,
          httpBodies: [],
          urlQueryParams: false,
        },
        beforeSend(event) {
          if (event.request) {
            event.request = { method: event.request.method, url: event.request.url };
          }
          return event;
        },
      });
      sentry = sdk;
      originalFormat = strapi.log.format;
      strapi.log.format = reportingErrors(sdk, originalFormat);
      strapi.log.info('platform-settings: error tracking is on (SENTRY_DSN is set)');
    },

    /** Sends what is queued (up to 2 s), then detaches. */
    async stop() {
      if (!sentry) return;
      if (originalFormat) strapi.log.format = originalFormat;
      await sentry.close(2000);
      sentry = null;
      originalFormat = null;
    },
  };
};

export type ErrorTrackingService = ReturnType<typeof createErrorTrackingService>;
