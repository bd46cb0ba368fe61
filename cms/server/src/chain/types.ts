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
  /** Which fields `hash` covers (see MAC_FORMATS in mac.ts); null on rows from before formats were named (1). */
  macFormat?: number | null;
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
  /** null on checkpoints from before formats were named (1). */
  macFormat?: number | null;
}

/**
 * Something an operator did to the chain with the key, kept in the signed head:
 *   adopt          rows an earlier release (unkeyed sha256), a development key or
 *                  a missing head left were checked and signed under the key
 *   rotate         from here on rows are signed with `toKeyId`; `fromKeyId` is
 *                  trusted only for versions up to `atVersion`
 *   restore-epoch  the database was restored to a backup ending at `atVersion`:
 *                  versions a witness saw after it, before `at`, were abandoned
 */
export interface ChainEvent {
  kind: 'adopt' | 'rotate' | 'restore-epoch';
  /** ISO 8601. */
  at: string;
  /** The newest version when it happened, and its MAC. */
  atVersion: number;
  atMac: string;
  fromKeyId?: string;
  toKeyId?: string;
  /** adopt: the versions signed again (their earlier MACs are superseded). */
  resigned?: { from: number; to: number } | null;
  /** adopt: signed again without verifying (history:resign after a lost key). */
  trusted?: boolean;
  note?: string;
}

/** The newest version and its MAC, kept in a row that is never deleted, signed. */
export interface ChainHead {
  version: number;
  mac: string;
  keyId: string;
  events: ChainEvent[];
  macFormat: number;
  /** HMAC of all the above under the key `keyId` names (see headSignature). */
  signature: string;
}

export interface SigningKey {
  id: string;
  secret: string;
}

/**
 * The key new MACs are made with, and the ones rows were signed with before
 * rotations (each trusted only up to the version its rotation event names).
 */
export interface KeyRing {
  current: SigningKey;
  previous: SigningKey[];
}

export type { BreakReason, VerifyReport } from '../../../shared/contracts/settings';
