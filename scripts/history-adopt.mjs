#!/usr/bin/env node
/**
 * The operator's one way to make the server sign a history it did not write
 * itself. The server never does this on its own: a chain it cannot verify
 * under its key stops settings writes until someone with the key runs this.
 *
 *   npm run history:adopt                 says what it would do, changes nothing
 *   npm run history:adopt -- --yes [--note TEXT]
 *
 * It walks the whole history and accepts, in order of preference:
 *   - rows and checkpoints signed with HISTORY_SIGNING_KEY (kept as they are);
 *   - rows signed with HISTORY_SIGNING_KEY_PREVIOUS when the head is signed with
 *     it too (a key rotation: kept as they are, and the previous key is trusted
 *     from now on only up to today's newest version);
 *   - only when no head signed with a key given here exists (a release before
 *     signed heads): rows with the unkeyed sha256 of a release before the keyed
 *     chain, rows signed with this database's development key (with
 *     --from-development-key, never in production), and gaps an old archiver
 *     left (signed again under the key);
 * and a missing or unsigned head (signed anew). All but the first kind must
 * come before the first row signed with HISTORY_SIGNING_KEY (the server writes
 * nothing before an adoption, so a legitimate history always looks like that;
 * finish a rolling upgrade before adopting). It stops, changing nothing, at the
 * first row that none of these vouch for. With --yes it records what it did
 * as an event in the signed head (GET …/history/verify lists it) and prints the
 * new head as a JSON line, for the logs that witness the chain.
 *
 * Exit 0 done (or nothing to do), 1 refused (the reason is printed), 2 bad usage,
 * 3 dry run (what it would do is printed).
 */
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import {
  chain,
  loadKeys,
  logWitnessLine,
  readLiveState,
  storedDevelopmentKey,
} from './lib/chain.mjs';

const USAGE = 'Usage: npm run history:adopt -- [--yes] [--note TEXT] [--from-development-key]';

/** Thrown to roll the dry run back. */
class DryRun extends Error {}

