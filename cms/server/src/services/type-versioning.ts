/**
 * How a write to a versioned type other than settings becomes a version: the
 * same pipeline as the settings' (`versioning.ts`), for a type stored through
 * the Document Service. Every write — the Content Manager, Strapi's own REST
 * routes, `strapi.documents()`, a rollback — ends up in `commit`, which in ONE
 * database transaction:
 *
 *   1. takes the type's writer lock (its chain head row, FOR UPDATE) and reads
 *      the published document; the head must be signed and the newest history
 *      row must verify and hold what is published, or nothing is signed (503);
 *   2. checks the preconditions: Idempotency-Key, If-Match;
 *   3. runs the write through the Document Service (Strapi's own action, or a
 *      rollback's update + publish), which joins the transaction;
 *   4. reads what is published now; nothing changed → no version;
 *   5. sets `version` + 1 on the document's rows, appends the signed history
 *      row and moves the head;
 *   6. notifies the other instances (PostgreSQL NOTIFY, delivered only on commit).
 *
 * If any step fails, none of it is kept.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { ChangeAuthor, ChangeType, HistoryEntry } from '../../../shared/contracts/settings';
import { canonicalJson } from '../chain/mac';
import { etagFor, strongMatch } from '../utils/etag';
import { errors, fieldError, preconditionFailed, unprocessable } from '../utils/errors';
import { getService } from '../utils/get-service';
import { createWriterQueue } from '../utils/writer-queue';
import {
  createDocumentStore,
  type DocumentState,
  type DocumentStore,
} from '../versioned/document-store';
import { changedAttributes } from '../versioned/snapshot';
import type { VersionedType } from '../versioned/types';
import { insideCommitScope } from './versioning';

export interface TypeCommitRequest<T = unknown> {
  /** The write itself, run under the lock inside the transaction. */
  write: (store: DocumentStore, live: DocumentState | null) => Promise<T>;
  changeType?: Exclude<ChangeType, 'create'>;
  author: ChangeAuthor;
  note: string | null;
  restoredFrom?: number | null;
  /** The first version of content published before versioning was on: recorded as it is. */
  baseline?: boolean;
  ifMatch?: string[];
  idempotency?: { key: string; requestHash: string };
}

export interface TypeCommitted {
  type: VersionedType;
  version: number;
  changeType: ChangeType;
  changedFields: string[];
  author: ChangeAuthor;
  live: DocumentState;
  headMac: string;
}

export type TypeCommitResult<T = unknown> =
  | { outcome: 'committed'; committed: TypeCommitted; written: T }
  | { outcome: 'unchanged'; live: DocumentState | null; written: T }
  | { outcome: 'replayed'; entry: HistoryEntry; changed: boolean };

/** The strong ETag of a version of a type, for If-Match (a version and the hash of its snapshot). */
export const snapshotEtag = (state: Pick<DocumentState, 'version' | 'data'>) =>
  etagFor(state.version, canonicalJson(state.data));

/**
 * What the Document Service handed back was read before the version was set:
 * the caller (Strapi's REST answer, the Content Manager) gets the new one.
 */
const withVersion = <T>(written: T, version: number): T => {
  const documents = (value: unknown): Array<Record<string, unknown>> => {
    if (!value || typeof value !== 'object') return [];
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.entries)) return record.entries as Array<Record<string, unknown>>;
    return 'documentId' in record ? [record] : [];
  };
  for (const document of documents(written)) document.version = version;
  return written;
};

