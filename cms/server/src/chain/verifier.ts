/**
 * Checks the history chain, one item at a time, oldest first: rows by version,
 * with the checkpoints archiving left in place of the rows it removed. Pure, so
 * the server (paging through the database) and the offline verifier (reading an
 * export and archive files) give the same answer for the same chain.
 *
 * Proven, when it answers ok: the head is signed with the current key (so its
 * version, MAC and events are as the key holder left them); every version from
 * 1 to the head is either present with a MAC that chains from the previous one,
 * or covered by a signed checkpoint that chains the same way, each signed with
 * the current key or with a previous key no later than the version the signed
 * rotation event names; and the live settings are that version's snapshot.
 * Nothing read from the database widens which keys are trusted for what.
 */
import {
  canonicalJson,
  checkpointMac,
  GENESIS_MAC,
  headSignature,
  LEGACY_SCHEME,
  rowMac,
} from './mac';
import type {
  BreakReason,
  ChainEvent,
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

/** What the messages call the live content: the settings, or a versioned type's document. */
export interface LiveSubject {
  name: string;
  /** The verb that agrees with it ("the live settings are", "the live Home page is"). */
  is: 'is' | 'are';
}

export const LIVE_SETTINGS: LiveSubject = { name: 'the live settings', is: 'are' };

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
  // Key order is not content (PostgreSQL's jsonb reorders the keys of stored snapshots).
  return canonicalJson(a) === canonicalJson(b);
};

/**
 * The keys a version may be signed with: the current key for any version, and
 * a previous key only up to the version where the signed head records that it
 * was rotated out (so a leaked old key cannot sign anything newer).
 */
export const keysForVersion =
  (keys: KeyRing, events: ChainEvent[]) =>
  (version: number): SigningKey[] => [
    keys.current,
    ...keys.previous.filter((key) =>
      events.some(
        (event) =>
          event.kind === 'rotate' && event.fromKeyId === key.id && version <= event.atVersion
      )
    ),
  ];

export type HeadStanding = 'signed' | 'missing' | 'unsigned' | 'previous-key' | 'forged';

/** Is the head signed with the current key? (Its events are trusted only then.) */
export const headStanding = (keys: KeyRing, head: ChainHead | null): HeadStanding => {
  if (!head) return 'missing';
  if (!head.signature) return 'unsigned';
  if (headSignature(keys.current.secret, head) === head.signature) return 'signed';
  return keys.previous.some((key) => headSignature(key.secret, head) === head.signature)
    ? 'previous-key'
    : 'forged';
};

const HEAD_PROBLEMS: Record<Exclude<HeadStanding, 'signed'>, [BreakReason, string]> = {
  missing: [
    'head-missing',
    'the chain head record is missing: nothing proves where the history ends (compare with a witness, then run npm run history:adopt)',
  ],
  unsigned: [
    'head-mismatch',
    'the chain head is not signed (written by an earlier release): run npm run history:adopt',
  ],
  'previous-key': [
    'wrong-key',
    'the chain head is signed with the previous key: finish the rotation with npm run history:adopt',
  ],
  forged: [
    'head-mismatch',
    "the chain head's signature does not match its version, MAC, key or events",
  ],
};

/**
 * Checks the chain against the head read in the same snapshot: create it with
 * that head, feed it every item oldest first, then call `finish`.
 */
