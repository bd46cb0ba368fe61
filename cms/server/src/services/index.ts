import { createCacheService } from './cache';
import { createChainService } from './chain';
import { createFounderKeyService } from './founder-key';
import { createHistoryService } from './history';
import { createInvalidationService } from './invalidation';
import { createRollbackService } from './rollback';
import { createSettingsService } from './settings';
import { createVersioningService } from './versioning';
// Operations (issue 6): metrics, readiness, CDN purge, error tracking.
import { createCdnPurgeService } from './cdn-purge';
import { createErrorTrackingService } from './error-tracking';
import { createMetricsService } from './metrics';
import { createReadinessService } from './readiness';
import { createRequestLogService } from './request-log';
import { createShutdownService } from './shutdown';

export const services = {
  cache: createCacheService,
  chain: createChainService,
  founderKey: createFounderKeyService,
  history: createHistoryService,
  invalidation: createInvalidationService,
  rollback: createRollbackService,
  settings: createSettingsService,
  versioning: createVersioningService,
  // Operations (issue 6).
  cdnPurge: createCdnPurgeService,
  errorTracking: createErrorTrackingService,
  metrics: createMetricsService,
  readiness: createReadinessService,
  requestLog: createRequestLogService,
  shutdown: createShutdownService,
};

export type Services = typeof services;

export default services;
