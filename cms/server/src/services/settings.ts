/**
 * The settings as the routes, schedules and the cache ask for them: reads of the
 * live row and the draft (stores/settings-store.ts decides which row is
 * which), their public shape, and the writes the REST API asks for. Every
 * publish becomes a version through `versioning.commit(SETTINGS_TYPE, …)`; this service
 * only names the kind of write.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Settings } from '../../../shared/contracts/settings';
import { DEFAULT_SETTINGS } from '../../../shared/defaults';
import { SETTINGS_UID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { SETTINGS_TYPE } from '../versioned/types';
import { toSettings as toSettingsOf, type LiveRow } from '../stores/settings-store';
import type { SettingsCommitRequest, SettingsCommitResult } from './versioning';

export type { LiveRow } from '../stores/settings-store';

/** Who writes, why, and the preconditions: everything of a commit request but the write. */
export type WriteOptions = Pick<
  SettingsCommitRequest,
  'author' | 'note' | 'ifMatch' | 'ifVersion' | 'idempotency' | 'inTransaction'
>;

export const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => getService('versioning').settingsStore();
  const commit = (request: SettingsCommitRequest) =>
    getService('versioning').commit(SETTINGS_TYPE, request);
  const readLiveRow = (db?: Knex) => store().readLiveRow(db);
  const readDraftRow = (db?: Knex) => store().readDraftRow(db);
  const toSettings = (live: Pick<LiveRow, 'version' | 'updatedAt' | 'data'>): Settings =>
    toSettingsOf(strapi, live);

  const getLive = async (): Promise<Settings | null> => {
    const live = await readLiveRow();
    return live ? toSettings(live) : null;
  };

  return {
    readLiveRow,
    readDraftRow,
    columnsOf: () => store().columnsOf(),
    toSettings,
    getLive,

    /** REST PUT: publishes only the fields sent, on top of the live version; the draft keeps its other changes. */
    update(data: Record<string, unknown>, options: WriteOptions): Promise<SettingsCommitResult> {
      return commit({
        write: { kind: 'patch', data },
        changeType: 'update',
        ...options,
      });
    },

    /** Publishes the draft as it is. */
    publishDraft(options: WriteOptions): Promise<SettingsCommitResult> {
      return commit({
        write: { kind: 'publish-draft', data: {} },
        changeType: 'update',
        ...options,
      });
    },

    /** Writes a full snapshot back as a new `rollback` version, the draft included. */
    restore(
      data: Record<string, unknown>,
      restoredFrom: number,
      options: WriteOptions
    ): Promise<SettingsCommitResult> {
      return commit({
        write: { kind: 'replace', data },
        changeType: 'rollback',
        restoredFrom,
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
        await commit({
          write: { kind: 'create', data: { ...DEFAULT_SETTINGS } },
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