const parseOptions = () => {
  try {
    const { values } = parseArgs({
      options: {
        yes: { type: 'boolean', default: false },
        note: { type: 'string' },
        'from-development-key': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    if (values.note !== undefined && values.note.length > 500) {
      throw new Error('--note must be at most 500 characters');
    }
    if (values['from-development-key'] && process.env.NODE_ENV === 'production') {
      throw new Error('--from-development-key is refused in production');
    }
    return values;
  } catch (error) {
    console.error(`history:adopt: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
};

/** What the walk found, for the operator to read before saying --yes. */
const describe = (plan) => {
  const lines = [];
  lines.push(`Versions 1–${plan.head.version} verified or vouched for`);
  if (plan.rotation) {
    lines.push(
      `Key rotation: rows up to version ${plan.head.version} stay signed with the previous key ${plan.rotation.fromKeyId}; new rows are signed with ${plan.rotation.toKeyId}`,
      `  A key is rotated out once. If you already rotated away from ${plan.rotation.fromKeyId}, STOP: someone holding that key rewrote the database. Check the witness (npm run history:verify -- … --witness) first.`
    );
  }
  if (plan.resignedRange) {
    lines.push(
      `Signed again under key ${plan.keyId}: versions ${plan.resignedRange.from}–${plan.resignedRange.to} (unkeyed legacy hashes, the development key, or what follows them)`
    );
  }
  lines.push(`The head: ${plan.headWas} → signed at version ${plan.head.version}`);
  if (plan.schedules)
    lines.push(`Pending schedules signed again under the new key: ${plan.schedules}`);
  return lines;
};

/**
 * Pending schedules signed with a key that no longer signs (the rotated-out or
 * the development key) are checked under it and signed again with the current
 * key; any that fail stay as they are and will fail as tampered.
 */
const carryOverSchedules = async (trx, keys, oldKeys) => {
  if (oldKeys.length === 0 || !(await trx.schema.hasTable(chain.SCHEDULES_TABLE))) return 0;
  let carried = 0;
  const rows = await trx(chain.SCHEDULES_TABLE)
    .whereIn('status', ['pending', 'running'])
    .whereIn(
      'signed_with',
      oldKeys.map((key) => key.id)
    );
  for (const raw of rows) {
    const key = oldKeys.find((candidate) => candidate.id === raw.signed_with);
    const signed = chain.signedScheduleFromDb(raw);
    const signature = {
      mac: raw.mac,
      signedWith: raw.signed_with,
      macFormat: raw.mac_format == null ? null : Number(raw.mac_format),
    };
    if (!chain.verifyScheduleMac({ current: key }, signed, signature)) continue;
    await trx(chain.SCHEDULES_TABLE)
      .where({ id: raw.id })
      .update({
        mac: chain.scheduleMac(keys.current.secret, signed),
        signed_with: keys.current.id,
        mac_format: chain.SCHEDULE_MAC_FORMAT,
      });
    carried += 1;
  }
  return carried;
};

const adopt = async (db, keys, options) =>
  db.transaction(async (trx) => {
    const before = await chain.lockChain(trx);
    const standing = chain.headStanding(keys, before);
    const previousSigner =
      standing === 'previous-key'
        ? keys.previous.find((key) => chain.headSignature(key.secret, before) === before.signature)
        : undefined;
    // Events are carried over only from a head that a key we hold signed.
    const events = standing === 'signed' || previousSigner ? [...before.events] : [];
    const at = new Date().toISOString();
    if (standing === 'forged') {
      throw new Error(
        'the chain head is signed with a key not given here: the head was edited, or the key is lost (npm run history:resign). Nothing was changed.'
      );
    }
    // A head a key we hold signed proves what the rows up to it were: only without one
    // (a release before signed heads) may unkeyed or development-key rows be adopted.
    const unanchored = standing === 'missing' || standing === 'unsigned';
    const devKey = options['from-development-key'] ? await storedDevelopmentKey(trx) : null;
    const adoptKeys = unanchored && devKey && devKey.id !== keys.current.id ? [devKey] : [];
    const rotation = previousSigner
      ? {
          kind: 'rotate',
          at,
          atVersion: before.version,
          atMac: before.mac,
          fromKeyId: previousSigner.id,
          toKeyId: keys.current.id,
        }
      : null;
    const result = await chain.resignFrom(trx, 1, {
      keys,
      keysFor: chain.keysForVersion(keys, rotation ? [...events, rotation] : events),
      acceptLegacy: unanchored,
      adoptKeys,
      legacyGaps: unanchored,
      prefixOnly: true,
    });
    if (result.stoppedAt !== null) {
      throw new Error(
        unanchored
          ? `version ${result.stoppedAt} is not signed with a key given here, nor an unkeyed legacy hash that chains: it was changed, or it needs HISTORY_SIGNING_KEY_PREVIOUS (or --from-development-key). Nothing was changed. (A lost key: npm run history:resign.)`
          : `version ${result.stoppedAt} does not verify under the key that signed the head: it was rewritten in the database. Nothing was changed.`
      );
    }
    const newestRaw = await trx(chain.HISTORY_TABLE).orderBy('version', 'desc').first();
    const newest = newestRaw ? chain.rowFromDb(newestRaw) : null;
    const live = await readLiveState(trx, Object.keys(newest?.data ?? {}));
    if ((live?.version ?? 0) !== result.head.version) {
      throw new Error(
        `the live settings are at version ${live?.version ?? 'none'} but the history ends at ${result.head.version}; nothing was changed`
      );
    }
    const differs =
      live && newest?.version === live.version ? chain.liveDifferences(newest.data, live.data) : [];
    if (differs.length > 0) {
      throw new Error(
        `the live settings differ from version ${live.version}'s snapshot in ${differs.join(', ')}: they were changed outside the history; nothing was changed`
      );
    }
    const plan = {
      head: result.head,
      keyId: keys.current.id,
      headWas: before ? (standing === 'signed' ? 'signed' : standing) : 'missing',
      rotation,
      resignedRange: result.resignedRange,
    };
    const nothingToDo = standing === 'signed' && result.resigned === 0;
    if (nothingToDo) return { plan, nothingToDo };
    if (!options.yes) throw Object.assign(new DryRun(), { plan });
    const adoption =
      result.resigned > 0 || standing !== 'previous-key'
        ? [
            {
              kind: 'adopt',
              at,
              atVersion: result.head.version,
              atMac: result.head.mac,
              resigned: result.resignedRange,
              ...(options.note ? { note: options.note } : {}),
            },
          ]
        : [];
    const head = chain.signHead(keys.current, {
      ...result.head,
      events: [...events, ...(rotation ? [rotation] : []), ...adoption],
    });
    await chain.writeHead(trx, head);
    const schedules = await carryOverSchedules(trx, keys, [
      ...(previousSigner ? [previousSigner] : []),
      ...adoptKeys,
    ]);
    return { plan: { ...plan, schedules }, head };
  });

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  try {
    await assertSchema(db);
    const keys = await loadKeys(db);
    const outcome = await adopt(db, keys, options);
    if (outcome.nothingToDo) {
      console.log(
        `Nothing to adopt: the history (${outcome.plan.head.version} versions) is signed with key ${keys.current.id} and its head verifies.`
      );
      return 0;
    }
    for (const line of describe(outcome.plan)) console.log(line);
    logWitnessLine('history.adopted', {
      version: outcome.head.version,
      headMac: outcome.head.mac,
      keyId: outcome.head.keyId,
      resigned: outcome.plan.resignedRange,
    });
    return 0;
  } catch (error) {
    if (error instanceof DryRun) {
      for (const line of describe(error.plan)) console.log(line);
      console.log(
        'Dry run: nothing was changed. Compare the versions above with a witness (the JSON logs, npm run history:verify -- --witness), then re-run with --yes.'
      );
      return 3;
    }
    console.error(`history:adopt: ${error.message}`);
    return 1;
  } finally {
    await db.destroy();
  }
};

main().then((code) => process.exit(code));
