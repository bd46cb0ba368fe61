/**
 * Production operations, wired into the plugin's lifecycle: request metrics and
 * logs, `GET /metrics`, a log line and a CDN purge per committed version (a
 * purge of each versioned type's own URL too), and optional error tracking.
 * Each lifecycle file calls one function from here.
 */
import type { Core } from '@strapi/strapi';
import { serveMetrics } from './controllers/ops';
import { noteCommittedVersion, observeRequests } from './middlewares/observe-requests';
import { requestId, requestIdOf } from './middlewares/request-id';
import { getService } from './utils/get-service';
import { jsonLogsEnabled } from './utils/log-format';

/** Before Strapi's own middlewares are added, so these wrap the whole stack. */
export const registerOperations = async (strapi: Core.Strapi) => {
  await getService('errorTracking').start();
  strapi.server.use(requestId());
  // Strapi's `strapi::logger` prints requests in development; JSON lines replace it in production.
  strapi.server.use(observeRequests({ logRequests: jsonLogsEnabled() }));
};

export const bootstrapOperations = (strapi: Core.Strapi) => {
  // At the root, where Prometheus looks by default, not under the content API's /api.
  // Production refuses to start without METRICS_TOKEN (register.ts), so it is never public there.
  strapi.server.routes([
    { method: 'GET', path: '/metrics', handler: serveMetrics, config: { auth: false } },
  ]);

  const cdnPurge = getService('cdnPurge');
  const purgeTarget = cdnPurge.target();
  if (purgeTarget) {
    strapi.log.info(
      `platform-settings: each new version purges ${purgeTarget.settingsUrl} at ${new URL(purgeTarget.endpoint).host}`
    );
    for (const type of getService('versionedTypes').list()) {
      strapi.log.info(
        `platform-settings: each new version of ${type.uid} purges ${cdnPurge.urlOf(type)} at ${new URL(purgeTarget.endpoint).host}`
      );
    }
  }

  getService('versioning').onCommitted((change) => {
    if (!change.type.isSettings) {
      // The other versioned types' public URLs (the home page's).
      cdnPurge.purge(change.version, change.type);
      return;
    }
    noteCommittedVersion(strapi, change.version);
    const ctx = strapi.requestContext.get();
    // Who changed what, never with what credentials.
    strapi.log.info(
      `platform-settings: version ${change.version} (${change.changeType} by ${change.author.kind})`,
      {
        event: 'settings.changed',
        version: change.version,
        changeType: change.changeType,
        authorKind: change.author.kind,
        changedFields: change.changedFields,
        // The chain's new head: the log store is an independent witness of it (see history:verify).
        headMac: change.headMac,
        requestId: ctx ? requestIdOf(ctx) : undefined,
      }
    );
    cdnPurge.purge(change.version);
  });
};

export const destroyOperations = async () => {
  await getService('cdnPurge').stop();
  await getService('errorTracking').stop();
  // Last, so the lines of everything above are written out.
  getService('requestLog').stop();
};
