/**
 * The settings' rows: the live (published) one and the draft — which row is
 * which is decided here and nowhere else — read and written in place with
 * plain SQL inside the commit's transaction (the published row keeps its id,
 * so one statement writes a version). Calls no service: `versioning.commit`
 * is the only writer above it.
 * What a write publishes, by kind, is decided in settings-plan.ts.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Settings } from '../../../shared/contracts/settings';
import { SETTINGS_TABLE, toIso } from '../chain';
import { SETTINGS_UID } from '../utils/constants';
import { errors } from '../utils/errors';
import { settingsFieldSpecs, snapshotOf } from '../utils/fields';
import { representationOf } from '../utils/representation';
import { insideCommitScope } from './commit-scope';
import { planSettingsWrite, type SettingsWrite } from './settings-plan';
import type { Applied, VersionStore } from './store';

/** A settings row: its ids, version and every editable field as plain JSON. */
export interface LiveRow {
  id: number;
  documentId: string;
  version: number;
  updatedAt: string;
  data: Record<string, unknown>;
}

export type { SettingsWrite } from './settings-plan';

/** Whether the write also changed the draft. */
export interface SettingsWritten {
  draftChanged: boolean;
}

/** The public shape, in schema order whatever order the data came in (PostgreSQL's jsonb reorders keys): same ETag. */
export const toSettings = (
  strapi: Core.Strapi,
  live: Pick<LiveRow, 'version' | 'updatedAt' | 'data'>
): Settings =>
  ({
    version: live.version,
    updatedAt: live.updatedAt,
    ...snapshotOf(strapi, live.data),
  }) as Settings;

export const createSettingsStore = (strapi: Core.Strapi) => {
  const connection = () => strapi.db.connection as unknown as Knex;

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
   * The one definition of "the live row": the published one. Publishing updates it in
   * place, so it keeps the lowest id (what releases before drafts read as "the first row").
   */
  const readLiveRow = async (db: Knex = connection()): Promise<LiveRow | null> =>
    rowOf(await db(SETTINGS_TABLE).whereNotNull('published_at').orderBy('id', 'asc').first());

  /** The draft: where changes wait until they are published. */
  const readDraftRow = async (db: Knex = connection()): Promise<LiveRow | null> =>
    rowOf(await db(SETTINGS_TABLE).whereNull('published_at').orderBy('id', 'desc').first());

  const columnsFor = (data: Record<string, unknown>) =>
    Object.fromEntries(fieldColumns().map(([name, column]) => [column, data[name]]));

  const writeRow = (trx: Knex, id: number, values: Record<string, unknown>) =>
    trx(SETTINGS_TABLE).where({ id }).update(values);

  const store: VersionStore<LiveRow, SettingsWrite, SettingsWritten> = {
    readLive: readLiveRow,

    etagOf: (live) => representationOf(toSettings(strapi, live)).etag,

    check(write, live) {
      if (write.kind === 'create' && live) {
        throw new errors.ApplicationError(
          'Platform settings already exist: update them instead of creating new ones'
        );
      }
      if (write.kind !== 'create' && !live) {
        throw new errors.NotFoundError('Platform settings have not been created yet');
      }
    },

    async apply(trx, write, live): Promise<Applied<LiveRow, SettingsWritten>> {
      const draft = await readDraftRow(trx);
      const next = planSettingsWrite(write, live?.data ?? null, draft?.data ?? null, (data) =>
        snapshotOf(strapi, data)
      );
      const { changedFields, draftChanged, draftIsPublished } = next;
      const now = Date.now();
      // The Content Manager calls a draft "modified" when it is newer than the published row.
      const draftUpdatedAt = new Date(draftIsPublished ? now : now + 1);

      if (live && changedFields.length === 0) {
        // Nothing published changes: the published row is not touched at all.
        if (draft && draftChanged) {
          await writeRow(trx, draft.id, { ...columnsFor(next.draft), updated_at: draftUpdatedAt });
        }
        return { after: live, changedFields, written: { draftChanged } };
      }

      if (!live) {
        await insideCommitScope(() =>
          strapi
            .documents(SETTINGS_UID)
            .create({ data: next.published, status: 'published' } as never)
        );
        return { after: (await readLiveRow(trx))!, changedFields, written: { draftChanged } };
      }

      const updatedAt = new Date(now);
      const published = { ...columnsFor(next.published), updated_at: updatedAt };
      if (draft && draftIsPublished) {
        // The draft becomes what is published (the usual case): one statement for both rows.
        await trx(SETTINGS_TABLE).whereIn('id', [live.id, draft.id]).update(published);
      } else {
        await writeRow(trx, live.id, published);
        if (draft) {
          await writeRow(trx, draft.id, { ...columnsFor(next.draft), updated_at: draftUpdatedAt });
        }
      }
      return {
        after: { ...live, updatedAt: updatedAt.toISOString(), data: next.published },
        changedFields,
        written: { draftChanged },
      };
    },

    setVersion: (trx, documentId, version) =>
      trx(SETTINGS_TABLE).where({ document_id: documentId }).update({ version }),
  };

  return {
    ...store,
    readLiveRow,
    readDraftRow,
    columnsOf: fieldColumns,
    toSettings: (live: Pick<LiveRow, 'version' | 'updatedAt' | 'data'>) => toSettings(strapi, live),
  };
};

export type SettingsStore = ReturnType<typeof createSettingsStore>;
