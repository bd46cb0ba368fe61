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

/** The type's content with the version it is (or, for a draft, is based on). */
const typeContent = (description: string) =>
  z.looseObject({ version: versionNumber }).meta({ description });

export const typeDraftResponse = z
  .object({
    data: typeContent(
      'The draft’s content (the published one when no draft differs); `version`: the published version it is based on (0 before the first publish).'
    ),
    meta: z.object({
      status: z.literal('draft'),
      liveVersion: versionNumber,
      changed: z
        .boolean()
        .meta({ description: 'Whether the draft differs from what is published' }),
      diff: z.array(fieldDiff).meta({ description: 'What publishing the draft would change.' }),
    }),
  })
  .meta({ id: 'TypeDraft', description: 'The draft of a versioned type and its diff.' });

export const typePublishResponse = z
  .object({
    data: typeContent('The published content as publishing left it, and its version.'),
    meta: z.object({
      changed: z
        .boolean()
        .meta({ description: 'false: the draft equalled what is published; no version' }),
      changedFields: z.array(z.string()),
    }),
  })
  .meta({ id: 'TypePublishResult', description: 'The content as publishing left it.' });

export const typePublishDryRun = z
  .object({
    data: z.object({ diff: z.array(fieldDiff) }),
    meta: z.object({ liveVersion: versionNumber }),
  })
  .meta({
    id: 'TypePublishDryRun',
    description: 'With ?dryRun=true: what publishing would change.',
  });

export const typePublishAnswer = z.union([typePublishResponse, typePublishDryRun]);

export const typePreviewVersionResponse = z
  .object({
    data: typeContent('The content of that version.'),
    meta: z.object({ status: z.literal('version'), version: versionNumber }),
  })
  .meta({
    id: 'TypePreviewVersion',
    description: 'One version of a type, as the site renders it.',
  });
