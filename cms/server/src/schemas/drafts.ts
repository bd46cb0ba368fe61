/** The draft, publishing it, and previews: their parameters and answers. */
import { z } from 'zod';
// Answers with the settings' fields cannot be checked against the contract types (`satisfies`):
// the fields' schemas are built at run time from the content type.
import type { PublishDraft } from '../../../shared/contracts/settings';
import { fieldDiff } from './rollback';
import { settings, updateSettingsResponse, versionNumber } from './settings';

/** `?status=` on a PUT: `draft` changes only the draft. */
export const updateStatusQuery = {
  status: z.enum(['draft', 'published'], { error: 'must be draft or published' }).optional().meta({
    description:
      '`draft`: change only the draft (no version, nothing public moves); `published` (the default): a new version at once.',
  }),
};

export const draftResponse = z
  .object({
    data: settings,
    meta: z.object({
      status: z.literal('draft'),
      liveVersion: versionNumber,
      changed: z
        .boolean()
        .meta({ description: 'Whether the draft differs from the live settings' }),
      diff: z.array(fieldDiff).meta({ description: 'What publishing the draft would change.' }),
    }),
  })
  .meta({
    id: 'Draft',
    description: "The draft's fields (`version`: the live version it is based on) and its diff.",
  });

/** A PUT answers the new version, or with `?status=draft` the draft. */
export const updateOrDraftResponse = z.union([updateSettingsResponse, draftResponse]);

export const publishDryRunResponse = z
  .object({
    data: z.object({ diff: z.array(fieldDiff) }),
    meta: z.object({ liveVersion: versionNumber }),
  })
  .meta({
    id: 'PublishDryRun',
    description: 'With ?dryRun=true: what publishing would change.',
  }) satisfies z.ZodType<PublishDraft.DryRunResponse>;

export const publishAnswer = z.union([updateSettingsResponse, publishDryRunResponse]);

export const previewVersionResponse = z.object({
  data: settings,
  meta: z.object({ status: z.literal('version'), version: versionNumber }),
});
