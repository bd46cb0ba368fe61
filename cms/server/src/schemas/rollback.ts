/** Rolling back to a version: the request and both answers (the rollback, the dry run). */
import { z } from 'zod';
import type { Rollback } from '../../../shared/contracts/settings';
import { note, settings, versionNumber } from './settings';

export const rollbackQuery = {
  dryRun: z
    .stringbool({
      truthy: ['true', '1'],
      falsy: ['false', '0'],
      case: 'sensitive',
      error: 'must be true or false',
    })
    .optional()
    .meta({ description: '`true` (or `1`): only show what would change, and write nothing.' }),
};

/** `{ note? }`, or no body at all. */
export const rollbackBody = z
  .strictObject(
    { note },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'is not allowed; only "note" may be sent'
          : 'must be a JSON object like { "note": "..." }',
    }
  )
  .nullable()
  .optional();

const skippedFields = z
  .array(z.string())
  .meta({ description: 'Fields of the snapshot that the schema no longer has.' });

export const rollbackResponse = z
  .object({
    data: settings,
    meta: z.object({ restoredFrom: versionNumber, skippedFields }),
  })
  .meta({ id: 'RollbackResult', description: 'The settings as the rollback left them.' });

/** One field's change: what it is, what it would become. */
export const fieldDiff = z
  .object({ field: z.string(), from: z.unknown(), to: z.unknown() })
  .meta({ id: 'FieldDiff' });

export const dryRunResponse = z
  .object({
    data: z.object({ diff: z.array(fieldDiff) }),
    meta: z.object({
      restoredFrom: versionNumber,
      skippedFields,
      defaultedFields: z.array(z.string()).meta({
        description: 'Switches the old snapshot left empty: restored as their default.',
      }),
      discardedDraftChanges: z.array(fieldDiff).meta({
        description: 'Unpublished changes in the draft that the rollback would discard.',
      }),
      liveVersion: versionNumber,
    }),
  })
  .meta({
    id: 'RollbackDryRun',
    description: 'With ?dryRun=true: what the rollback would change.',
  }) satisfies z.ZodType<Rollback.DryRunResponse>;

export const rollbackAnswer = z.union([rollbackResponse, dryRunResponse]);
