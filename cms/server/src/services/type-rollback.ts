/**
 * Restoring an old version of a versioned type other than settings, for its
 * rollback route (controllers/type-routes.ts) and its scheduled rollbacks
 * (services/schedules.ts) alike: the same integrity check, the same references
 * resolved (media and relations that no longer exist are dropped and listed),
 * the same commit through the Document Service.
 */
import { conflict, errors, unprocessable } from '../utils/errors';
import { getService } from '../utils/get-service';
import { attributeDiff } from '../stores/snapshot';
import type { CommitRequest, TypeCommitResult } from './versioning';
import type { DocumentWrite } from '../stores/document-store';
import type { VersionedType } from '../versioned/types';

/** Everything of a commit request but the write and what a rollback sets itself. */
export type TypeRollbackOptions = Omit<
  CommitRequest<DocumentWrite>,
  'write' | 'changeType' | 'restoredFrom' | 'baseline'
>;

/**
 * Strapi's own validation refusing what would be published (a snapshot invalid under
 * today's schema, a draft missing a required field): a 422 naming every field, as a PUT
 * would. Strapi's ValidationError carries no HTTP status of its own.
 */
export const asUnprocessable = (error: unknown, message: string): unknown => {
  if (!(error instanceof errors.ValidationError)) return error;
  const details = (error.details as { errors?: Array<{ path: string[]; message: string }> }).errors;
  return unprocessable(
    message,
    (details ?? []).map(({ path, message: reason }) => ({
      path: ['data', ...path],
      message: reason,
      name: 'ValidationError',
    }))
  );
};

export const createTypeRollbackService = () => ({
  /** What restoring `version` would do, checked before anything is written. */
  async plan(type: VersionedType, version: number) {
    const entry = await getService('history').of(type).get(version);
    if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
    const store = getService('versioning').store(type);
    const live = await store.readLive();
    if (!live) throw new errors.NotFoundError(`${type.displayName} has not been published yet`);
    const integrity = await getService('chain').of(type).rowIntegrity(version);
    if (integrity !== 'intact') {
      throw conflict(
        integrity === 'altered'
          ? `Version ${version} does not match its signature: it was changed outside the API and cannot be restored. See GET ${type.publicPath}/history/verify.`
          : `Version ${version} is signed with a key this server does not have, so it cannot be checked before it is restored.`,
        { version, integrity }
      );
    }
    const { data, missing } = await store.resolveReferences(entry.data);
    // Attributes the schema no longer has are skipped; ones added since keep their live value.
    const skippedFields = Object.keys(entry.data).filter((field) => !(field in live.data));
    const restored = { ...live.data };
    for (const field of Object.keys(live.data)) {
      if (field in entry.data) restored[field] = entry.data[field];
    }
    return { entry, live, data, missing, skippedFields, diff: attributeDiff(live.data, restored) };
  },

  /** Writes the planned data into the draft and publishes it, as a `rollback` version. */
  async restore(
    type: VersionedType,
    plan: { data: Record<string, unknown>; entry: { version: number } },
    options: TypeRollbackOptions
  ): Promise<TypeCommitResult<void>> {
    const version = plan.entry.version;
    try {
      return await getService('versioning').commit(type, {
        ...options,
        write: (store, live) => store.replace(live!.documentId, plan.data),
        changeType: 'rollback',
        restoredFrom: version,
      });
    } catch (error) {
      throw asUnprocessable(
        error,
        `Version ${version} cannot be restored: it is not valid under the current schema`
      );
    }
  },
});

export type TypeRollbackService = ReturnType<typeof createTypeRollbackService>;
