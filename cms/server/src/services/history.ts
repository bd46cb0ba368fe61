/**
 * The immutable version history: append (only from the versioning service,
 * inside its transaction), read, pin, and verify the hash chain.
 */
import type { Core } from '@strapi/strapi';
import type {
  VerifyHistory,
  ChangeAuthor,
  ChangeType,
  HistoryEntry,
  Pagination,
} from '../../../shared/contracts/settings';
import { HISTORY_UID, SETTINGS_SCHEMA_VERSION } from '../utils/constants';
import { GENESIS_HASH, historyRowHash } from '../utils/hash';

export interface NewHistoryRow {
  version: number;
  changeType: ChangeType;
  data: Record<string, unknown>;
  changedFields: string[];
  restoredFrom: number | null;
  author: ChangeAuthor;
  note: string | null;
  updatedAt: unknown;
  idempotency?: { key: string; requestHash: string };
}

type HistoryRow = Record<string, unknown>;

const toIso = (value: unknown): string => new Date(value as string | number | Date).toISOString();

const parseJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

export const toHistoryEntry = (row: HistoryRow): HistoryEntry => ({
  version: Number(row.version),
  changeType: row.changeType as ChangeType,
  data: parseJson<Record<string, unknown>>(row.data),
  changedFields: parseJson<string[]>(row.changedFields) ?? [],
  restoredFrom: row.restoredFrom == null ? null : Number(row.restoredFrom),
  author: parseJson<ChangeAuthor>(row.author),
  note: (row.note as string | null) ?? null,
  schemaVersion: Number(row.schemaVersion),
  pinned: Boolean(row.pinned),
  pinLabel: (row.pinLabel as string | null) ?? null,
  hash: row.hash as string,
  createdAt: toIso(row.createdAt),
});

const VERIFY_BATCH = 500;

export const createHistoryService = ({ strapi }: { strapi: Core.Strapi }) => {
  const query = () => strapi.db.query(HISTORY_UID);

  return {
    /** Must run inside the versioning transaction, after the writer lock is held. */
    async append(row: NewHistoryRow): Promise<HistoryEntry> {
      const previous = (await query().findOne({
        select: ['hash'],
        orderBy: { version: 'desc' },
      })) as HistoryRow | null;
      const createdAt = toIso(row.updatedAt ?? Date.now());
      const hash = historyRowHash((previous?.hash as string) ?? GENESIS_HASH, {
        version: row.version,
        changeType: row.changeType,
        data: row.data,
        author: row.author,
        note: row.note,
        createdAt,
      });
      const created = (await query().create({
        data: {
          documentId: `v${row.version}`,
          version: row.version,
          changeType: row.changeType,
          data: row.data,
          changedFields: row.changedFields,
          restoredFrom: row.restoredFrom,
          author: row.author,
          note: row.note,
          schemaVersion: SETTINGS_SCHEMA_VERSION,
          hash,
          pinned: false,
          idempotencyKey: row.idempotency?.key ?? null,
          requestHash: row.idempotency?.requestHash ?? null,
          createdAt: new Date(createdAt),
          updatedAt: new Date(createdAt),
          publishedAt: new Date(createdAt),
        },
      })) as HistoryRow;
      return toHistoryEntry(created);
    },

    async list({ page, pageSize, pinned }: { page: number; pageSize: number; pinned?: boolean }) {
      const where = pinned === undefined ? {} : { pinned };
      const [rows, total] = await Promise.all([
        query().findMany({
          where,
          orderBy: { version: 'desc' },
          offset: (page - 1) * pageSize,
          limit: pageSize,
        }),
        query().count({ where }),
      ]);
      const pagination: Pagination = {
        page,
        pageSize,
        pageCount: Math.ceil(total / pageSize),
        total,
      };
      return { entries: (rows as HistoryRow[]).map(toHistoryEntry), pagination };
    },

    /** The change an Idempotency-Key already made, with the hash of the request that made it. */
    async findByIdempotencyKey(
      key: string
    ): Promise<{ entry: HistoryEntry; requestHash: string } | null> {
      const row = (await query().findOne({ where: { idempotencyKey: key } })) as HistoryRow | null;
      return row ? { entry: toHistoryEntry(row), requestHash: row.requestHash as string } : null;
    },

    async get(version: number): Promise<HistoryEntry | null> {
      const row = (await query().findOne({ where: { version } })) as HistoryRow | null;
      return row ? toHistoryEntry(row) : null;
    },

    async setPinned(
      version: number,
      pinned: boolean,
      label: string | null
    ): Promise<HistoryEntry | null> {
      const updated = (await query().update({
        where: { version },
        data: { pinned, pinLabel: pinned ? label : null },
      })) as HistoryRow | null;
      return updated ? toHistoryEntry(updated) : null;
    },

    /**
     * Walks the chain oldest first, in batches by version. The oldest row still
     * present is the anchor (older ones may have been archived), so its stored
     * hash is taken as given; a gap left by archiving (pinned versions are kept
     * while their neighbours go) starts a new anchor and is counted in `gaps`.
     */
    async verify(): Promise<VerifyHistory.Response['data']> {
      let previous: HistoryEntry | null = null;
      let checked = 0;
      let gaps = 0;
      for (;;) {
        const rows = (await query().findMany({
          where: previous ? { version: { $gt: previous.version } } : {},
          orderBy: { version: 'asc' },
          limit: VERIFY_BATCH,
        })) as HistoryRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          const entry = toHistoryEntry(row);
          const continuesChain = previous !== null && entry.version === previous.version + 1;
          if (previous !== null && !continuesChain) gaps += 1;
          const isAnchor = !continuesChain && entry.version !== 1;
          const expected = historyRowHash(continuesChain ? previous!.hash : GENESIS_HASH, entry);
          if (!isAnchor && expected !== entry.hash) {
            return {
              ok: false,
              versions: checked,
              brokenAt: entry.version,
              reason: 'hash does not match the row content',
            };
          }
          previous = entry;
          checked += 1;
        }
      }
      return gaps > 0 ? { ok: true, versions: checked, gaps } : { ok: true, versions: checked };
    },
  };
};

export type HistoryService = ReturnType<typeof createHistoryService>;
