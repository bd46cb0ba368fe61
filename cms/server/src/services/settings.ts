/**
 * Reading and changing the live settings. Writes go through
 * `strapi.documents()`, so the versioning middleware records them like any other.
 */
import type { Core } from '@strapi/strapi';
import type { ChangeAuthor, Settings } from '../../../shared/contracts/settings';
import { DEFAULT_SETTINGS } from '../../../shared/defaults';
import { withChangeContext, type ChangeContext } from '../utils/change-context';
import { SETTINGS_UID } from '../utils/constants';
import { snapshotOf } from '../utils/fields';
import { errors } from '../utils/errors';

export interface WriteOptions {
  author: ChangeAuthor;
  note: string | null;
  ifMatch?: string[];
  idempotency?: { key: string; requestHash: string };
}

export interface WriteResult {
  settings: Settings;
  /** Empty when the write changed nothing and so created no version. */
  changedFields: string[];
  /** True when an Idempotency-Key retry was answered with the first attempt's result. */
  replayed: boolean;
}

export const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const toSettings = (row: Record<string, unknown>): Settings =>
    ({
      version: Number(row.version),
      updatedAt: new Date(row.updatedAt as string).toISOString(),
      ...snapshotOf(strapi, row),
    }) as Settings;

  const findLiveDocument = () => strapi.documents(SETTINGS_UID).findFirst();

  const getLive = async (): Promise<Settings | null> => {
    const row = (await strapi.db.query(SETTINGS_UID).findOne({ orderBy: { id: 'asc' } })) as Record<
      string,
      unknown
    > | null;
    return row ? toSettings(row) : null;
  };

  const write = async (
    data: Record<string, unknown>,
    context: ChangeContext
  ): Promise<WriteResult> => {
    const live = await findLiveDocument();
    if (!live) throw new errors.NotFoundError('Platform settings have not been created yet');
    await withChangeContext(context, () =>
      strapi.documents(SETTINGS_UID).update({ documentId: live.documentId, data } as never)
    );
    // The row as this change left it, not whatever a later writer has made of it since.
    const { committed, replayed } = context;
    if (committed) {
      return {
        settings: toSettings(committed.row),
        changedFields: committed.changedFields,
        replayed: false,
      };
    }
    if (replayed) {
      const { version, createdAt, data: snapshot, changedFields } = replayed;
      // Through toSettings, so the fields come in schema order (PostgreSQL's jsonb
      // reorders keys) and the body, and so the ETag, match the first answer's.
      const settings = toSettings({ ...snapshot, version, updatedAt: createdAt });
      return { settings, changedFields, replayed: true };
    }
    return { settings: (await getLive()) as Settings, changedFields: [], replayed: false };
  };

  return {
    toSettings,
    getLive,

    /** Partial update; resolves to the live settings afterwards (unchanged when nothing differed). */
    update(data: Record<string, unknown>, { author, note, ifMatch, idempotency }: WriteOptions) {
      return write(data, { changeType: 'update', author, note, ifMatch, idempotency });
    },

    /** Writes a full snapshot back as a new `rollback` version. */
    restore(
      data: Record<string, unknown>,
      restoredFrom: number,
      { author, note, ifMatch }: WriteOptions
    ) {
      return write(data, { changeType: 'rollback', restoredFrom, author, note, ifMatch });
    },

    /** First boot: create version 1 from the defaults. Safe when several instances boot at once. */
    async ensureExists(): Promise<void> {
      if (await findLiveDocument()) return;
      try {
        await withChangeContext({ author: { kind: 'system' }, note: 'Initial settings' }, () =>
          strapi.documents(SETTINGS_UID).create({ data: { ...DEFAULT_SETTINGS } } as never)
        );
      } catch (error) {
        // Another instance created them between our check and our write.
        if (await findLiveDocument()) return;
        throw error;
      }
    },
  };
};

export type SettingsService = ReturnType<typeof createSettingsService>;
