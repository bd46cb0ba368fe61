/**
 * How a write becomes a version — the one place. Every settings write (REST,
 * Content Manager, code calling `strapi.documents()`, schedules) that changes
 * what is live ends up in `commit`, which in ONE database transaction:
 *
 *   1. takes the writer lock (the chain head row, FOR UPDATE) and reads the
 *      live (published) row and the draft; the head must be signed with the
 *      current key and the live row's history row must verify and hold what is
 *      live, or nothing is signed (503: an operator must act);
 *   2. checks the preconditions: Idempotency-Key (a retry answers the first
 *      result), If-Match (412 unless it names the live version);
 *   3. decides what is published and what the draft becomes, before writing
 *      anything (a rollback inside someone else's transaction undoes nothing):
 *      nothing published changes → no version;
 *   4. writes the published row in place with `version` + 1, and the draft;
 *   5. appends the history row, signed, and moves the chain head to it;
 *   6. notifies the other instances (PostgreSQL NOTIFY, delivered only on commit).
 *
 * If any step fails, none of it is kept. After commit, listeners refresh the
 * in-memory copy, log the change and purge the CDN. Saving a draft is not a
 * version and does not come here.
 *
 * What is published, by kind:
 *   create         the data (version 1), as the draft too
 *   patch          live + the fields sent; the draft keeps its own other changes
 *   publish-draft  the draft (with `data` applied to it first)
 *   replace        the data (a rollback), as the draft too: a later publish cannot undo it
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
import { createWriterQueue } from '../utils/writer-queue';
import { representationOf } from './cache';
import type { LiveRow } from './settings';

export type CommitKind = 'create' | 'patch' | 'publish-draft' | 'replace';

export interface CommitRequest {
  kind: CommitKind;
  changeType?: Exclude<ChangeType, 'create'>;
  data: Record<string, unknown>;
  author: ChangeAuthor;
  note: string | null;
  restoredFrom?: number | null;
  /** Strong ETags from If-Match: refused with 412 unless one names the live version. */
  ifMatch?: string[];
  /** Refused with 412 unless the live version is this one (a schedule's "only if"). */
  ifVersion?: number;
  idempotency?: { key: string; requestHash: string };
  /** Runs inside the transaction once the version is written (a schedule records its run). */
  inTransaction?: (trx: Knex.Transaction, result: CommitResult) => Promise<void>;
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
  | { outcome: 'committed'; committed: CommittedVersion; draftChanged: boolean }
  | { outcome: 'unchanged'; live: LiveRow; draftChanged: boolean }
  | { outcome: 'replayed'; entry: HistoryEntry; changed: boolean };

/** Marks writes made by `commit` itself, so the document-service middleware lets them through. */
const insideCommit = new AsyncLocalStorage<true>();
export const isInsideCommit = () => insideCommit.getStore() === true;
export const insideCommitScope = <T>(run: () => Promise<T>) => insideCommit.run(true, run);

