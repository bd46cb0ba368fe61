import { createCacheService } from './cache';
import { createFounderKeyService } from './founder-key';
import { createHistoryService } from './history';
import { createRollbackService } from './rollback';
import { createSettingsService } from './settings';
import { createVersioningService } from './versioning';

export const services = {
  cache: createCacheService,
  founderKey: createFounderKeyService,
  history: createHistoryService,
  rollback: createRollbackService,
  settings: createSettingsService,
  versioning: createVersioningService,
};

export type Services = typeof services;

export default services;
