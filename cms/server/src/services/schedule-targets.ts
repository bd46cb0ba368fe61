/**
 * What a schedule does to the type it changes, for each versioned type: the
 * kinds it may have, what it would change if it ran now, the checks its data
 * passes again when it runs, and the commit it runs. The schedules service
 * (schedules.ts) does everything else — claiming, signing, late runs, the
 * author's permissions, recording the outcome — the same for every type.
 *
 *   settings     publish the draft, roll back, or a patch of its own
 *   other types  publish the draft, or roll back (references resolved as the
 *                type's rollback route resolves them, services/type-rollback.ts)
 */
import type { Core } from '@strapi/strapi';
import type { FieldDiff, Schedule } from '../../../shared/contracts/settings';
import { diffSnapshots } from '../utils/diff';
import { errors, fieldError, unprocessable, type FieldError } from '../utils/errors';
import { editableFieldNames } from '../utils/fields';
import { getService } from '../utils/get-service';
import { checkSettingsData } from '../validation/settings';
import { attributeDiff } from '../stores/snapshot';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';
import { asUnprocessable } from './type-rollback';
import type { AnyCommitResult, CommitRequest } from './versioning';

/** Who and why, and the run's preconditions: everything of a commit request but the write. */
export type RunOptions = Pick<
  CommitRequest<unknown>,
  'author' | 'note' | 'ifVersion' | 'idempotency' | 'inTransaction'
>;

/** A due schedule, ready to commit; `remark` is added to the message its row records. */
export interface PreparedRun {
  remark: string;
  commit(options: RunOptions): Promise<AnyCommitResult>;
}

export interface ScheduleTarget {
  type: VersionedType;
  kinds: readonly Schedule['kind'][];
  /** A patch's data, checked like a PUT's (the settings only). */
  checkPatch(data: Record<string, unknown>, path: string[]): FieldError[];
  versionExists(version: number): Promise<boolean>;
  /** What the schedule would change if it ran now (empty when that cannot be told). */
  preview(schedule: Schedule): Promise<FieldDiff[]>;
  /** The data checks a schedule passes again when it runs (422 when no longer valid). */
  recheck(schedule: Schedule): Promise<void>;
  prepare(schedule: Schedule): Promise<PreparedRun>;
}

const settingsTarget = (strapi: Core.Strapi): ScheduleTarget => ({
  type: SETTINGS_TYPE,
  kinds: ['publish', 'rollback', 'patch'],
  checkPatch: checkSettingsData,
  versionExists: async (version) => Boolean(await getService('history').get(version)),

  async preview(schedule) {
    const settings = getService('settings');
    const live = await settings.readLiveRow();
    if (!live) return [];
    const fields = editableFieldNames(strapi);
    switch (schedule.kind) {
      case 'publish': {
        const draft = await settings.readDraftRow();
        return diffSnapshots(fields, live.data, draft?.data ?? live.data);
      }
      case 'patch':
        return diffSnapshots(fields, live.data, { ...live.data, ...(schedule.data ?? {}) });
      case 'rollback':
        return (await getService('rollback').plan(schedule.targetVersion!)).diff;
    }
  },

  async recheck(schedule) {
    if (schedule.kind === 'publish') {
      // The draft is not signed: what it holds now is checked like a PUT's data.
      const draft = await getService('settings').readDraftRow();
      const problems = draft ? checkSettingsData(draft.data, ['draft']) : [];
      if (problems.length > 0) throw unprocessable('Invalid draft', problems);
    }
    if (schedule.kind === 'patch') {
      const data = schedule.data;
      const problems =
        typeof data === 'object' && data !== null && !Array.isArray(data)
          ? checkSettingsData(data, ['data'])
          : [fieldError('data', 'must be an object with at least one settings field')];
      if (problems.length > 0) throw unprocessable('Invalid schedule data', problems);
    }
  },

  async prepare(schedule) {
    const settings = getService('settings');
    switch (schedule.kind) {
      case 'publish':
        return { remark: '', commit: (options) => settings.publishDraft(options) };
      case 'patch':
        return { remark: '', commit: (options) => settings.update(schedule.data ?? {}, options) };
      case 'rollback': {
        const plan = await getService('rollback').plan(schedule.targetVersion!);
        return {
          remark: '',
          commit: (options) => settings.restore(plan.data, schedule.targetVersion!, options),
        };
      }
    }
  },
});

type Documents = { publish(params: { documentId: string }): Promise<unknown> };

const documentTypeTarget = (strapi: Core.Strapi, type: VersionedType): ScheduleTarget => ({
  type,
  kinds: ['publish', 'rollback'],
  checkPatch: () => [fieldError('kind', `a patch is for the settings only`)],
  versionExists: async (version) => Boolean(await getService('history').of(type).get(version)),

  async preview(schedule) {
    if (schedule.kind === 'rollback') {
      return (await getService('typeRollback').plan(type, schedule.targetVersion!)).diff;
    }
    const store = getService('versioning').store(type);
    const [live, draft] = await Promise.all([store.readLive(), store.readDraft()]);
    return live && draft ? attributeDiff(live.data, draft.data) : [];
  },

  // Strapi's own validation checks the draft or the restored version when it is published.
  recheck: async () => undefined,

  async prepare(schedule) {
    if (schedule.kind === 'rollback') {
      const plan = await getService('typeRollback').plan(type, schedule.targetVersion!);
      const remark =
        plan.missing.length === 0
          ? ''
          : `; left empty, as they no longer exist: ${plan.missing.map((missing) => missing.path).join(', ')}`;
      return {
        remark,
        commit: (options) => getService('typeRollback').restore(type, plan, options),
      };
    }
    return {
      remark: '',
      async commit(options) {
        try {
          return await getService('versioning').commit(type, {
            ...options,
            changeType: 'update',
            // The draft as it is under the type's lock, published as an editor's "Publish" would
            // (inside the commit, so the document-service middleware lets it through).
            write: async (store) => {
              const draft = await store.readDraft();
              if (!draft) throw new errors.NotFoundError(`${type.displayName} has no draft`);
              const documents = strapi.documents(type.uid as never) as unknown as Documents;
              await documents.publish({ documentId: draft.documentId });
            },
          });
        } catch (error) {
          throw asUnprocessable(error, `The draft of ${type.displayName} cannot be published`);
        }
      },
    };
  },
});

/** The target of each versioned type, by uid; made once per type. */
export const createScheduleTargets = (strapi: Core.Strapi) => {
  const targets = new Map<string, ScheduleTarget>();
  return (type: VersionedType): ScheduleTarget => {
    let target = targets.get(type.uid);
    if (!target) {
      target = type.isSettings ? settingsTarget(strapi) : documentTypeTarget(strapi, type);
      targets.set(type.uid, target);
    }
    return target;
  };
};
