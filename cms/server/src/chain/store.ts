/**
 * The chain's tables, read and written with plain knex, so the plugin (inside
 * Strapi's transactions), the operations scripts and tests share one
 * implementation. Column names are Strapi's (snake_case of the attributes in
 * content-types/); values come back the same on SQLite, PostgreSQL and MySQL.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  checkpointMac,
  CURRENT_MAC_FORMAT,
  GENESIS_MAC,
  headSignature,
  LEGACY_SCHEME,
  legacyRowHash,
  rowMac,
} from './mac';
import type { ChainEvent, ChainHead, ChainRow, Checkpoint, KeyRing, SigningKey } from './types';

/**
 * The tables one versioned type's chain lives in. Each type has its own set,
 * named after the type's own table (`<collection>_history`, …), so two types
 * never share a lock, a version sequence or a head, and the operations scripts
 * keep working on one type at a time. The settings type's set is the default
 * everywhere below.
 */
export interface ChainTables {
  /** The versioned type's own table (its live and draft rows). */
  live: string;
  history: string;
  checkpoints: string;
  head: string;
  idempotency: string;
  /** PostgreSQL advisory lock every writer of this chain queues on. */
  lockKey: number;
}

// Any stable 32-bit number: the PostgreSQL advisory lock every settings writer
// has queued on since the first release (so old and new releases still exclude each other).
const SETTINGS_WRITER_LOCK_KEY = 0x5e77_1295;

/** A stable 31-bit advisory lock key per table, for types other than settings. */
const lockKeyOf = (table: string) =>
  createHash('sha256').update(`platform-settings writer ${table}`).digest().readUInt32BE(0) >>> 1;

/** The chain tables of a versioned type stored in `collection` (its `collectionName`). */
export const chainTablesFor = (collection: string): ChainTables => ({
  live: collection,
  history: `${collection}_history`,
  checkpoints: `${collection}_history_checkpoints`,
  head: `${collection}_chain_head`,
  idempotency: `${collection}_idempotency_keys`,
  lockKey: collection === 'platform_settings' ? SETTINGS_WRITER_LOCK_KEY : lockKeyOf(collection),
});

export const SETTINGS_CHAIN = chainTablesFor('platform_settings');
export const HISTORY_TABLE = SETTINGS_CHAIN.history;
export const CHECKPOINT_TABLE = SETTINGS_CHAIN.checkpoints;
export const HEAD_TABLE = SETTINGS_CHAIN.head;
export const SETTINGS_TABLE = SETTINGS_CHAIN.live;
/** `document_id` of the one head row. */
export const HEAD_DOCUMENT_ID = 'chain-head';
/** What the row after a range archived before checkpoints existed chains from. */
export const LEGACY_GAP_MAC = 'legacy-gap';

const PAGE = 500;

export type Dialect = 'postgres' | 'mysql' | 'sqlite';

export const dialectOf = (db: Knex): Dialect => {
  const client = String((db.client as { config: { client: string } }).config.client);
  if (/pg|postgres/.test(client)) return 'postgres';
  if (/mysql|maria/.test(client)) return 'mysql';
  return 'sqlite';
};

const parseJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

/** Dates come back as Date (pg, mysql2), ISO text or epoch milliseconds (SQLite). */
export const toIso = (value: unknown): string =>
  new Date(
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number)
  ).toISOString();

type RawRow = Record<string, unknown>;

export const rowFromDb = (raw: RawRow): ChainRow => ({
  version: Number(raw.version),
  changeType: String(raw.change_type),
  data: parseJson(raw.data),
  changedFields: parseJson<string[] | null>(raw.changed_fields) ?? [],
  restoredFrom: raw.restored_from == null ? null : Number(raw.restored_from),
  author: parseJson(raw.author),
  note: (raw.note as string | null) ?? null,
  schemaVersion: Number(raw.schema_version),
  createdAt: toIso(raw.created_at),
  idempotencyKey: (raw.idempotency_key as string | null) ?? null,
  requestHash: (raw.request_hash as string | null) ?? null,
  hash: String(raw.hash),
  signedWith: (raw.signed_with as string | null) ?? null,
  macFormat: raw.mac_format == null ? null : Number(raw.mac_format),
  pinned: raw.pinned === true || raw.pinned === 1,
  pinLabel: (raw.pin_label as string | null) ?? null,
});