export const createChainVerifier = (keys: KeyRing, head: ChainHead | null) => {
  const standing = headStanding(keys, head);
  // Events are believed only from a head the current key signed.
  const events = standing === 'signed' ? head!.events : [];
  const keysFor = keysForVersion(keys, events);
  const pins = new Map(events.map((event) => [event.atVersion, event.atMac]));
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

  const whyRowFails = (row: ChainRow): [BreakReason, string] => {
    const rotatedOut = events.find(
      (e) => e.kind === 'rotate' && e.fromKeyId === row.signedWith && row.version <= e.atVersion
    );
    if (rotatedOut && !keys.previous.some((key) => key.id === row.signedWith)) {
      return [
        'wrong-key',
        `versions up to ${rotatedOut.atVersion} are signed with key ${rotatedOut.fromKeyId}, rotated out on ${rotatedOut.at}: set HISTORY_SIGNING_KEY_PREVIOUS to it`,
      ];
    }
    if (standing === 'signed') {
      // Under a head this key signed, every row up to it was signed by a key we hold:
      // whatever it carries now (an unkeyed hash, an unknown key id) was rewritten.
      if (!keys.previous.some((key) => key.id === row.signedWith)) {
        return [
          'altered',
          `version ${row.version} does not match its MAC: its content, its key or its place in the chain was changed`,
        ];
      }
    }
    if (row.signedWith === null || row.signedWith === LEGACY_SCHEME) {
      return [
        'unsigned',
        `version ${row.version} carries an unkeyed legacy hash: an operator adopts it with npm run history:adopt`,
      ];
    }
    const previous = keys.previous.find((key) => key.id === row.signedWith);
    const retired = events.some((e) => e.kind === 'rotate' && e.fromKeyId === row.signedWith);
    if (previous && standing !== 'signed') {
      // Which versions the previous key may have signed is known only from a signed head.
      return HEAD_PROBLEMS[standing];
    }
    if (previous && !retired) {
      return [
        'wrong-key',
        `version ${row.version} is signed with the previous key ${previous.id}: finish the rotation with npm run history:adopt`,
      ];
    }
    const known = previous !== undefined || row.signedWith === keys.current.id;
    if (!known && checked === 0 && checkpoints === 0) {
      return [
        'wrong-key',
        `the history is signed with key ${row.signedWith}, not this server's key ${keys.current.id}`,
      ];
    }
    return [
      'altered',
      previous
        ? `version ${row.version} claims the previous key ${previous.id}, which is trusted only up to its rotation`
        : `version ${row.version} does not match its MAC: its content or its place in the chain was changed`,
    ];
  };

  /** An event pins the MAC at its version: a chain that reaches it otherwise was rebuilt. */
  const pinHolds = (version: number) => !pins.has(version) || pins.get(version) === link;

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
      if (!keysFor(row.version).some((key) => rowMac(key.secret, link, row) === row.hash)) {
        const [reason, message] = whyRowFails(row);
        return fail(row.version, reason, message);
      }
      link = row.hash;
      next = row.version + 1;
      checked += 1;
      lastRow = row;
      if (!pinHolds(row.version)) {
        return fail(
          row.version,
          'altered',
          `version ${row.version} is not the version the signed head's events recorded`
        );
      }
      return true;
    },

    checkpoint(checkpoint: Checkpoint): boolean {
      if (failure) return false;
      const { fromVersion, toVersion } = checkpoint;
      if (fromVersion > next) {
        return fail(next, 'missing', `version ${next} is missing and no checkpoint covers it`);
      }
      const misplaced =
        fromVersion < next || toVersion < fromVersion || checkpoint.prevMac !== link;
      // Only the current key vouches for a checkpoint (adopting a rotation signs the old
      // ones again), so a leaked previous key cannot cut versions out behind one.
      const signed = checkpointMac(keys.current.secret, checkpoint) === checkpoint.mac;
      if (!misplaced && !signed) {
        const previous = keys.previous.find((key) => key.id === checkpoint.signedWith);
        const retired = events.some(
          (e) => e.kind === 'rotate' && e.fromKeyId === checkpoint.signedWith
        );
        const unknown = !previous && checkpoint.signedWith !== keys.current.id;
        if ((previous && !retired) || (unknown && checked === 0 && checkpoints === 0)) {
          return fail(
            fromVersion,
            'wrong-key',
            previous
              ? `the checkpoint for versions ${fromVersion}–${toVersion} is signed with the previous key ${previous.id}: finish the rotation with npm run history:adopt`
              : `the history is signed with key ${checkpoint.signedWith}, not this server's key ${keys.current.id}`
          );
        }
      }
      if (misplaced || !signed) {
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
      if (!pinHolds(toVersion)) {
        return fail(
          toVersion,
          'altered',
          `version ${toVersion} is not the version the signed head's events recorded`
        );
      }
      return true;
    },

    finish({
      live,
      subject = LIVE_SETTINGS,
    }: {
      live: LiveState | null;
      subject?: LiveSubject;
    }): VerifyReport {
      const newest = next - 1;
      if (!failure && standing !== 'signed') {
        const [reason, message] = HEAD_PROBLEMS[standing];
        fail(Math.max(Math.min(head?.version ?? newest, newest), 1), reason, message);
      }
      if (!failure && head) {
        if (head.version > newest) {
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
          if (live || head.version > 0) {
            // The newest version is what is not live (whatever number the live row claims:
            // a row written around the API, by an import for one, may claim any).
            fail(
              newest,
              'live-mismatch',
              `${subject.name} ${subject.is} at version ${live?.version ?? 'none'}, the chain at ${head.version}`
            );
          }
        } else if (lastRow && lastRow.version === live.version) {
          const differs = liveDifferences(lastRow.data, live.data);
          if (differs.length > 0) {
            fail(
              live.version,
              'live-mismatch',
              `${subject.name} differ${subject.is === 'is' ? 's' : ''} from version ${live.version}'s snapshot in ${differs.join(', ')}`
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
        events: events.map(({ atMac: _atMac, ...event }) => event),
      };
    },
  };
};

/** Fields of the live settings that differ from a version's snapshot. */
export const liveDifferences = (
  snapshot: Record<string, unknown>,
  live: Record<string, unknown>
): string[] =>
  Object.keys(snapshot).filter(
    (field) => field in live && !sameValue(snapshot[field], live[field])
  );

export type ChainVerifier = ReturnType<typeof createChainVerifier>;
