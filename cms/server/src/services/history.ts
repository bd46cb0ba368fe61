/**
 * The immutable version history: append (only from `versioning.commit`, inside
 * its transaction and under the writer lock), read, page, pin, and the results
 * Idempotency-Keys already produced. Verify lives with the chain (`chain.ts`).
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type {
  ChangeAuthor,
  ChangeType,
  HistoryEntry,
  Pagination,
} from '../../../shared/contracts/settings';
import {
  CURRENT_MAC_FORMAT,
  rowFromDb,
  rowMac,
  rowToDb,
  type ChainHead,
  type ChainRow,
} from '../chain';
import { SETTINGS_SCHEMA_VERSION } from '../utils/constants';
import { getService } from '../utils/get-service';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';

export interface NewHistoryRow {
  version: number;
  changeType: ChangeType;
  data: Record<string, unknown>;
  changedFields: string[];
  restoredFrom: number | null;
  author: ChangeAuthor;
  note: string | null;
  createdAt: string;
  idempotency?: { key: string; requestHash: string };
}

export const toHistoryEntry = (row: ChainRow): HistoryEntry => ({
  version: row.version,
  changeType: row.changeType as ChangeType,
  data: row.data,
  changedFields: row.changedFields,
  restoredFrom: row.restoredFrom,
  author: row.author,
  note: row.note,
  schemaVersion: row.schemaVersion,
  pinned: row.pinned ?? false,
  pinLabel: row.pinLabel ?? null,
  hash: row.hash,
  createdAt: row.createdAt,
});

export const createHistoryService = ({ strapi }: { strapi: Core.Strapi }) => {
  const connection = () => strapi.db.connection as unknown as Knex;

  /** The history of one versioned type, in its own tables. */
  const historyFor = (type: VersionedType) => {
    const HISTORY_TABLE = type.tables.history;
    const IDEMPOTENCY_TABLE = type.tables.idempotency;

    const findRow = async (db: Knex, where: Record<string, unknown>) => {
      const raw = await db(HISTORY_TABLE).where(where).first();
      return raw ? rowFromDb(raw) : null;
    };

    return {
      /** Signs the row under the current key, chained to the head, and stores it. */
      async append(trx: Knex, head: ChainHead, row: NewHistoryRow): Promise<ChainRow> {
        const unsigned: ChainRow = {
          version: row.version,
          changeType: row.changeType,
          data: row.data,
          changedFields: row.changedFields,
          restoredFrom: row.restoredFrom,
          author: row.author,
          note: row.note,
          schemaVersion: SETTINGS_SCHEMA_VERSION,
          createdAt: row.createdAt,
          idempotencyKey: row.idempotency?.key ?? null,
          requestHash: row.idempotency?.requestHash ?? null,
          hash: '',
          signedWith: null,
          macFormat: CURRENT_MAC_FORMAT,
        };
        const { current } = getService('chain').of(type).keys();
        const signed = {
          ...unsigned,
          hash: rowMac(current.secret, head.mac, unsigned),
          signedWith: current.id,
        };
        await trx(HISTORY_TABLE).insert(rowToDb(signed));
        return signed;
      },

      async list({ page, pageSize, pinned }: { page: number; pageSize: number; pinned?: boolean }) {
        const db = connection();
        const filtered = () => {
          const query = db(HISTORY_TABLE);
          if (pinned === undefined) return query;
          // Rows from before pins existed hold NULL: not pinned.
          return pinned
            ? query.where('pinned', true)
            : query.where((q) => q.where('pinned', false).orWhereNull('pinned'));
        };
        const [rows, counted] = await Promise.all([
          filtered()
            .orderBy('version', 'desc')
            .offset((page - 1) * pageSize)
            .limit(pageSize),
          filtered().count('* as total').first(),
        ]);
        const total = Number((counted as { total: number | string } | undefined)?.total ?? 0);
        const pagination: Pagination = {
          page,
          pageSize,
          pageCount: Math.ceil(total / pageSize),
          total,
        };
        return {
          entries: (rows as Record<string, unknown>[]).map((raw) => toHistoryEntry(rowFromDb(raw))),
          pagination,
        };
      },

      async get(version: number): Promise<HistoryEntry | null> {
        const row = await findRow(connection(), { version });
        return row ? toHistoryEntry(row) : null;
      },

      async setPinned(
        version: number,
        pinned: boolean,
        label: string | null
      ): Promise<HistoryEntry | null> {
        const db = connection();
        const updated = await db(HISTORY_TABLE)
          .where({ version })
          .update({ pinned, pin_label: pinned ? label : null, updated_at: new Date() });
        if (Number(updated) === 0) return null;
        return this.get(version);
      },

      /**
       * What an Idempotency-Key already did: the version it made (on its history
       * row) or, when its first use changed nothing, the version it found.
       */
      async findIdempotentResult(
        trx: Knex,
        key: string
      ): Promise<{ entry: HistoryEntry; requestHash: string; changed: boolean } | null> {
        const made = await findRow(trx, { idempotency_key: key });
        if (made)
          return { entry: toHistoryEntry(made), requestHash: made.requestHash!, changed: true };
        const unchanged = await trx(IDEMPOTENCY_TABLE).where({ idempotency_key: key }).first();
        if (!unchanged) return null;
        const found = await findRow(trx, { version: Number(unchanged.version) });
        if (!found) return null;
        return {
          entry: toHistoryEntry(found),
          requestHash: String(unchanged.request_hash),
          changed: false,
        };
      },

      /** Remembers a key whose first use changed nothing, so its retry answers the same. */
      async recordUnchanged(
        trx: Knex,
        idempotency: { key: string; requestHash: string },
        version: number
      ) {
        const now = new Date();
        await trx(IDEMPOTENCY_TABLE).insert({
          document_id: randomUUID(),
          idempotency_key: idempotency.key,
          request_hash: idempotency.requestHash,
          version,
          created_at: now,
          updated_at: now,
          published_at: now,
        });
      },
    };
  };

  const settingsHistory = historyFor(SETTINGS_TYPE);
  const typeHistories = new Map<string, ReturnType<typeof historyFor>>();
  return {
    ...settingsHistory,
    /** The history of any versioned type (the settings' own for the settings type). */
    of(type: VersionedType) {
      if (type.isSettings) return settingsHistory;
      let history = typeHistories.get(type.uid);
      if (!history) typeHistories.set(type.uid, (history = historyFor(type)));
      return history;
    },
  };
};

export type HistoryService = ReturnType<typeof createHistoryService>;
