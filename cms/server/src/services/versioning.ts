/**
 * How a write becomes a version — the one place, for every versioned type.
 * Every write (REST, the Content Manager, code calling `strapi.documents()`,
 * publish, schedules, rollbacks) that changes what is published ends up in
 * `commit(type, request)`, which in ONE database transaction:
 *
 *   1. takes the type's writer lock (its chain head row, FOR UPDATE; on
 *      PostgreSQL an advisory lock too) and reads what is published; the head
 *      must be signed with the current key and the newest history row must
 *      verify and hold what is published, or nothing is signed (503);
 *   2. checks the preconditions: Idempotency-Key (a retry answers the first
 *      result), If-Match and a schedule's "only if" version (412);
 *   3. applies the write through the type's store (stores/store.ts): the
 *      settings' rows in place, any other type through the Document Service;
 *      nothing published changes → no version;
 *   4. sets `version` + 1, appends the signed history row, moves the head;
 *   5. notifies the other instances (PostgreSQL NOTIFY, delivered only on commit).
 *
 * If any step fails, none of it is kept. After commit, listeners refresh the
 * public copies, log the change and purge the CDN. Saving a draft is not a
 * version and does not come here.
 *
 * Layers: controllers and services above call this; this calls the store, the
 * history and the chain below; nothing below calls back up.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { ChangeAuthor, ChangeType, HistoryEntry } from '../../../shared/contracts/settings';
import { strongMatch } from '../utils/etag';
import { fieldError, preconditionFailed, unprocessable } from '../utils/errors';
import { getService } from '../utils/get-service';
import { createWriterQueue } from '../utils/writer-queue';
import {
  createDocumentStore,
  type DocumentStore,
  type DocumentWrite,
} from '../stores/document-store';
import { notifyCommitted } from '../stores/notify';
import {
  createSettingsStore,
  type LiveRow,
  type SettingsStore,
  type SettingsWrite,
  type SettingsWritten,
} from '../stores/settings-store';
import type { VersionState, VersionStore } from '../stores/store';
import type { VersionedType } from '../versioned/types';

export interface CommitRequest<Write> {
  write: Write;
  changeType?: Exclude<ChangeType, 'create'>;
  author: ChangeAuthor;
  note: string | null;
  restoredFrom?: number | null;
  /** The first version of content published before versioning was on: recorded as it is. */
  baseline?: boolean;
  /** Strong ETags from If-Match: refused with 412 unless one names the live version. */
  ifMatch?: string[];
  /** Refused with 412 unless the live version is this one (a schedule's "only if"). */
  ifVersion?: number;
  idempotency?: { key: string; requestHash: string };
  /** Runs inside the transaction once the outcome is known (a schedule records its run). */
  inTransaction?: (trx: Knex.Transaction, result: AnyCommitResult) => Promise<void>;
}

export interface Committed<S extends VersionState = VersionState> {
  type: VersionedType;
  version: number;
  changeType: ChangeType;
  changedFields: string[];
  author: ChangeAuthor;
  /** What is published now, at the new version. */
  live: S;
  /** MAC of the new history row: the chain's new head. */
  headMac: string;
}

export type CommitResult<S extends VersionState, Written> =
  | { outcome: 'committed'; committed: Committed<S>; written: Written }
  | { outcome: 'unchanged'; live: S; written: Written }
  | { outcome: 'replayed'; entry: HistoryEntry; changed: boolean };

/** Any type's result, as far as a caller that only needs the outcome and the version cares. */
export type AnyCommitResult = CommitResult<VersionState, unknown>;

/** The settings' request and result (what their controllers and schedules use). */
export type SettingsCommitRequest = CommitRequest<SettingsWrite>;
export type SettingsCommitResult = CommitResult<LiveRow, SettingsWritten>;
/** Any other type's: the write is Strapi's own action, its result what Strapi answers. */
export type TypeCommitRequest<T = unknown> = CommitRequest<DocumentWrite<T>>;
export type TypeCommitResult<T = unknown> = CommitResult<VersionState, T>;

