/**
 * The rows of one versioned type other than settings, read and written through
 * Strapi's Document Service (so components, dynamic zones, media and relations
 * are written the way Strapi writes them), inside the caller's transaction:
 * Strapi's queries join the transaction `strapi.db.transaction` opened.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { canonicalJson } from '../chain/mac';
import { toIso } from '../chain/store';
import { etagFor } from '../utils/etag';
import { errors } from '../utils/errors';
import { insideCommitScope } from './commit-scope';
import {
  changedAttributes,
  deepPopulate,
  referencesOf,
  restoreDataOf,
  snapshotOfDocument,
  type SchemaLookup,
} from './snapshot';
import type { Applied, VersionState, VersionStore } from './store';
import type { VersionedType } from '../versioned/types';

/** A published (or draft) document as a snapshot, with its version. */
export type DocumentState = VersionState;

/**
 * A write to a type: Strapi's own action, or a rollback's update + publish, run under the
 * type's lock inside the commit's transaction (the Document Service joins it).
 */
export type DocumentWrite<T = unknown> = (
  store: DocumentStore,
  live: DocumentState | null
) => Promise<T>;

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

export interface MissingReference {
  path: string;
  target: string;
  documentId: string;
}

type Documents = {
  findFirst(params: Record<string, unknown>): Promise<Record<string, unknown> | null>;
  update(params: Record<string, unknown>): Promise<unknown>;
  publish(params: Record<string, unknown>): Promise<unknown>;
};

export const createDocumentStore = (strapi: Core.Strapi, type: VersionedType) => {
  const lookup: SchemaLookup = (uid) =>
    strapi.getModel(uid as never) as unknown as ReturnType<SchemaLookup>;
  let populate: Record<string, unknown> | null = null;
  const documents = () => strapi.documents(type.uid as never) as unknown as Documents;

  const read = async (status: 'published' | 'draft'): Promise<DocumentState | null> => {
    populate ??= deepPopulate(lookup, type.uid);
    const document = await documents().findFirst({ status, populate });
    if (!document) return null;
    return {
      documentId: String(document.documentId),
      version: Number(document.version ?? 0),
      updatedAt: toIso(document.updatedAt),
      data: snapshotOfDocument(lookup, type.uid, document),
    };
  };

  /** The file ids (media) and documentIds (relations) a snapshot's references still resolve to. */
  const resolveReferences = async (snapshot: Record<string, unknown>) => {
    const references = referencesOf(lookup, type.uid, snapshot);
    const resolved = new Map<string, number | string>();
    const missing: MissingReference[] = [];
    for (const { path, target, documentId } of references) {
      const key = `${target}\n${documentId}`;
      if (resolved.has(key)) continue;
      const model = lookup(target) as unknown as { options?: { draftAndPublish?: boolean } };
      // A relation to a type with Draft & Publish resolves only to a published document.
      const where: Record<string, unknown> = { documentId };
      if (model.options?.draftAndPublish) where.publishedAt = { $notNull: true };
      const found = (await strapi.db
        .query(target as never)
        .findOne({ where, select: ['id', 'documentId'] })) as { id: number } | null;
      if (found) resolved.set(key, target === 'plugin::upload.file' ? found.id : documentId);
      else missing.push({ path: path.join('.'), target, documentId });
    }
    const data = restoreDataOf(
      lookup,
      type.uid,
      snapshot,
      (target, documentId) => resolved.get(`${target}\n${documentId}`) ?? null
    );
    return { data, missing };
  };

  /** The version column of every row of the document (draft and published). */
  const setVersion = (trx: Knex, documentId: string, version: number) =>
    trx(type.tables.live).where({ document_id: documentId }).update({ version });

  const self = {
    readLive: () => read('published'),
    readDraft: () => read('draft'),
    resolveReferences,
    setVersion,
    etagOf: snapshotEtag,
    withVersion,

    async apply(
      trx: Knex.Transaction,
      write: DocumentWrite,
      live: DocumentState | null
    ): Promise<Applied<DocumentState, unknown>> {
      const written = await insideCommitScope(() => write(self, live));
      const after = await read('published');
      if (!after) {
        throw new errors.ApplicationError(
          `${type.displayName} has no published version after this write`
        );
      }
      const changedFields = live
        ? changedAttributes(live.data, after.data)
        : Object.keys(after.data);
      if (live && changedFields.length === 0) {
        // Publishing copied the draft's version onto the new published rows: keep them at live's.
        await setVersion(trx, after.documentId, live.version);
        return { after: live, changedFields, written };
      }
      // Recorded as the version's time (Strapi's own timestamps lose precision on some databases).
      return { after: { ...after, updatedAt: new Date().toISOString() }, changedFields, written };
    },

    /** Writes `data` into the draft and publishes it: Strapi recreates the published rows. */
    async replace(documentId: string, data: Record<string, unknown>) {
      await documents().update({ documentId, status: 'draft', data });
      await documents().publish({ documentId });
    },

    /** Publishes the draft as it is (`POST /api/<key>/publish`): Strapi recreates the published rows. */
    publish: async (documentId: string) => {
      await documents().publish({ documentId });
    },

    /** The version column as stored, without populating anything (cheap; for the periodic check). */
    async liveVersion(db: Knex): Promise<number | null> {
      const row = await db(type.tables.live).whereNotNull('published_at').first('version');
      return row ? Number(row.version ?? 0) : null;
    },
  };
  return self satisfies VersionStore<DocumentState, DocumentWrite, unknown>;
};

export type DocumentStore = ReturnType<typeof createDocumentStore>;