export const rowToDb = (row: ChainRow) => {
  const at = new Date(row.createdAt);
  return {
    document_id: `v${row.version}`,
    version: row.version,
    change_type: row.changeType,
    data: JSON.stringify(row.data),
    changed_fields: JSON.stringify(row.changedFields),
    restored_from: row.restoredFrom,
    author: JSON.stringify(row.author),
    note: row.note,
    schema_version: row.schemaVersion,
    hash: row.hash,
    signed_with: row.signedWith,
    mac_format: row.macFormat ?? null,
    pinned: row.pinned ?? false,
    pin_label: row.pinLabel ?? null,
    idempotency_key: row.idempotencyKey,
    request_hash: row.requestHash,
    created_at: at,
    updated_at: at,
    published_at: at,
  };
};

export const checkpointFromDb = (raw: RawRow): Checkpoint => ({
  fromVersion: Number(raw.from_version),
  toVersion: Number(raw.to_version),
  prevMac: String(raw.prev_mac ?? ''),
  lastMac: String(raw.last_mac),
  fileDigest: (raw.file_digest as string | null) ?? null,
  fileName: (raw.file_name as string | null) ?? null,
  rowCount: Number(raw.row_count),
  rowsKeyId: String(raw.rows_key_id),
  archivedAt: toIso(raw.archived_at),
  mac: String(raw.mac),
  signedWith: String(raw.signed_with),
  macFormat: raw.mac_format == null ? null : Number(raw.mac_format),
});

const checkpointToDb = (checkpoint: Checkpoint) => {
  const now = new Date();
  return {
    document_id: `checkpoint-${checkpoint.fromVersion}`,
    from_version: checkpoint.fromVersion,
    to_version: checkpoint.toVersion,
    prev_mac: checkpoint.prevMac,
    last_mac: checkpoint.lastMac,
    file_digest: checkpoint.fileDigest,
    file_name: checkpoint.fileName,
    row_count: checkpoint.rowCount,
    rows_key_id: checkpoint.rowsKeyId,
    archived_at: new Date(checkpoint.archivedAt),
    mac: checkpoint.mac,
    signed_with: checkpoint.signedWith,
    mac_format: checkpoint.macFormat ?? null,
    created_at: now,
    updated_at: now,
    published_at: now,
  };
};

const headFromDb = (raw: RawRow): ChainHead => ({
  version: Number(raw.head_version),
  mac: String(raw.head_mac ?? ''),
  keyId: String(raw.key_id),
  events: parseJson<ChainEvent[] | null>(raw.events) ?? [],
  macFormat: raw.mac_format == null ? 0 : Number(raw.mac_format),
  signature: String(raw.signature ?? ''),
});

export const readHead = async (
  db: Knex,
  tables: ChainTables = SETTINGS_CHAIN
): Promise<ChainHead | null> => {
  const raw = await db(tables.head).where({ document_id: HEAD_DOCUMENT_ID }).first();
  return raw ? headFromDb(raw) : null;
};

/**
 * Serialises writers for the rest of the transaction and returns the head.
 * The head row is never deleted, so `FOR UPDATE` on it is a lock every
 * database holds until commit; SQLite has a single writer already.
 */
export const lockChain = async (
  trx: Knex.Transaction,
  tables: ChainTables = SETTINGS_CHAIN
): Promise<ChainHead | null> => {
  const dialect = dialectOf(trx);
  if (dialect === 'postgres') await trx.raw('select pg_advisory_xact_lock(?)', [tables.lockKey]);
  const query = trx(tables.head).where({ document_id: HEAD_DOCUMENT_ID }).first();
  if (dialect !== 'sqlite') query.forUpdate();
  const raw = await query;
  return raw ? headFromDb(raw) : null;
};