export const createTypeVersioningService = ({ strapi }: { strapi: Core.Strapi }) => {
  const stores = new Map<string, DocumentStore>();
  const listeners = new Set<(change: TypeCommitted) => void>();

  const storeOf = (type: VersionedType) => {
    let store = stores.get(type.uid);
    if (!store) stores.set(type.uid, (store = createDocumentStore(strapi, type)));
    return store;
  };

  const queue = createWriterQueue();

  const commit = <T>(type: VersionedType, request: TypeCommitRequest<T>) =>
    strapi.db.inTransaction()
      ? commitInTransaction(type, request)
      : queue(type.uid, () => commitInTransaction(type, request));

  /**
   * Commits of one type that share a caller's transaction (code running several writes in one
   * `strapi.db.transaction`, the Content Manager's bulk publish) take turns: the queue above is
   * not used there, and the database lock is a row lock the transaction already holds for itself,
   * so neither keeps them apart.
   */
  const turns = new WeakMap<object, Map<string, Promise<unknown>>>();
  const inTurn = <R>(trx: object, uid: string, run: () => Promise<R>): Promise<R> => {
    let byType = turns.get(trx);
    if (!byType) turns.set(trx, (byType = new Map()));
    const previous = byType.get(uid) ?? Promise.resolve();
    const mine = previous.then(run, run);
    byType.set(
      uid,
      mine.catch(() => undefined)
    );
    return mine;
  };

  const commitInTransaction = async <T>(
    type: VersionedType,
    request: TypeCommitRequest<T>
  ): Promise<TypeCommitResult<T>> =>
    strapi.db.transaction(async ({ trx, onCommit }): Promise<TypeCommitResult<T>> =>
      inTurn(trx, type.uid, () =>
        commitIn(type, request, trx as unknown as Knex.Transaction, onCommit)
      )
    );

  const commitIn = async <T>(
    type: VersionedType,
    request: TypeCommitRequest<T>,
    trx: Knex.Transaction,
    onCommit: (callback: () => void) => void
  ): Promise<TypeCommitResult<T>> => {
    const chain = getService('chain').of(type);
    const history = getService('history').of(type);
    const store = storeOf(type);

    // 1. Lock, then read.
    const locked = await chain.lock(trx);
    const published = await store.readLive();
    const before = request.baseline ? null : published;
    const head = await chain.extendable(trx, locked, before);

    // 2. Preconditions.
    if (request.idempotency) {
      const previous = await history.findIdempotentResult(trx, request.idempotency.key);
      if (previous) {
        if (previous.requestHash !== request.idempotency.requestHash) {
          throw unprocessable('This Idempotency-Key was already used for a different request', [
            fieldError('Idempotency-Key', 'was already used with another body; use a new key'),
          ]);
        }
        return { outcome: 'replayed', entry: previous.entry, changed: previous.changed };
      }
    }
    if (request.ifMatch && !strongMatch(request.ifMatch, before ? snapshotEtag(before) : '')) {
      throw preconditionFailed(before?.version ?? 0);
    }

    // 3. The write, through the Document Service.
    const written = await insideCommitScope(() => request.write(store, before));

    // 4. What is published now.
    const after = await store.readLive();
    if (!after) {
      throw new errors.ApplicationError(
        `${type.displayName} has no published version after this write`
      );
    }
    const changedFields = before
      ? changedAttributes(before.data, after.data)
      : Object.keys(after.data);
    if (before && changedFields.length === 0) {
      // Publishing copied the draft's version onto the new published rows: keep them at live's.
      await store.setVersion(trx, after.documentId, before.version);
      if (request.idempotency) {
        await history.recordUnchanged(trx, request.idempotency, before.version);
      }
      return { outcome: 'unchanged', live: before, written };
    }

    // 5. The version, the history row and the head.
    const version = (before?.version ?? 0) + 1;
    await store.setVersion(trx, after.documentId, version);
    const createdAt = new Date().toISOString();
    const changeType: ChangeType = before ? (request.changeType ?? 'update') : 'create';
    const row = await history.append(trx, head, {
      version,
      changeType,
      data: after.data,
      changedFields,
      restoredFrom: request.restoredFrom ?? null,
      author: request.author,
      note: request.note,
      createdAt,
      idempotency: request.idempotency,
    });
    await chain.advance(trx, head, version, row.hash);

    // 6. Other instances hear of it only if this commits.
    await getService('invalidation').notifyType(trx, type, version);

    const committed: TypeCommitted = {
      type,
      version,
      changeType,
      changedFields,
      author: request.author,
      live: { ...after, version, updatedAt: createdAt },
      headMac: row.hash,
    };
    onCommit(() => listeners.forEach((listener) => listener(committed)));
    return { outcome: 'committed', committed, written: withVersion(written, version) };
  };

  return {
    store: storeOf,
    commit,
    /** Called after each committed version of any type (cache refresh, events, metrics, CDN purge). */
    onCommitted(listener: (change: TypeCommitted) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

export type TypeVersioningService = ReturnType<typeof createTypeVersioningService>;
