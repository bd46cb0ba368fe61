/**
 * Turns a commit's typed result into what a write route answers: the settings
 * as that write left them (not whatever a later writer has made of them since),
 * whether it changed anything, and `Idempotent-Replayed` for a retry.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { createHash } from 'node:crypto';
import type { Settings } from '../../../shared/contracts/settings';
import { canonicalJson } from '../chain/mac';
import type { SettingsCommitResult } from '../services/versioning';
import { toSettings as toSettingsOf, type LiveRow } from '../stores/settings-store';
import { setSettingsHeaders } from './http';

declare const strapi: Core.Strapi;

/** What an Idempotency-Key is bound to: the request's meaning, not its bytes. */
export const requestHashOf = (request: unknown) =>
  createHash('sha256').update(canonicalJson(request)).digest('hex');

export interface WriteOutcome {
  settings: Settings;
  changedFields: string[];
}

export const writeOutcome = (ctx: Context, result: SettingsCommitResult): WriteOutcome => {
  const toSettings = (live: Pick<LiveRow, 'version' | 'updatedAt' | 'data'>) =>
    toSettingsOf(strapi, live);
  let outcome: WriteOutcome;
  switch (result.outcome) {
    case 'committed':
      outcome = {
        settings: toSettings(result.committed.live),
        changedFields: result.committed.changedFields,
      };
      break;
    case 'unchanged':
      outcome = { settings: toSettings(result.live), changedFields: [] };
      break;
    case 'replayed': {
      const { version, createdAt, data, changedFields } = result.entry;
      // Through toSettings, so the fields come in schema order (PostgreSQL's jsonb
      // reorders keys) and the body, and so the ETag, match the first answer's.
      outcome = {
        settings: toSettings({ version, updatedAt: createdAt, data }),
        changedFields: result.changed ? changedFields : [],
      };
      ctx.set('Idempotent-Replayed', 'true');
      break;
    }
  }
  setSettingsHeaders(ctx, outcome.settings);
  return outcome;
};