/** The head with its signature under `key` (the key that signs new rows). */
export const signHead = (
  key: SigningKey,
  head: Pick<ChainHead, 'version' | 'mac'> & { events?: ChainEvent[] }
): ChainHead => {
  const unsigned = {
    version: head.version,
    mac: head.mac,
    keyId: key.id,
    events: head.events ?? [],
    macFormat: CURRENT_MAC_FORMAT,
  };
  return { ...unsigned, signature: headSignature(key.secret, unsigned) };
};

/** Stores the head as it is (sign it first with `signHead`); creates the row on an empty database. */
export const writeHead = async (
  trx: Knex,
  head: ChainHead,
  tables: ChainTables = SETTINGS_CHAIN
) => {
  const values = {
    head_version: head.version,
    head_mac: head.mac,
    key_id: head.keyId,
    events: JSON.stringify(head.events),
    mac_format: head.macFormat,
    signature: head.signature,
    updated_at: new Date(),
  };
  const updated = await trx(tables.head).where({ document_id: HEAD_DOCUMENT_ID }).update(values);
  if (Number(updated) === 0) {
    const now = new Date();
    await trx(tables.head).insert({
      document_id: HEAD_DOCUMENT_ID,
      ...values,
      created_at: now,
      published_at: now,
    });
  }
};

export const readRowsAfter = async (
  db: Knex,
  afterVersion: number,
  limit = PAGE,
  tables: ChainTables = SETTINGS_CHAIN
) =>
  (
    (await db(tables.history)
      .where('version', '>', afterVersion)
      .orderBy('version', 'asc')
      .limit(limit)) as RawRow[]
  ).map(rowFromDb);

export const readCheckpoints = async (
  db: Knex,
  tables: ChainTables = SETTINGS_CHAIN
): Promise<Checkpoint[]> =>
  ((await db(tables.checkpoints).orderBy('from_version', 'asc')) as RawRow[]).map(checkpointFromDb);

export const insertCheckpoint = (
  trx: Knex,
  checkpoint: Checkpoint,
  tables: ChainTables = SETTINGS_CHAIN
) => trx(tables.checkpoints).insert(checkpointToDb(checkpoint));

/** Signs and stores a checkpoint for versions `fromVersion`–`toVersion`. */
export const signCheckpoint = (
  keys: KeyRing,
  fields: Omit<Checkpoint, 'mac' | 'signedWith' | 'macFormat'>
): Checkpoint => {
  const unsigned = { ...fields, macFormat: CURRENT_MAC_FORMAT, mac: '', signedWith: '' };
  return {
    ...unsigned,
    mac: checkpointMac(keys.current.secret, unsigned),
    signedWith: keys.current.id,
  };
};

/**
 * Every item of the chain from `fromVersion` on, oldest first: rows in pages
 * and the checkpoints between them, merged by version.
 */
export async function* chainItems(
  db: Knex,
  fromVersion = 1,
  tables: ChainTables = SETTINGS_CHAIN
): AsyncGenerator<{ row: ChainRow } | { checkpoint: Checkpoint }> {
  const checkpoints = (await readCheckpoints(db, tables)).filter((c) => c.toVersion >= fromVersion);
  let cursor = fromVersion - 1;
  for (;;) {
    const rows = await readRowsAfter(db, cursor, PAGE, tables);
    for (const row of rows) {
      while (checkpoints.length > 0 && checkpoints[0].fromVersion < row.version) {
        yield { checkpoint: checkpoints.shift()! };
      }
      yield { row };
    }
    if (rows.length < PAGE) break;
    cursor = rows[rows.length - 1].version;
  }
  for (const checkpoint of checkpoints) yield { checkpoint };
}

