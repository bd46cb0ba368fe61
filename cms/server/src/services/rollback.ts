/**
 * Restoring an old version as a new one. Snapshots may predate the current
 * schema: fields that no longer exist are skipped (and reported), fields added
 * since keep their live value, a switch an old snapshot left empty (null) takes
 * its default (and is reported), and the result is validated like a PUT. The
 * draft becomes the restored version too: its unpublished changes are
 * discarded (and listed in the dry run), so a later publish cannot undo the
 * rollback by accident.
 */
import type { Core } from '@strapi/strapi';
import type { FieldDiff } from '../../../shared/contracts/settings';
import { fieldDefinition } from '../../../shared/settings-fields';
import { diffSnapshots } from '../utils/diff';
import { editableFieldNames } from '../utils/fields';
import { conflict, errors, unprocessable } from '../utils/errors';
import { checkComplete, checkSettingsData } from '../validation/settings';
import { getService } from '../utils/get-service';
import type { WriteOptions } from './settings';
import type { SettingsCommitResult } from './versioning';

export interface RollbackPlan {
  restoredFrom: number;
  liveVersion: number;
  data: Record<string, unknown>;
  diff: FieldDiff[];
  skippedFields: string[];
  /** Switches the snapshot left empty, restored as their default. */
  defaultedFields: string[];
  /** Changes waiting in the draft that the rollback replaces. */
  discardedDraftChanges: FieldDiff[];
}

export const createRollbackService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async plan(version: number): Promise<RollbackPlan> {
    const [entry, live, draft] = await Promise.all([
      getService('history').get(version),
      getService('settings').getLive(),
      getService('settings').readDraftRow(),
    ]);
    if (!entry) throw new errors.NotFoundError(`Version ${version} does not exist`);
    if (!live) throw new errors.NotFoundError('Platform settings have not been created yet');
    // Never publish again a snapshot that was edited behind the API's back, or one
    // that cannot be checked (signed with a key this server does not have).
    const integrity = await getService('chain').rowIntegrity(version);
    if (integrity === 'altered') {
      throw conflict(
        `Version ${version} does not match its signature: it was changed outside the API and cannot be restored. See GET /api/platform-settings/history/verify.`,
        { version, integrity }
      );
    }
    if (integrity === 'unknown-key') {
      throw conflict(
        `Version ${version} is signed with a key this server does not have, so it cannot be checked before it is restored. Set the HISTORY_SIGNING_KEY it was signed with, or re-sign the history (npm run history:resign; see the runbook).`,
        { version, integrity }
      );
    }

    const fields = editableFieldNames(strapi);
    const liveData = live as unknown as Record<string, unknown>;
    const data: Record<string, unknown> = {};
    const defaultedFields: string[] = [];
    for (const field of fields) {
      data[field] = field in entry.data ? entry.data[field] : liveData[field];
      const definition = fieldDefinition(field);
      if (data[field] === null && definition?.type === 'boolean') {
        data[field] = definition.default;
        defaultedFields.push(field);
      }
    }
    const skippedFields = Object.keys(entry.data).filter((field) => !fields.includes(field));

    const fieldErrors = [...checkSettingsData(data, ['data']), ...checkComplete(data, ['data'])];
    if (fieldErrors.length > 0) {
      throw unprocessable(
        `Version ${version} cannot be restored: it is not valid under the current schema`,
        fieldErrors
      );
    }
    return {
      restoredFrom: version,
      liveVersion: live.version,
      data,
      diff: diffSnapshots(fields, liveData, data),
      skippedFields,
      defaultedFields,
      discardedDraftChanges: draft ? diffSnapshots(fields, liveData, draft.data) : [],
    };
  },

  async execute(
    version: number,
    options: WriteOptions
  ): Promise<{ result: SettingsCommitResult; plan: RollbackPlan }> {
    const plan = await this.plan(version);
    const result = await getService('settings').restore(plan.data, version, options);
    return { result, plan };
  },
});

export type RollbackService = ReturnType<typeof createRollbackService>;
