/**
 * The history's tamper evidence: every row carries an HMAC-SHA256, under the
 * server's signing key, of its immutable fields and the previous row's MAC, so
 * nobody without the key can edit, insert or recompute a row unnoticed.
 * Checkpoints (left by archiving) are signed the same way.
 *
 * Pure functions only (no Strapi, no database): the plugin, the operations
 * scripts and the offline verifier all sign and check with this one file.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ChainHead, ChainRow, Checkpoint } from './types';

/** What version 1 chains from. */
export const GENESIS_MAC = '';

/** `signedWith` of rows written before the chain was keyed (plain sha256, see `legacyRowHash`). */
export const LEGACY_SCHEME = 'sha256';

/** JSON with object keys sorted at every depth, so equal values always sign equally. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const entries = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${entries.join(',')}}`;
};

const hmacHex = (secret: string, message: string): string =>
  createHmac('sha256', secret).update(message).digest('hex');

/** A short, public name for a key: tells which key signed a row without revealing it. */
export const keyIdOf = (secret: string): string =>
  hmacHex(secret, 'platform-settings history key id').slice(0, 16);

/**
 * The MAC formats a row or checkpoint may name. Format 1 (rows written before
 * formats were named, `macFormat` null) signs the fields below; format 2 signs
 * the same plus `macFormat` itself, so a row can never be read under another
 * format than the one it was signed with. A later format that signs new fields
 * (a type, an approver) adds a number here; old rows keep verifying under theirs.
 */
export const MAC_FORMATS = [1, 2] as const;
export type MacFormat = (typeof MAC_FORMATS)[number];
/** The format new rows, checkpoints and heads are signed with. */
export const CURRENT_MAC_FORMAT: MacFormat = 2;

/** The format a stored record names (null: written before formats were named). */
export const macFormatOf = (stored: number | null | undefined): MacFormat | null => {
  const format = stored ?? 1;
  return (MAC_FORMATS as readonly number[]).includes(format) ? (format as MacFormat) : null;
};

/** Every stored field of a row that must never change (pins are annotations and stay outside). */
const signedRowFields = (row: ChainRow) => ({
  version: row.version,
  changeType: row.changeType,
  data: row.data,
  changedFields: row.changedFields,
  restoredFrom: row.restoredFrom,
  author: row.author,
  note: row.note,
  schemaVersion: row.schemaVersion,
  createdAt: row.createdAt,
  idempotencyKey: row.idempotencyKey,
  requestHash: row.requestHash,
  ...(row.macFormat != null && row.macFormat >= 2 ? { macFormat: row.macFormat } : {}),
});

/** The row's MAC under `secret`, in the format the row names ('' for a format this code does not know). */
export const rowMac = (secret: string, previousMac: string, row: ChainRow): string =>
  macFormatOf(row.macFormat) === null
    ? ''
    : hmacHex(
        secret,
        canonicalJson({ kind: 'history-row', previousMac, row: signedRowFields(row) })
      );

export const checkpointMac = (secret: string, checkpoint: Checkpoint): string =>
  hmacHex(
    secret,
    canonicalJson({
      kind: 'checkpoint',
      fromVersion: checkpoint.fromVersion,
      toVersion: checkpoint.toVersion,
      prevMac: checkpoint.prevMac,
      lastMac: checkpoint.lastMac,
      fileDigest: checkpoint.fileDigest,
      fileName: checkpoint.fileName,
      rowCount: checkpoint.rowCount,
      rowsKeyId: checkpoint.rowsKeyId,
      archivedAt: checkpoint.archivedAt,
      ...(checkpoint.macFormat != null && checkpoint.macFormat >= 2
        ? { macFormat: checkpoint.macFormat }
        : {}),
    })
  );

/**
 * The chain head's signature: the newest version, its MAC, the key that signs
 * new rows and the chain's events (adoptions, rotations, restore epochs), so
 * nobody without the key can move the head, add or drop an event, or name
 * another key.
 */
export const headSignature = (secret: string, head: Omit<ChainHead, 'signature'>): string =>
  hmacHex(
    secret,
    canonicalJson({
      kind: 'chain-head',
      macFormat: head.macFormat,
      version: head.version,
      mac: head.mac,
      keyId: head.keyId,
      events: head.events,
    })
  );

/**
 * The unkeyed hash of releases before the keyed chain. Only ever checked, to
 * adopt rows that such a release wrote (upgrade) — never written.
 */
export const legacyRowHash = (previousHash: string, row: ChainRow): string =>
  createHash('sha256')
    .update(previousHash)
    .update(
      canonicalJson({
        version: row.version,
        changeType: row.changeType,
        data: row.data,
        author: row.author,
        note: row.note ?? null,
        createdAt: row.createdAt,
      })
    )
    .digest('hex');