/** The MAC the chain holds just before `version` (what `version` chains from). */
export const linkBefore = async (
  db: Knex,
  version: number,
  tables: ChainTables = SETTINGS_CHAIN
): Promise<string> => {
  if (version <= 1) return GENESIS_MAC;
  const row = await db(tables.history)
    .where({ version: version - 1 })
    .first('hash');
  if (row) return String(row.hash);
  const covering = await db(tables.checkpoints)
    .where({ to_version: version - 1 })
    .first('last_mac');
  return covering ? String(covering.last_mac) : GENESIS_MAC;
};

export interface ResignOptions {
  keys: KeyRing;
  /** The type's chain (settings when absent). */
  tables?: ChainTables;
  /** The keys a version may be signed with (current, or a previous one up to its rotation). */
  keysFor: (version: number) => SigningKey[];
  /** Adopt rows that carry the unkeyed hash of an earlier release (an operator's `history:adopt`). */
  acceptLegacy?: boolean;
  /** Also vouch for rows signed with these keys (the database's development key, on adoption). */
  adoptKeys?: SigningKey[];
  /** Migrating a chain from before checkpoints: a gap becomes a legacy checkpoint. */
  legacyGaps?: boolean;
  /** Versions to take as they are (restored from a file a signed checkpoint vouches for). */
  trusted?: Set<number>;
  /** What the row after a restored range was chained from (the removed checkpoint's lastMac). */
  storedLinkAfter?: Map<number, string>;
  /** Take every row and checkpoint as it is: re-anchoring after the key was lost. */
  trustEverything?: boolean;
  /**
   * Adoption: what only adoption vouches for (legacy, development or previous
   * key) must come before the first row signed with the current key. Legitimate
   * histories look like that — the server writes nothing before it is adopted —
   * while rows rewritten behind a signed one do not.
   */
  prefixOnly?: boolean;
}

export interface ResignResult {
  /** Rows and checkpoints signed again. */
  resigned: number;
  /** The first and last version signed again, if any. */
  resignedRange: { from: number; to: number } | null;
  /** The first version that could not be vouched for (left as it was), if any. */
  stoppedAt: number | null;
  head: { version: number; mac: string };
}

/**
 * Walks the chain from `fromVersion` to the newest item and signs again, under
 * the current key, each item that does not stand as it is — after checking it
 * (a key allowed for its version, the development key or legacy hash when the
 * operator adopts, or trusted): used by the operator's commands only (adopt,
 * restore, re-anchor), never by the server on its own. An item that verifies
 * and still chains from what precedes it keeps its MAC. It never signs over a
 * break: it stops at the first item it cannot vouch for and leaves it (and
 * everything after it) as it was.
 */
