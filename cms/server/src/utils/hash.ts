/**
 * Tamper evidence for the history: each row's hash covers the previous row's
 * hash plus a canonical JSON of this row, so editing any row breaks the chain
 * from that row on.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so equal values hash equally. */
export const canonicalJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.keys(value as Record<string, unknown>)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map(
      (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`
    );
  return `{${entries.join(',')}}`;
};

export interface HashedFields {
  version: number;
  changeType: string;
  data: unknown;
  author: unknown;
  note: string | null;
  createdAt: string;
}

export const GENESIS_HASH = '';

export const historyRowHash = (previousHash: string, row: HashedFields): string =>
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
