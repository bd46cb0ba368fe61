/** The shapes the history chain is made of, as plain JSON values (the same on every database). */
import type { ChangeAuthor } from '../../../shared/contracts/settings';

/** One history row, every stored field the chain covers plus its MAC. */
export interface ChainRow {
  version: number;
  changeType: string;
  data: Record<string, unknown>;
  changedFields: string[];
  restoredFrom: number | null;
  author: ChangeAuthor;
  note: string | null;
  schemaVersion: number;
  /** ISO 8601 with milliseconds. */
  createdAt: string;
  idempotencyKey: string | null;
  requestHash: string | null;
  /** HMAC-SHA256 (hex) of the fields above and the previous row's MAC. */
  hash: string;
  /** Id of the key that made `hash`, or `sha256` for a row from before the keyed chain. */
  signedWith: string | null;
  /** Annotations outside the chain. */
  pinned?: boolean;
  pinLabel?: string | null;
}

/** Left in the database by `history:archive` in place of the rows it moved to a file. */
export interface Checkpoint {
  fromVersion: number;
  toVersion: number;
  /** MAC of the row before `fromVersion` (what the archived range chains from). */
  prevMac: string;
  /** MAC of version `toVersion` (what the row after the range chains from). */
  lastMac: string;
  /** sha256 (hex) of the archive file holding the rows; null for ranges archived before checkpoints existed. */
  fileDigest: string | null;
  fileName: string | null;
  rowCount: number;
  /** Key id the archived rows were signed with (`sha256` for legacy rows). */
  rowsKeyId: string;
  archivedAt: string;
  mac: string;
  signedWith: string;
}

/** The newest version and its MAC, kept in a row that is never deleted. */
export interface ChainHead {
  version: number;
  mac: string;
  keyId: string;
  /** Until when rows from a release before the keyed chain are adopted (rolling upgrade). */
  legacyGraceUntil: string | null;
}

export interface SigningKey {
  id: string;
  secret: string;
}

/** The key new MACs are made with, and the one they were made with before a rotation. */
export interface KeyRing {
  current: SigningKey;
  previous?: SigningKey;
}

export type { BreakReason, VerifyReport } from '../../../shared/contracts/settings';
