/**
 * The one place every settings write goes through. Registered as a
 * document-service middleware, it sees Content Manager saves, the REST API and
 * code calling `strapi.documents()` alike, and for each change it — in one
 * database transaction — serialises writers, bumps `version` by exactly one and
 * appends the history row. If anything fails, neither write is kept.
 */
import type { Core, Modules } from '@strapi/strapi';
import type { ChangeAuthor, ChangeType } from '../../../shared/contracts/settings';
import { currentChangeContext, type ChangeContext } from '../utils/change-context';
import { strongMatch } from '../utils/etag';
import { representationOf } from './cache';
import { SETTINGS_UID } from '../utils/constants';
import { changedFieldNames, editableFieldNames, snapshotOf } from '../utils/fields';
import { errors, fieldError, preconditionFailed, unprocessable } from '../utils/errors';
import { getService } from '../utils/get-service';
import { adminAuthor } from '../utils/http';

type Middleware = Modules.Documents.Middleware.Middleware;
type MiddlewareContext = Parameters<Middleware>[0];

export interface CommittedChange {
  version: number;
  changeType: ChangeType;
  changedFields: string[];
  author: ChangeAuthor;
  row: Record<string, unknown>;
}

/** Thrown inside the transaction when a save changes nothing, so it is rolled back. */
class NothingChanged extends Error {}

// Any stable 32-bit number works; it names the lock all settings writers queue on.
const WRITER_LOCK_KEY = 0x5e77_1295;

const WRITE_ACTIONS = new Set(['create', 'update']);
const FORBIDDEN_ACTIONS = new Set(['delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

export const createVersioningService = ({ strapi }: { strapi: Core.Strapi }) => {
  const commitListeners = new Set<(change: CommittedChange) => void>();

  const readLiveRow = async () =>
    (await strapi.db.query(SETTINGS_UID).findOne({ orderBy: { id: 'asc' } })) as Record<
      string,
      unknown
    > | null;

  /** Serialise writers. SQLite has a single connection, so its transactions already queue. */
  const lockWriters = async (trx: unknown) => {
    if (strapi.db.dialect.client === 'postgres') {
      await (trx as { raw: (sql: string, bindings: unknown[]) => Promise<unknown> }).raw(
        'select pg_advisory_xact_lock(?)',
        [WRITER_LOCK_KEY]
      );
    }
  };

  const resolveAuthor = (): ChangeAuthor => {
    const fromContext = currentChangeContext()?.author;
    if (fromContext) return fromContext;
    // A Content Manager save, or code running inside an admin request.
    const state = strapi.requestContext.get()?.state;
    if (state?.auth?.strategy?.name === 'admin' && state.user) return adminAuthor(state.user);
    return { kind: 'system' };
  };

  /**
   * Checked under the writer lock, so nothing can change between the check and the write.
   * Throws to refuse the write; sets `change.replayed` and throws NothingChanged for a retry.
   */
  const checkPreconditions = async (
    action: string,
    live: Record<string, unknown> | null,
    change: ChangeContext
  ) => {
    if (action === 'create' && live) {
      throw new errors.ApplicationError(
        'Platform settings already exist: update them instead of creating new ones'
      );
    }
    if (change.idempotency) {
      const previous = await getService('history').findByIdempotencyKey(change.idempotency.key);
      if (previous) {
        if (previous.requestHash !== change.idempotency.requestHash) {
          throw unprocessable('This Idempotency-Key was already used for a different request', [
            fieldError('Idempotency-Key', 'was already used with another body; use a new key'),
          ]);
        }
        change.replayed = previous.entry;
        throw new NothingChanged();
      }
    }
    if (change.ifMatch) {
      const liveEtag = live ? representationOf(getService('settings').toSettings(live)).etag : '';
      if (!strongMatch(change.ifMatch, liveEtag)) {
        throw preconditionFailed(live ? Number(live.version) : 0);
      }
    }
  };

  const writeVersion = async <T>(
    context: MiddlewareContext,
    next: () => Promise<T>
  ): Promise<T> => {
    // The caller's context object, so it can read back what was committed.
    const change: ChangeContext = currentChangeContext() ?? {};
    const author = resolveAuthor();
    let committed: CommittedChange | undefined;

    const result = await strapi.db
      .transaction(async ({ trx, onCommit }) => {
        await lockWriters(trx);
        const live = await readLiveRow();

        await checkPreconditions(context.action, live, change);
        const liveVersion = live ? Number(live.version) : 0;

        const nextVersion = liveVersion + 1;
        const params = context.params as { data?: Record<string, unknown> };
        // Whatever a client sent for `version` is replaced: the server owns it.
        params.data = { ...(params.data ?? {}), version: nextVersion };

        const written = await next();
        const after = await readLiveRow();
        if (!after) throw new Error('Settings row vanished inside its own write transaction');

        const before = live ? snapshotOf(strapi, live) : {};
        const data = snapshotOf(strapi, after);
        const changedFields = live ? changedFieldNames(before, data) : editableFieldNames(strapi);
        if (live && changedFields.length === 0) throw new NothingChanged();

        const changeType: ChangeType = live ? (change.changeType ?? 'update') : 'create';
        await getService('history').append({
          version: nextVersion,
          changeType,
          data,
          changedFields,
          restoredFrom: change.restoredFrom ?? null,
          author,
          note: change.note ?? null,
          updatedAt: after.updatedAt,
          idempotency: change.idempotency,
        });

        await getService('invalidation').notify(trx, nextVersion);

        committed = { version: nextVersion, changeType, changedFields, author, row: after };
        change.committed = { version: nextVersion, changedFields, row: after };
        onCommit(() => {
          if (committed) commitListeners.forEach((listener) => listener(committed!));
        });
        return written;
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof NothingChanged)) throw error;
        return strapi.documents(SETTINGS_UID).findFirst() as Promise<T>;
      });

    return result;
  };

  const middleware: Middleware = async (context, next) => {
    if (context.uid !== SETTINGS_UID) return next();
    if (FORBIDDEN_ACTIONS.has(context.action)) {
      throw new errors.ForbiddenError(
        `Platform settings are versioned: "${context.action}" is not allowed; change or roll them back instead`
      );
    }
    if (!WRITE_ACTIONS.has(context.action)) return next();
    return writeVersion(context, next as () => Promise<unknown>) as ReturnType<typeof next>;
  };

  return {
    middleware,
    /** Called after each committed version (cache refresh, notifications, metrics, CDN purge). */
    onCommitted(listener: (change: CommittedChange) => void) {
      commitListeners.add(listener);
      return () => commitListeners.delete(listener);
    },
  };
};

export type VersioningService = ReturnType<typeof createVersioningService>;
