/**
 * How a write becomes a version — the one place. Every settings write (REST,
 * Content Manager, code calling `strapi.documents()`) ends up in `commit`,
 * which in ONE database transaction:
 *
 *   1. takes the writer lock (the chain head row, FOR UPDATE) and reads the live row;
 *   2. checks the preconditions: Idempotency-Key (a retry answers the first
 *      result), If-Match (412 unless it names the live version);
 *   3. decides what changes, before writing anything: nothing → no version;
 *   4. writes the settings row with `version` + 1 (through the document service);
 *   5. appends the history row, signed, and moves the chain head to it;
 *   6. notifies the other instances (PostgreSQL NOTIFY, delivered only on commit).
 *
 * If any step fails, none of it is kept. After commit, listeners refresh the
 * in-memory copy, log the change and purge the CDN.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { ChangeAuthor, ChangeType, HistoryEntry } from '../../../shared/contracts/settings';
import { AsyncLocalStorage } from 'node:async_hooks';
import { SETTINGS_UID } from '../utils/constants';
import { strongMatch } from '../utils/etag';
import { errors, fieldError, preconditionFailed, unprocessable } from '../utils/errors';
import { changedFieldNames, editableFieldNames, snapshotOf } from '../utils/fields';
import { getService } from '../utils/get-service';
import { representationOf } from './cache';
import type { LiveRow } from './settings';

export interface CommitRequest {
  action: 'create' | 'update';
  changeType?: Exclude<ChangeType, 'create'>;
  /** The fields to set (all of them for `create`). */
  data: Record<string, unknown>;
  author: ChangeAuthor;
  note: string | null;
  restoredFrom?: number | null;
  /** Strong ETags from If-Match: refused with 412 unless one names the live version. */
  ifMatch?: string[];
  idempotency?: { key: string; requestHash: string };
  /** Writes the settings row; defaults to the document service. The Content Manager path passes its `next`. */
  write?: (data: Record<string, unknown>, live: LiveRow | null) => Promise<unknown>;
}

export interface CommittedVersion {
  version: number;
  changeType: ChangeType;
  changedFields: string[];
  author: ChangeAuthor;
  live: LiveRow;
  /** MAC of the new history row: the chain's new head. */
  headMac: string;
}

export type CommitResult =
  | { outcome: 'committed'; committed: CommittedVersion; document: unknown }
  | { outcome: 'unchanged'; live: LiveRow }
  | { outcome: 'replayed'; entry: HistoryEntry; changed: boolean };

/** Marks writes made by `commit` itself, so the document-service middleware lets them through. */
const insideCommit = new AsyncLocalStorage<true>();
export const isInsideCommit = () => insideCommit.getStore() === true;

export const createVersioningService = ({ strapi }: { strapi: Core.Strapi }) => {
  const commitListeners = new Set<(change: CommittedVersion) => void>();

  const defaultWrite = (data: Record<string, unknown>, live: LiveRow | null) =>
    live
      ? strapi.documents(SETTINGS_UID).update({ documentId: live.documentId, data } as never)
      : strapi.documents(SETTINGS_UID).create({ data } as never);

  /** Step 2. A replayed result, or nothing when the request may go ahead. */
  const checkPreconditions = async (
    trx: Knex,
    request: CommitRequest,
    live: LiveRow | null
  ): Promise<CommitResult | null> => {
    if (request.action === 'create' && live) {
      throw new errors.ApplicationError(
        'Platform settings already exist: update them instead of creating new ones'
      );
    }
    if (request.idempotency) {
      const previous = await getService('history').findIdempotentResult(
        trx,
        request.idempotency.key
      );
      if (previous) {
        if (previous.requestHash !== request.idempotency.requestHash) {
          throw unprocessable('This Idempotency-Key was already used for a different request', [
            fieldError('Idempotency-Key', 'was already used with another body; use a new key'),
          ]);
        }
        return { outcome: 'replayed', entry: previous.entry, changed: previous.changed };
      }
    }
    if (request.ifMatch) {
      const liveEtag = live ? representationOf(getService('settings').toSettings(live)).etag : '';
      if (!strongMatch(request.ifMatch, liveEtag)) throw preconditionFailed(live?.version ?? 0);
    }
    return null;
  };

  /** The row the write left, from what the document service returned when it holds every field. */
  const liveAfterWrite = async (trx: Knex, written: unknown): Promise<LiveRow> => {
    const document = written as Record<string, unknown> | null;
    const fields = editableFieldNames(strapi);
    if (document && fields.every((field) => field in document)) {
      return {
        id: Number(document.id),
        documentId: String(document.documentId),
        version: Number(document.version),
        updatedAt: new Date(document.updatedAt as string).toISOString(),
        data: snapshotOf(strapi, document),
      };
    }
    const live = await getService('settings').readLiveRow(trx);
    if (!live) throw new Error('Settings row vanished inside its own write transaction');
    return live;
  };

  const commit = async (request: CommitRequest): Promise<CommitResult> =>
    strapi.db.transaction(async ({ trx: strapiTrx, onCommit }): Promise<CommitResult> => {
      const trx = strapiTrx as unknown as Knex.Transaction;
      const settings = getService('settings');
      const chain = getService('chain');

      // 1. Lock, then read: nothing can change between here and the commit.
      let head = await chain.lock(trx);
      const live = await settings.readLiveRow(trx);
      head = await chain.catchUp(trx, head, live?.version ?? 0);

      // 2. Preconditions.
      const early = await checkPreconditions(trx, request, live);
      if (early) return early;

      // 3. What changes, decided before writing (a rollback inside an outer transaction undoes nothing).
      const before = live ? live.data : {};
      const intended = snapshotOf(strapi, { ...before, ...request.data });
      if (live && changedFieldNames(before, intended).length === 0) {
        if (request.idempotency) {
          await getService('history').recordUnchanged(trx, request.idempotency, live.version);
        }
        return { outcome: 'unchanged', live };
      }

      // 4. The settings row, at the next version (whatever version a caller sent is replaced).
      const version = (live?.version ?? 0) + 1;
      const write = request.write ?? defaultWrite;
      const document = await insideCommit.run(true, () =>
        write({ ...request.data, version }, live)
      );
      const after = await liveAfterWrite(trx, document);

      // 5. The history row and the chain head.
      const changedFields = live
        ? changedFieldNames(before, after.data)
        : editableFieldNames(strapi);
      const changeType: ChangeType = live ? (request.changeType ?? 'update') : 'create';
      const row = await getService('history').append(trx, head, {
        version,
        changeType,
        data: after.data,
        changedFields,
        restoredFrom: request.restoredFrom ?? null,
        author: request.author,
        note: request.note,
        createdAt: after.updatedAt,
        idempotency: request.idempotency,
      });
      await chain.advance(trx, { ...head, version, mac: row.hash });

      // 6. Other instances hear of it only if this commits.
      await getService('invalidation').notify(trx, version);

      const committed: CommittedVersion = {
        version,
        changeType,
        changedFields,
        author: request.author,
        live: { ...after, version },
        headMac: row.hash,
      };
      onCommit(() => commitListeners.forEach((listener) => listener(committed)));
      return { outcome: 'committed', committed, document };
    });

  return {
    commit,
    /** Called after each committed version (cache refresh, notifications, metrics, CDN purge). */
    onCommitted(listener: (change: CommittedVersion) => void) {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
  };
};

export type VersioningService = ReturnType<typeof createVersioningService>;
