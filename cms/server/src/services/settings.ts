/**
 * The live settings: which row is live (one function, `readLiveRow`), their
 * public shape, and the writes the REST API and the Content Manager ask for.
 * Every write becomes a version through `versioning.commit`.
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

  /**
   * The one definition of "the live row", read with plain SQL on `db` (pass the
   * transaction when inside one).
   */
  const readLiveRow = async (
    db: Knex = strapi.db.connection as unknown as Knex
  ): Promise<LiveRow | null> => {
    const raw = (await db(SETTINGS_TABLE).orderBy('id', 'asc').first()) as
      Record<string, unknown> | undefined;
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
    toSettings,
    getLive,

    /** Partial update: only the fields sent change. */
    update(data: Record<string, unknown>, options: WriteOptions): Promise<CommitResult> {
      return getService('versioning').commit({
        action: 'update',
        changeType: 'update',
        data,
        ...options,
      });
    },

    /** Writes a full snapshot back as a new `rollback` version. */
    restore(
      data: Record<string, unknown>,
      restoredFrom: number,
      options: WriteOptions
    ): Promise<CommitResult> {
      return getService('versioning').commit({
        action: 'update',
        changeType: 'rollback',
        restoredFrom,
        data,
        ...options,
      });
    },

    /** First boot: version 1 from the defaults. Safe when several instances boot at once. */
    async ensureExists(): Promise<void> {
      if (await readLiveRow()) return;
      await getService('versioning').commit({
        action: 'create',
        data: { ...DEFAULT_SETTINGS },
        author: { kind: 'system' },
        note: 'Initial settings',
      });
    },
  };
};

export type SettingsService = ReturnType<typeof createSettingsService>;