export const resignFrom = async (
  trx: Knex.Transaction,
  fromVersion: number,
  options: ResignOptions
): Promise<ResignResult> => {
  const { keys } = options;
  const tables = options.tables ?? SETTINGS_CHAIN;
  let storedLink = await linkBefore(trx, fromVersion, tables);
  let newLink = storedLink;
  let next = fromVersion;
  let resigned = 0;
  let resignedRange: { from: number; to: number } | null = null;
  let stoppedAt: number | null = null;
  let trustNextAsAnchor = false;
  let signedWithCurrentSeen = false;
  const noteResigned = (from: number, to: number) => {
    resigned += 1;
    resignedRange = { from: resignedRange?.from ?? from, to };
  };

  /** 'kept' when it verifies under a key allowed for its version, 'vouched' when only adoption vouches, else null. */
  const standing = (row: ChainRow): 'kept' | 'vouched' | null => {
    if (
      options.keysFor(row.version).some((key) => rowMac(key.secret, storedLink, row) === row.hash)
    ) {
      return 'kept';
    }
    if (options.trustEverything || options.trusted?.has(row.version) || trustNextAsAnchor) {
      return 'vouched';
    }
    if ((options.adoptKeys ?? []).some((key) => rowMac(key.secret, storedLink, row) === row.hash)) {
      return 'vouched';
    }
    return options.acceptLegacy && legacyRowHash(storedLink, row) === row.hash ? 'vouched' : null;
  };

  for await (const item of chainItems(trx, fromVersion, tables)) {
    if ('checkpoint' in item) {
      const checkpoint = item.checkpoint;
      const signer = [...options.keysFor(checkpoint.toVersion), ...(options.adoptKeys ?? [])].find(
        (key) => checkpointMac(key.secret, checkpoint) === checkpoint.mac
      );
      const valid =
        checkpoint.fromVersion === next &&
        (options.trustEverything || (checkpoint.prevMac === storedLink && signer !== undefined));
      if (!valid) {
        stoppedAt = checkpoint.fromVersion;
        break;
      }
      // Only the current key vouches for checkpoints: one signed with another is signed again.
      const keep = newLink === storedLink && signer?.id === keys.current.id;
      if (!keep) {
        const resignedCheckpoint = signCheckpoint(keys, { ...checkpoint, prevMac: newLink });
        await trx(tables.checkpoints).where({ from_version: checkpoint.fromVersion }).update({
          prev_mac: resignedCheckpoint.prevMac,
          mac: resignedCheckpoint.mac,
          signed_with: resignedCheckpoint.signedWith,
          mac_format: resignedCheckpoint.macFormat,
        });
        // Under the same links only the checkpoint's own MAC changed: no version's MAC did.
        if (newLink !== storedLink) noteResigned(checkpoint.fromVersion, checkpoint.toVersion);
      }
      storedLink = newLink = checkpoint.lastMac;
      next = checkpoint.toVersion + 1;
      continue;
    }
    const { row } = item;
    if (row.version !== next) {
      // Only an unkeyed row can follow a gap an old archiver left; after a signed one it is a deletion.
      const legacyRow = row.signedWith === null || row.signedWith === LEGACY_SCHEME;
      if (!options.legacyGaps || row.version < next || !legacyRow) {
        stoppedAt = Math.min(next, row.version);
        break;
      }
      // Archived by a release that kept no checkpoints: record the gap, and take
      // the row after it as an anchor, as that release's verify did.
      await insertCheckpoint(
        trx,
        signCheckpoint(keys, {
          fromVersion: next,
          toVersion: row.version - 1,
          prevMac: newLink,
          lastMac: LEGACY_GAP_MAC,
          fileDigest: null,
          fileName: null,
          rowCount: row.version - next,
          rowsKeyId: LEGACY_SCHEME,
          archivedAt: new Date().toISOString(),
        }),
        tables
      );
      storedLink = newLink = LEGACY_GAP_MAC;
      trustNextAsAnchor = true;
      noteResigned(next, row.version - 1);
    }
    const stands = standing(row);
    const underCurrent = rowMac(keys.current.secret, storedLink, row) === row.hash;
    if (stands === null || (options.prefixOnly && signedWithCurrentSeen && !underCurrent)) {
      stoppedAt = row.version;
      break;
    }
    signedWithCurrentSeen ||= underCurrent;
    trustNextAsAnchor = false;
    let mac = row.hash;
    if (stands !== 'kept' || newLink !== storedLink) {
      const resignedRow = { ...row, macFormat: CURRENT_MAC_FORMAT };
      mac = rowMac(keys.current.secret, newLink, resignedRow);
      await trx(tables.history)
        .where({ version: row.version })
        .update({ hash: mac, signed_with: keys.current.id, mac_format: CURRENT_MAC_FORMAT });
      noteResigned(row.version, row.version);
    }
    storedLink = options.storedLinkAfter?.get(row.version) ?? row.hash;
    newLink = mac;
    next = row.version + 1;
  }
  return { resigned, resignedRange, stoppedAt, head: { version: next - 1, mac: newLink } };
};
