/**
 * The answers of another versioned type's routes (the home page's) that differ
 * from the settings': a rollback answers the type's snapshot, not the settings,
 * and names the media and relations it could not restore. The history and
 * verify answers are the settings' schemas (schemas/history.ts): the same rows,
 * the same report. The public GET's body: type-document.ts.
 */
import { z } from 'zod';
import type { MissingReference } from '../stores/document-store';
import { fieldDiff } from './rollback';
import { versionNumber } from './settings';

const skippedFields = z
  .array(z.string())
  .meta({ description: 'Fields of the snapshot that the schema no longer has.' });

const missingReference = z
  .object({
    path: z.string().meta({ description: 'Where in the snapshot, e.g. `seo.shareImage`.' }),
    target: z.string().meta({ description: 'The content type, e.g. `plugin::upload.file`.' }),
    documentId: z.string(),
  })
  .meta({
    id: 'MissingReference',
    description:
      'A media file or related document the snapshot names that no longer exists or is not published: left empty in the restore.',
  }) satisfies z.ZodType<MissingReference>;

const rollbackMeta = {
  restoredFrom: versionNumber,
  skippedFields,
  missingReferences: z.array(missingReference),
};

export const typeRollbackResponse = z
  .object({
    data: z
      .looseObject({ version: versionNumber })
      .meta({ description: 'The published content as the rollback left it, and its version.' }),
    meta: z.object(rollbackMeta),
  })
  .meta({ id: 'TypeRollbackResult', description: 'The content as the rollback left it.' });

export const typeRollbackDryRun = z
  .object({
    data: z.object({ diff: z.array(fieldDiff) }),
    meta: z.object({ ...rollbackMeta, liveVersion: versionNumber }),
  })
  .meta({
    id: 'TypeRollbackDryRun',
    description: 'With ?dryRun=true: what the rollback would change.',
  });

export const typeRollbackAnswer = z.union([typeRollbackResponse, typeRollbackDryRun]);
