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
import type { ChainRow, Checkpoint } from './types';

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

export const sha256Hex = (data: string | Buffer): string =>
  createHash('sha256').update(data).digest('hex');

const hmacHex = (secret: string, message: string): string =>
  createHmac('sha256', secret).update(message).digest('hex');

/** A short, public name for a key: tells which key signed a row without revealing it. */
export const keyIdOf = (secret: string): string =>
  hmacHex(secret, 'platform-settings history key id').slice(0, 16);

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
});

export const rowMac = (secret: string, previousMac: string, row: ChainRow): string =>
  hmacHex(secret, canonicalJson({ kind: 'history-row', previousMac, row: signedRowFields(row) }));

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