export const createVersioningService = ({ strapi }: { strapi: Core.Strapi }) => {
  const commitListeners = new Set<(change: CommittedVersion) => void>();

  /** Step 2. A replayed result, or nothing when the request may go ahead. */
  const checkPreconditions = async (
    trx: Knex,
    request: CommitRequest,
    live: LiveRow | null
  ): Promise<CommitResult | null> => {
    if (request.kind === 'create' && live) {
      throw new errors.ApplicationError(
        'Platform settings already exist: update them instead of creating new ones'
      );
    }
    if (request.kind !== 'create' && !live) {
      throw new errors.NotFoundError('Platform settings have not been created yet');
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
    if (request.ifVersion !== undefined && live?.version !== request.ifVersion) {
      throw preconditionFailed(live?.version ?? 0);
    }
    return null;
  };

  /** Step 3: what the published row and the draft become. */
  const plan = (request: CommitRequest, live: LiveRow | null, draft: LiveRow | null) => {
    const liveData = live?.data ?? {};
    const draftData = draft?.data ?? liveData;
    const snapshot = (data: Record<string, unknown>) => snapshotOf(strapi, data);
    switch (request.kind) {
      case 'create':
      case 'replace': {
        const next = snapshot({ ...liveData, ...request.data });
        return { published: next, draft: next };
      }
      case 'patch':
        return {
          published: snapshot({ ...liveData, ...request.data }),
          draft: snapshot({ ...draftData, ...request.data }),
        };
      case 'publish-draft': {
        const next = snapshot({ ...draftData, ...request.data });
        return { published: next, draft: next };
      }
    }
  };

  const columnsFor = (data: Record<string, unknown>) =>
    Object.fromEntries(
      getService('settings')
        .columnsOf()
        .map(([name, column]) => [column, data[name]])
    );

  /** Writes a row of the settings table in place (the published one keeps its id). */
  const writeRow = (trx: Knex, id: number, values: Record<string, unknown>) =>
    trx('platform_settings').where({ id }).update(values);

  const queue = createWriterQueue();
  const commit = (request: CommitRequest): Promise<CommitResult> =>
    strapi.db.inTransaction()
      ? commitInTransaction(request)
      : queue(SETTINGS_UID, () => commitInTransaction(request));

  const commitInTransaction = async (request: CommitRequest): Promise<CommitResult> =>
    strapi.db.transaction(async ({ trx: strapiTrx, onCommit }): Promise<CommitResult> => {
      const trx = strapiTrx as unknown as Knex.Transaction;
      const settings = getService('settings');
      const chain = getService('chain');

      // 1. Lock, then read: nothing can change between here and the commit. A new
      // version is signed only on top of a chain that verifies where it ends.
      const locked = await chain.lock(trx);
      const { live, draft } = await settings.readLiveAndDraft(trx);
      const head = await chain.extendable(trx, locked, live);

      // 2. Preconditions.
      const early = await checkPreconditions(trx, request, live);
      if (early) return early;

      // 3. What changes, decided before writing.
      const next = plan(request, live, draft);
      const changedFields = live
        ? changedFieldNames(live.data, next.published)
        : editableFieldNames(strapi);
      const draftChanged = draft ? changedFieldNames(draft.data, next.draft).length > 0 : false;
      const draftIsPublished = changedFieldNames(next.published, next.draft).length === 0;
      const now = Date.now();
      // The Content Manager calls a draft "modified" when it is newer than the published row.
      const draftUpdatedAt = new Date(draftIsPublished ? now : now + 1);
      const version = (live?.version ?? 0) + 1;

      if (live && changedFields.length === 0) {
        if (draft && draftChanged) {
          await writeRow(trx, draft.id, { ...columnsFor(next.draft), updated_at: draftUpdatedAt });
        }
        const result: CommitResult = { outcome: 'unchanged', live, draftChanged };
        if (request.idempotency) {
          await getService('history').recordUnchanged(trx, request.idempotency, live.version);
        }
        await request.inTransaction?.(trx, result);
        return result;
      }

      // 4. The settings rows at the next version.
      let after: LiveRow;
      if (!live) {
        await insideCommitScope(() =>
          strapi
            .documents(SETTINGS_UID)
            .create({ data: { ...next.published, version }, status: 'published' } as never)
        );
        after = (await settings.readLiveRow(trx))!;
      } else {
        const updatedAt = new Date(now);
        const published = { ...columnsFor(next.published), version, updated_at: updatedAt };
        if (draft && draftIsPublished) {
          // The draft becomes what is published (the usual case): one statement for both rows.
          await trx('platform_settings').whereIn('id', [live.id, draft.id]).update(published);
        } else {
          await writeRow(trx, live.id, published);
          if (draft) {
            await writeRow(trx, draft.id, {
              ...columnsFor(next.draft),
              version,
              updated_at: draftUpdatedAt,
            });
          }
        }
        after = { ...live, version, updatedAt: updatedAt.toISOString(), data: next.published };
      }

      // 5. The history row and the chain head.
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
      await chain.advance(trx, head, version, row.hash);

      // 6. Other instances hear of it only if this commits.
      await getService('invalidation').notify(trx, version);

      const committed: CommittedVersion = {
        version,
        changeType,
        changedFields,
        author: request.author,
        live: after,
        headMac: row.hash,
      };
      const result: CommitResult = { outcome: 'committed', committed, draftChanged };
      await request.inTransaction?.(trx, result);
      onCommit(() => commitListeners.forEach((listener) => listener(committed)));
      return result;
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
