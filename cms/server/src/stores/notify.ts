/**
 * The change notification a commit sends inside its transaction: PostgreSQL
 * delivers it to every listening instance if, and only if, the transaction
 * commits (services/invalidation.ts listens). Other databases have no
 * LISTEN/NOTIFY; their instances find changes with the periodic check.
 *
 * The payload: the settings' version as a bare number (as every release has
 * sent it), any other type's as `<key>:<version>`.
 */
import type { Knex } from 'knex';
import { dialectOf } from '../chain';
import type { VersionedType } from '../versioned/types';

export const NOTIFY_CHANNEL = 'platform_settings_changed';

export const notifyCommitted = async (trx: Knex, type: VersionedType, version: number) => {
  if (dialectOf(trx) !== 'postgres') return;
  const payload = type.isSettings ? String(version) : `${type.key}:${version}`;
  await trx.raw('select pg_notify(?, ?)', [NOTIFY_CHANNEL, payload]);
};
