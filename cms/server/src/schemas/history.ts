/**
 * The history API's parameters and answers. The version and paging parameters are
 * strings on the wire; each schema checks the exact text (no `1e3`, `0x10`, ` 1`)
 * before it becomes a number, and the document shows the number it becomes.
 * Answers are checked against the shared contract types (`satisfies`).
 */
import { z } from 'zod';
import type {
  GetHistoryEntry,
  HistoryEntry,
  ListHistory,
  VerifyHistory,
} from '../../../shared/contracts/settings';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../utils/constants';
import { versionNumber } from './settings';

const positiveWholeNumber = z
  .string({ error: 'must be a positive whole number' })
  .regex(/^[1-9][0-9]{0,15}$/, { error: 'must be a positive whole number' })
  .transform(Number);

/** `:version` in a path: a positive whole number. */
export const versionParam = positiveWholeNumber
  .pipe(z.number().int({ error: 'is too large' }).min(1))
  .meta({ description: 'A version number (1 is the first).' });

export const listHistoryQuery = {
  page: positiveWholeNumber
    .pipe(z.number().int({ error: 'is too large' }).min(1))
    .default(1)
    .meta({ description: 'Page number, from 1.' }),
  pageSize: positiveWholeNumber
    .pipe(
      z
        .number()
        .int({ error: 'is too large' })
        .min(1)
        .max(MAX_PAGE_SIZE, { error: `must be at most ${MAX_PAGE_SIZE}` })
    )
    .default(DEFAULT_PAGE_SIZE)
    .meta({ description: 'Entries per page.' }),
  pinned: z
    .stringbool({
      truthy: ['true'],
      falsy: ['false'],
      case: 'sensitive',
      error: 'must be true or false',
    })
    .optional()
    .meta({ description: 'Only pinned (true) or only unpinned (false) versions.' }),
};

export const historyEntry = z
  .object({
    version: versionNumber,
    changeType: z.enum(['create', 'update', 'rollback']),
    data: z.record(z.string(), z.unknown()).meta({
      description: 'Every editable field right after the change, as the schema then had them.',
    }),
    changedFields: z.array(z.string()),
    restoredFrom: versionNumber
      .nullable()
      .meta({ description: 'The version a rollback restored.' }),
    author: z.object({
      kind: z.enum(['founder-key', 'admin', 'system', 'api-token', 'user']),
      id: z.union([z.number(), z.string()]).optional(),
      name: z.string().optional(),
    }),
    note: z.string().nullable(),
    schemaVersion: z.number().int().min(0),
    pinned: z.boolean(),
    pinLabel: z.string().nullable(),
    hash: z
      .string()
      .meta({ description: "The row's MAC (HMAC-SHA256 over it and the previous row's MAC)." }),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .meta({
    id: 'HistoryEntry',
    description: 'One immutable version. Pins are annotations, outside the signed fields.',
  }) satisfies z.ZodType<HistoryEntry>;

const pagination = z.object({
  page: z.number().int().min(1),
  pageSize: z.number().int().min(1),
  pageCount: z.number().int().min(0),
  total: z.number().int().min(0),
});

export const listHistoryResponse = z.object({
  data: z.array(historyEntry).meta({ description: 'Newest first.' }),
  meta: z.object({
    pagination,
    liveVersion: z.number().int().min(0).meta({ description: '0 before the settings exist.' }),
  }),
}) satisfies z.ZodType<ListHistory.Response>;

export const historyEntryResponse = z.object({
  data: historyEntry,
  meta: z.object({}),
}) satisfies z.ZodType<GetHistoryEntry.Response>;

const breakReason = z.enum([
  'missing',
  'altered',
  'forged-gap',
  'head-mismatch',
  'live-mismatch',
  'wrong-key',
  'unsigned',
  'head-missing',
]);

const chainEvent = z
  .object({
    kind: z.enum(['adopt', 'rotate', 'restore-epoch']),
    at: z.string(),
    atVersion: z.number().int().min(0),
    fromKeyId: z.string().optional(),
    toKeyId: z.string().optional(),
    resigned: z
      .object({ from: z.number().int().min(0), to: z.number().int().min(0) })
      .nullable()
      .optional(),
    trusted: z.boolean().optional(),
    note: z.string().optional(),
  })
  .meta({ id: 'ChainEvent' });

export const verifyResponse = z.object({
  data: z
    .discriminatedUnion('ok', [
      z.object({
        ok: z.literal(true),
        versions: z.number().int().min(0).meta({ description: 'History rows checked.' }),
        archived: z.object({
          versions: z.number().int().min(0),
          checkpoints: z.number().int().min(0),
        }),
        head: z.object({ version: z.number().int().min(0), mac: z.string() }),
        keyId: z.string().meta({ description: 'Public id of the key the chain is signed with.' }),
        events: z.array(chainEvent).meta({
          description: 'Adoptions, key rotations and restore epochs, oldest first.',
        }),
      }),
      z.object({
        ok: z.literal(false),
        versions: z.number().int().min(0),
        brokenAt: z
          .number()
          .int()
          .min(0)
          .meta({ description: 'The first version that is not what the chain proves.' }),
        reason: breakReason,
        message: z.string(),
      }),
    ])
    .meta({ id: 'VerifyReport' }),
  meta: z.object({}),
}) satisfies z.ZodType<VerifyHistory.Response>;
