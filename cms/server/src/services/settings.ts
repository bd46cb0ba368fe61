/**
 * The settings rows: the live (published) one and the draft — which row is
 * which is decided here and nowhere else (`readLiveRow`, `readDraftRow`) — their
 * public shape, and the writes the REST API asks for. Every publish becomes a
 * version through `versioning.commit`.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { ChangeAuthor, Settings } from '../../../shared/contracts/settings';
import { DEFAULT_SETTINGS } from '../../../shared/defaults';
import { SETTINGS_TABLE, toIso } from '../chain';
import { SETTINGS_UID } from '../utils/constants';
import { settingsFieldSpecs, snapshotOf } from '../utils/fields';
import { getService } from '../utils/get-service';
import type { CommitResult } from './versioning';

/** The live settings row: its ids, version and every editable field as plain JSON. */
export interface LiveRow {
  id: number;
  documentId: string;
  version: number;
  updatedAt: string;
  data: Record<string, unknown>;
}

export interface WriteOptions {
  author: ChangeAuthor;
  note: string | null;
  ifMatch?: string[];
  idempotency?: { key: string; requestHash: string };
}

export const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  /** Attribute name → column name of every editable field, from Strapi's own metadata. */
  let columns: Array<[string, string]> | null = null;
  const fieldColumns = () => {
    if (!columns) {
      const { attributes } = strapi.db.metadata.get(SETTINGS_UID) as unknown as {
        attributes: Record<string, { columnName?: string }>;
      };
      columns = settingsFieldSpecs(strapi).map(({ name }) => [
        name,
        attributes[name]?.columnName ?? name,
      ]);
    }
    return columns;
  };

  const rowOf = (raw: Record<string, unknown> | undefined): LiveRow | null => {
    if (!raw) return null;
    const named: Record<string, unknown> = {};
    for (const [name, column] of fieldColumns()) named[name] = raw[column];
    return {
      id: Number(raw.id),
      documentId: String(raw.document_id),
      version: Number(raw.version),
      updatedAt: toIso(raw.updated_at),
      data: snapshotOf(strapi, named),
    };
  };

  /**
   * The one definition of "the live row": the published one. Read with plain SQL
   * on `db` (pass the transaction when inside one). Publishing updates it in place,
   * so it keeps the lowest id (what releases before drafts read as "the first row").
   */
  const readLiveRow = async (
    db: Knex = strapi.db.connection as unknown as Knex
  ): Promise<LiveRow | null> =>
    rowOf(await db(SETTINGS_TABLE).whereNotNull('published_at').orderBy('id', 'asc').first());

  /** The draft: where changes wait until they are published. */
  const readDraftRow = async (
    db: Knex = strapi.db.connection as unknown as Knex
  ): Promise<LiveRow | null> =>
    rowOf(await db(SETTINGS_TABLE).whereNull('published_at').orderBy('id', 'desc').first());

  /** Both, by the same definitions, in one statement (the table holds a row or two). */
  const readLiveAndDraft = async (
    db: Knex
  ): Promise<{ live: LiveRow | null; draft: LiveRow | null }> => {
    const rows = (await db(SETTINGS_TABLE).orderBy('id', 'asc')) as Array<Record<string, unknown>>;
    const published = rows.filter((row) => row.published_at !== null);
    const drafts = rows.filter((row) => row.published_at === null);
    return { live: rowOf(published[0]), draft: rowOf(drafts[drafts.length - 1]) };
  };

  /** In schema order, whatever order the data came in (PostgreSQL's jsonb reorders keys): same ETag. */
  const toSettings = (live: Pick<LiveRow, 'version' | 'updatedAt' | 'data'>): Settings =>
    ({
      version: live.version,
      updatedAt: live.updatedAt,
      ...snapshotOf(strapi, live.data),
    }) as Settings;

  const getLive = async (): Promise<Settings | null> => {
    const live = await readLiveRow();
    return live ? toSettings(live) : null;
  };

  return {
    readLiveRow,
    readDraftRow,
    readLiveAndDraft,
    columnsOf: fieldColumns,
    toSettings,
    getLive,

    /** REST PUT: publishes only the fields sent, on top of the live version; the draft keeps its other changes. */
    update(data: Record<string, unknown>, options: WriteOptions): Promise<CommitResult> {
      return getService('versioning').commit({
        kind: 'patch',
        changeType: 'update',
        data,
        ...options,
      });
    },

    /** Publishes the draft as it is. */
    publishDraft(options: WriteOptions): Promise<CommitResult> {
      return getService('versioning').commit({
        kind: 'publish-draft',
        changeType: 'update',
        data: {},
        ...options,
      });
    },

    /** Writes a full snapshot back as a new `rollback` version, the draft included. */
    restore(
      data: Record<string, unknown>,
      restoredFrom: number,
      options: WriteOptions
    ): Promise<CommitResult> {
      return getService('versioning').commit({
        kind: 'replace',
        changeType: 'rollback',
        restoredFrom,
        data,
        ...options,
      });
    },

    /** Changes only the draft: no version, nothing public moves. */
    async saveDraft(data: Record<string, unknown>): Promise<LiveRow> {
      const draft = await readDraftRow();
      if (!draft) throw new Error('The settings draft is missing');
      // Through the document service, as the Content Manager's "Save" goes (the middleware lets drafts through).
      await strapi
        .documents(SETTINGS_UID)
        .update({ documentId: draft.documentId, status: 'draft', data } as never);
      return (await readDraftRow())!;
    },

    /** First boot: version 1 from the defaults. Safe when several instances boot at once. */
    async ensureExists(): Promise<void> {
      if (await readLiveRow()) return;
      try {
        await getService('versioning').commit({
          kind: 'create',
          data: { ...DEFAULT_SETTINGS },
          author: { kind: 'system' },
          note: 'Initial settings',
        });
      } catch (error) {
        // Another instance created them between our check and our write.
        if (await readLiveRow()) return;
        throw error;
      }
    },
  };
};

export type SettingsService = ReturnType<typeof createSettingsService>;