export const createVersioningService = ({ strapi }: { strapi: Core.Strapi }) => {
  const listeners = new Set<(change: Committed) => void>();
  const settingsStore = createSettingsStore(strapi);
  const documentStores = new Map<string, DocumentStore>();

  const documentStore = (type: VersionedType): DocumentStore => {
    let store = documentStores.get(type.uid);
    if (!store) documentStores.set(type.uid, (store = createDocumentStore(strapi, type)));
    return store;
  };

  /** Step 2. A replayed result, or nothing when the request may go ahead. */
  const checkPreconditions = async <S extends VersionState, W>(
    trx: Knex,
    type: VersionedType,
    store: VersionStore<S, W, unknown>,
    request: CommitRequest<W>,
    live: S | null
  ): Promise<CommitResult<S, never> | null> => {
    store.check?.(request.write, live);
    if (request.idempotency) {
      const previous = await getService('history')
        .of(type)
        .findIdempotentResult(trx, request.idempotency.key);
      if (previous) {
        if (previous.requestHash !== request.idempotency.requestHash) {
          throw unprocessable('This Idempotency-Key was already used for a different request', [
            fieldError('Idempotency-Key', 'was already used with another body; use a new key'),
          ]);
        }
        return { outcome: 'replayed', entry: previous.entry, changed: previous.changed };
      }
    }
    if (request.ifMatch && !strongMatch(request.ifMatch, live ? store.etagOf(live) : '')) {
      throw preconditionFailed(live?.version ?? 0);
    }
    if (request.ifVersion !== undefined && live?.version !== request.ifVersion) {
      throw preconditionFailed(live?.version ?? 0);
    }
    return null;
  };

  const commitIn = async <S extends VersionState, W, Written>(
    type: VersionedType,
    store: VersionStore<S, W, Written>,
    request: CommitRequest<W>,
    trx: Knex.Transaction,
    onCommit: (callback: () => void) => void
  ): Promise<CommitResult<S, Written>> => {
    const chain = getService('chain').of(type);
    const history = getService('history').of(type);
    const finish = async (result: CommitResult<S, Written>) => {
      await request.inTransaction?.(trx, result as AnyCommitResult);
      return result;
    };

    // 1. Lock, then read: nothing can change between here and the commit. A new
    // version is signed only on top of a chain that verifies where it ends.
    const locked = await chain.lock(trx);
    const published = await store.readLive(trx);
    const live = request.baseline ? null : published;
    const head = await chain.extendable(trx, locked, live).catch((error: unknown) => {
      const { writeRefused } = error as { writeRefused?: string };
      if (writeRefused) getService('metrics').writeRefused(writeRefused);
      throw error;
    });

    // 2. Preconditions.
    const early = await checkPreconditions(trx, type, store, request, live);
    if (early) return finish(early);

    // 3. The write.
    const { after, changedFields, written } = await store.apply(trx, request.write, live);
    if (live && changedFields.length === 0) {
      if (request.idempotency) {
        await history.recordUnchanged(trx, request.idempotency, live.version);
      }
      return finish({ outcome: 'unchanged', live, written });
    }

    // 4. The version, the signed history row and the head.
    const version = (live?.version ?? 0) + 1;
    await store.setVersion(trx, after.documentId, version);
    const changeType: ChangeType = live ? (request.changeType ?? 'update') : 'create';
    const row = await history.append(trx, head, {
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

    // 5. Other instances hear of it only if this commits.
    await notifyCommitted(trx, type, version);

    const committed: Committed<S> = {
      type,
      version,
      changeType,
      changedFields,
      author: request.author,
      live: { ...after, version },
      headMac: row.hash,
    };
    onCommit(() => listeners.forEach((listener) => listener(committed)));
    const stamped = store.withVersion ? store.withVersion(written, version) : written;
    return finish({ outcome: 'committed', committed, written: stamped });
  };

  /**
   * Commits of one type that share a caller's transaction (code running several writes in one
   * `strapi.db.transaction`, the Content Manager's bulk publish) take turns: the queue below is
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

  const queue = createWriterQueue();
  const run = <S extends VersionState, W, Written>(
    type: VersionedType,
    store: VersionStore<S, W, Written>,
    request: CommitRequest<W>
  ): Promise<CommitResult<S, Written>> => {
    // (Strapi's typing of `transaction` nests the callback's promise; it resolves to the result.)
    const inTransaction = () =>
      strapi.db.transaction(({ trx, onCommit }) =>
        inTurn(trx, type.uid, () =>
          commitIn(type, store, request, trx as unknown as Knex.Transaction, onCommit)
        )
      ) as unknown as Promise<CommitResult<S, Written>>;
    // One writer per type per process waits here, without holding a pooled connection.
    return strapi.db.inTransaction() ? inTransaction() : queue(type.uid, inTransaction);
  };

  /** The settings' writes name what they publish; any other type's write is Strapi's own action. */
  function commit(
    type: VersionedType,
    request: SettingsCommitRequest
  ): Promise<SettingsCommitResult>;
  function commit<T>(
    type: VersionedType,
    request: TypeCommitRequest<T>
  ): Promise<TypeCommitResult<T>>;
  function commit(
    type: VersionedType,
    request: SettingsCommitRequest | TypeCommitRequest
  ): Promise<CommitResult<VersionState, unknown>> {
    if (type.isSettings !== (typeof request.write !== 'function')) {
      throw new TypeError(`platform-settings: a write to ${type.uid} of the wrong kind`);
    }
    return type.isSettings
      ? run(type, settingsStore, request as SettingsCommitRequest)
      : run(
          type,
          documentStore(type) as unknown as VersionStore<VersionState, DocumentWrite, unknown>,
          request as TypeCommitRequest
        );
  }

  return {
    /** The settings' rows (the settings type's store). */
    settingsStore: (): SettingsStore => settingsStore,

    /** The store of any other versioned type (through the Document Service). */
    store: documentStore,

    /** Makes a write a version of its type: the one way anything is versioned. */
    commit,

    /** Walks a type's chain and compares its end with what is published. */
    verify(type: VersionedType) {
      const chain = getService('chain').of(type);
      return type.isSettings
        ? chain.verify((trx) => settingsStore.readLiveRow(trx))
        : // The Document Service reads with its own connection: right after the walk.
          chain.verify(() => documentStore(type).readLive(), { liveInSnapshot: false });
    },

    /** Called after each committed version of any type (copies, events, logs, metrics, CDN purge). */
    onCommitted(listener: (change: Committed) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

export type VersioningService = ReturnType<typeof createVersioningService>;
