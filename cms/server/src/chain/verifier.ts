/**
 * Checks the history chain, one item at a time, oldest first: rows by version,
 * with the checkpoints archiving left in place of the rows it removed. Pure, so
 * the server (paging through the database) and the offline verifier (reading an
 * export and archive files) give the same answer for the same chain.
 *
 * Proven, when it answers ok: every version from 1 to the head is either
 * present with a MAC that chains from the previous one, or covered by a signed
 * checkpoint that chains the same way; the head row names the newest version
 * and its MAC; and the live settings are that version's snapshot.
 */
import { checkpointMac, GENESIS_MAC, LEGACY_SCHEME, rowMac } from './mac';
import type {
  BreakReason,
  ChainHead,
  ChainRow,
  Checkpoint,
  KeyRing,
  SigningKey,
  VerifyReport,
} from './types';

export interface LiveState {
  version: number;
  /** The live settings' editable fields, by attribute name. */
  data: Record<string, unknown>;
}

interface Failure {
  brokenAt: number;
  reason: BreakReason;
  message: string;
}

/** Database drivers hand back 0/1 for booleans and strings for decimals: equal is equal. */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return a == b;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    const truth = (value: unknown) => value === true || value === 1 || value === '1';
    return truth(a) === truth(b) && [a, b].every((v) => typeof v !== 'string' || /^[01]$/.test(v));
  }
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b);
};

export const createChainVerifier = (keys: KeyRing) => {
  const candidates: SigningKey[] = keys.previous ? [keys.current, keys.previous] : [keys.current];
  let next = 1;
  let link = GENESIS_MAC;
  let checked = 0;
  let archivedVersions = 0;
  let checkpoints = 0;
  let lastRow: ChainRow | null = null;
  let failure: Failure | null = null;

  const fail = (brokenAt: number, reason: BreakReason, message: string) => {
    failure ??= { brokenAt, reason, message };
    return false;
  };

  const signedByUs = (sign: (secret: string) => string, mac: string) =>
    candidates.some((key) => sign(key.secret) === mac);

  const whyRowFails = (row: ChainRow): BreakReason => {
    if (row.signedWith === null || row.signedWith === LEGACY_SCHEME) return 'unsigned';
    if (row.version === 1 && !candidates.some((key) => key.id === row.signedWith)) {
      return 'wrong-key';
    }
    return 'altered';
  };

  return {
    /** False once the chain is broken: the caller may stop reading. */
    row(row: ChainRow): boolean {
      if (failure) return false;
      if (row.version > next) {
        return fail(next, 'missing', `version ${next} is missing and no checkpoint covers it`);
      }
      if (row.version < next) {
        return fail(row.version, 'forged-gap', `version ${row.version} lies inside a checkpoint`);
      }
      if (!signedByUs((secret) => rowMac(secret, link, row), row.hash)) {
        const reason = whyRowFails(row);
        const messages: Record<string, string> = {
          unsigned: `version ${row.version} carries an unkeyed legacy hash that was never re-signed`,
          'wrong-key': `the history is signed with key ${row.signedWith}, not this server's key ${keys.current.id}`,
          altered: `version ${row.version} does not match its MAC: its content or its place in the chain was changed`,
        };
        return fail(row.version, reason, messages[reason]);
      }
      link = row.hash;
      next = row.version + 1;
      checked += 1;
      lastRow = row;
      return true;
    },

    checkpoint(checkpoint: Checkpoint): boolean {
      if (failure) return false;
      const { fromVersion, toVersion } = checkpoint;
      if (fromVersion > next) {
        return fail(next, 'missing', `version ${next} is missing and no checkpoint covers it`);
      }
      if (
        fromVersion < next ||
        toVersion < fromVersion ||
        checkpoint.prevMac !== link ||
        !signedByUs((secret) => checkpointMac(secret, checkpoint), checkpoint.mac)
      ) {
        return fail(
          fromVersion,
          'forged-gap',
          `the checkpoint for versions ${fromVersion}–${toVersion} is not one this server signed, or does not continue the chain`
        );
      }
      link = checkpoint.lastMac;
      next = toVersion + 1;
      archivedVersions += toVersion - fromVersion + 1;
      checkpoints += 1;
      lastRow = null;
      return true;
    },

    finish({ head, live }: { head: ChainHead | null; live: LiveState | null }): VerifyReport {
      const newest = next - 1;
      if (!failure) {
        if (!head) {
          fail(Math.max(newest, 1), 'head-mismatch', 'the chain head record is missing');
        } else if (head.version > newest) {
          fail(
            newest + 1,
            'missing',
            `the head records version ${head.version}, but the history ends at ${newest}`
          );
        } else if (head.version < newest) {
          fail(
            head.version + 1,
            'head-mismatch',
            `the history holds versions after the recorded head (${head.version})`
          );
        } else if (head.mac !== link) {
          fail(newest, 'head-mismatch', `the head's MAC is not the MAC of version ${newest}`);
        } else if (!live || live.version !== head.version) {
          fail(
            live?.version ?? newest,
            'live-mismatch',
            `the live settings are at version ${live?.version ?? 'none'}, the chain at ${head.version}`
          );
        } else if (lastRow && lastRow.version === live.version) {
          const snapshot = lastRow.data;
          const differs = Object.keys(snapshot).filter(
            (field) => field in live.data && !sameValue(snapshot[field], live.data[field])
          );
          if (differs.length > 0) {
            fail(
              live.version,
              'live-mismatch',
              `the live settings differ from version ${live.version}'s snapshot in ${differs.join(', ')}`
            );
          }
        }
      }
      if (failure) return { ok: false, versions: checked, ...failure };
      return {
        ok: true,
        versions: checked,
        archived: { versions: archivedVersions, checkpoints },
        head: { version: head!.version, mac: head!.mac },
        keyId: keys.current.id,
      };
    },
  };
};

export type ChainVerifier = ReturnType<typeof createChainVerifier>;
