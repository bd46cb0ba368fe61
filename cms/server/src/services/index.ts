import { createAdminEventsService } from './admin-events';
import { createCacheService } from './cache';
import { createChainService } from './chain';
import { createClockService } from './clock';
import { createFounderKeyService } from './founder-key';
import { createHistoryService } from './history';
import { createInvalidationService } from './invalidation';
import { createPreviewTokensService } from './preview-tokens';
import { createRollbackService } from './rollback';
import { createSchedulesService } from './schedules';
import { createSettingsService } from './settings';
import { createTypeDeliveryService } from './type-delivery';
import { createTypeRollbackService } from './type-rollback';
import { createVersionedTypesService } from './versioned-types';
import { createVersioningService } from './versioning';
// Operations: metrics, readiness, CDN purge, error tracking, request logs, shutdown.
import { createCdnPurgeService } from './cdn-purge';
import { createEventsService } from './events';
import { createErrorTrackingService } from './error-tracking';
import { createMetricsService } from './metrics';
import { createReadinessService } from './readiness';
import { createRequestLogService } from './request-log';
import { createShutdownService } from './shutdown';

export const services = {
  adminEvents: createAdminEventsService,
  cache: createCacheService,
  chain: createChainService,
  clock: createClockService,
  founderKey: createFounderKeyService,
  history: createHistoryService,
  invalidation: createInvalidationService,
  previewTokens: createPreviewTokensService,
  rollback: createRollbackService,
  schedules: createSchedulesService,
  settings: createSettingsService,
  typeDelivery: createTypeDeliveryService,
  typeRollback: createTypeRollbackService,
  versionedTypes: createVersionedTypesService,
  versioning: createVersioningService,
  // Operations and live events.
  cdnPurge: createCdnPurgeService,
  events: createEventsService,
  errorTracking: createErrorTrackingService,
  metrics: createMetricsService,
  readiness: createReadinessService,
  requestLog: createRequestLogService,
  shutdown: createShutdownService,
};

export type Services = typeof services;

export default services;
