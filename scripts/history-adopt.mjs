#!/usr/bin/env node
/**
 * The operator's one way to make the server sign a history it did not write
 * itself. The server never does this on its own: a chain it cannot verify
 * under its key stops settings writes until someone with the key runs this.
 *
 *   npm run history:adopt                 says what it would do, changes nothing
 *   npm run history:adopt -- --yes [--note TEXT]
 *   --type KEY|UID   the chain of that versioned type (default: the settings);
 *   --type all       every chain in the database, in one transaction (a key
 *                    rotation: every chain is signed with the same key)
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
 * A versioned type whose chain was lost (its tables emptied, by an import
 * without them, while its content kept its version number): the server refuses
 * its writes rather than start a new chain on its own. Named with --type, this
 * signs an empty head for it, recording the loss as an event; the next start
 * of the CMS records what is published as version 1 of the new chain. `--type
 * all` never does this: a lost history is decided one type at a time.
 *
 * Exit 0 done (or nothing to do), 1 refused (the reason is printed), 2 bad usage
 * (an unknown --type included), 3 dry run (what it would do is printed).
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
import { ALL_TYPES, chainName, ringOf, selectChainTypes, typeOption } from './lib/chain-types.mjs';

const USAGE =
  'Usage: npm run history:adopt -- [--type KEY|UID|all] [--yes] [--note TEXT] [--from-development-key]';

/** Thrown to roll the dry run back. */
class DryRun extends Error {}

const parseOptions = () => {
  try {
    const { values } = parseArgs({
      options: {
        ...typeOption,
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
  const lines = [`${plan.name}:`];
  if (plan.nothingToDo) {
    lines.push(
      `  Nothing to adopt: the history (${plan.head.version} versions) is signed with key ${plan.keyId} and its head verifies.`
    );
    return lines;
  }
  if (plan.lost) {
    lines.push(
      `  The chain is empty, but the content is at version ${plan.lost.version}: the history of versions 1–${plan.lost.version} is gone from the database (an import without the chain's tables?).`,
      `  A new chain begins: an empty head signed with key ${plan.keyId}, recording the loss; the next start of the CMS records what is published as version 1.`,
      '  Keep the old history (an export, a backup, the JSON logs with their "headMac" lines): nothing in the database will remember it.'
    );
    return lines;
  }
  lines.push(`  Versions 1–${plan.head.version} verified or vouched for`);
  if (plan.rotation) {
    lines.push(
      `  Key rotation: rows up to version ${plan.head.version} stay signed with the previous key ${plan.rotation.fromKeyId}; new rows are signed with ${plan.rotation.toKeyId}`,
      `    A key is rotated out once. If you already rotated away from ${plan.rotation.fromKeyId}, STOP: someone holding that key rewrote the database. Check the witness (npm run history:verify -- … --witness) first.`
    );
  }
  if (plan.resignedRange) {
    lines.push(
      `  Signed again under key ${plan.keyId}: versions ${plan.resignedRange.from}–${plan.resignedRange.to} (unkeyed legacy hashes, the development key, or what follows them)`
    );
  }
  lines.push(`  The head: ${plan.headWas} → signed at version ${plan.head.version}`);
  if (plan.schedules)
    lines.push(`  Pending schedules signed again under the new key: ${plan.schedules}`);
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

/** An empty chain under content that carries a version: the chain was lost, not never started. */
const lostChain = async (trx, type, before) => {
  if (type.isSettings || before) return null;
  const { tables } = type;
  if ((await trx(tables.history).first('version')) || (await trx(tables.checkpoints).first('id'))) {
    return null;
  }
  const row = await trx(tables.live).max({ version: 'version' }).first();
  const version = Number(row?.version ?? 0);
  return version > 0 ? { version } : null;
};

/**
 * Adopts one chain inside `trx`: returns its plan and the head to write, or
 * throws (refused: the whole transaction, every chain in it, rolls back).
 */
const adoptChain = async (trx, baseKeys, type, options) => {
  const { tables } = type;
  const keys = ringOf(baseKeys, type);
  const name = chainName(type);
  const refuse = (message) => new Error(`${name}: ${message}`);
  const before = await chain.lockChain(trx, tables);
  const standing = chain.headStanding(keys, before);
  const at = new Date().toISOString();

  const lost = await lostChain(trx, type, before);
  if (lost) {
    if (options.all) {
      throw refuse(
        `the chain is empty but the content is at version ${lost.version}: the chain was lost. A new chain is started only for that type alone, after checking what happened: npm run history:adopt -- --type ${type.key}. Nothing was changed.`
      );
    }
    const event = {
      kind: 'adopt',
      at,
      atVersion: 0,
      atMac: chain.GENESIS_MAC,
      resigned: null,
      note:
        options.note ??
        `the chain was lost while the content was at version ${lost.version}: a new chain starts at what is published`,
    };
    const head = chain.signHead(keys.current, {
      version: 0,
      mac: chain.GENESIS_MAC,
      events: [event],
    });
    return { type, plan: { name, lost, keyId: keys.current.id, head }, head };
  }

  const previousSigner =
    standing === 'previous-key'
      ? keys.previous.find((key) => chain.headSignature(key.secret, before) === before.signature)
      : undefined;
  // Events are carried over only from a head that a key we hold signed.
  const events = standing === 'signed' || previousSigner ? [...before.events] : [];
  if (standing === 'forged') {
    throw refuse(
      'the chain head is signed with a key not given here: the head was edited, or the key is lost (npm run history:resign). Nothing was changed.'
    );
  }
  // A head a key we hold signed proves what the rows up to it were: only without one
  // (a release before signed heads) may unkeyed or development-key rows be adopted.
  const unanchored = standing === 'missing' || standing === 'unsigned';
  const storedDevKey = options['from-development-key'] ? await storedDevelopmentKey(trx) : null;
  const devKey = storedDevKey
    ? ringOf({ current: storedDevKey, previous: [] }, type).current
    : null;
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
    tables,
    keysFor: chain.keysForVersion(keys, rotation ? [...events, rotation] : events),
    acceptLegacy: unanchored,
    adoptKeys,
    legacyGaps: unanchored,
    prefixOnly: true,
  });
  if (result.stoppedAt !== null) {
    throw refuse(
      unanchored
        ? `version ${result.stoppedAt} is not signed with a key given here, nor an unkeyed legacy hash that chains: it was changed, or it needs HISTORY_SIGNING_KEY_PREVIOUS (or --from-development-key). Nothing was changed. (A lost key: npm run history:resign.)`
        : `version ${result.stoppedAt} does not verify under the key that signed the head: it was rewritten in the database. Nothing was changed.`
    );
  }
  const newestRaw = await trx(tables.history).orderBy('version', 'desc').first();
  const newest = newestRaw ? chain.rowFromDb(newestRaw) : null;
  const live = await readLiveState(trx, Object.keys(newest?.data ?? {}), type);
  const subject = type.isSettings ? 'the live settings are' : `the live ${type.displayName} is`;
  if ((live?.version ?? 0) !== result.head.version) {
    throw refuse(
      `${subject} at version ${live?.version ?? 'none'} but the history ends at ${result.head.version}; nothing was changed`
    );
  }
  const differs =
    live && newest?.version === live.version ? chain.liveDifferences(newest.data, live.data) : [];
  if (differs.length > 0) {
    throw refuse(
      `${subject} different from version ${live.version}'s snapshot in ${differs.join(', ')}: changed outside the history; nothing was changed`
    );
  }
  const plan = {
    name,
    head: result.head,
    keyId: keys.current.id,
    headWas: before ? (standing === 'signed' ? 'signed' : standing) : 'missing',
    rotation,
    resignedRange: result.resignedRange,
    nothingToDo: standing === 'signed' && result.resigned === 0,
  };
  if (plan.nothingToDo) return { type, plan, head: null };
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
  const schedules = type.isSettings
    ? await carryOverSchedules(trx, keys, [
        ...(previousSigner ? [previousSigner] : []),
        ...adoptKeys,
      ])
    : 0;
  return { type, plan: { ...plan, schedules }, head };
};

/** Every chain asked for, in one transaction: all of them are adopted, or none. */
const adopt = (db, keys, types, options) =>
  db.transaction(async (trx) => {
    const outcomes = [];
    for (const type of types) outcomes.push(await adoptChain(trx, keys, type, options));
    const changes = outcomes.filter((outcome) => outcome.head);
    if (changes.length === 0) return outcomes;
    if (!options.yes) throw Object.assign(new DryRun(), { outcomes });
    for (const { type, head } of changes) await chain.writeHead(trx, head, type.tables);
    return outcomes;
  });

/** After adopting the settings alone: other chains a rotation also left on the previous key. */
const otherChainsOnPreviousKey = async (db, keys, adopted) => {
  const types = await selectChainTypes(db, ALL_TYPES, { allowAll: true });
  const left = [];
  for (const type of types.filter((candidate) => !adopted.includes(candidate))) {
    const head = await chain.readHead(db, type.tables);
    if (chain.headStanding(ringOf(keys, type), head) === 'previous-key') left.push(type.key);
  }
  return left;
};

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  try {
    await assertSchema(db);
    const types = await selectChainTypes(db, options.type, { allowAll: true });
    const keys = await loadKeys(db);
    const all = options.type === ALL_TYPES;
    const outcomes = await adopt(db, keys, types, { ...options, all });
    for (const { plan } of outcomes) for (const line of describe(plan)) console.log(line);
    for (const { type, head, plan } of outcomes) {
      if (!head) continue;
      logWitnessLine('history.adopted', {
        ...(type.isSettings ? {} : { chainType: type.key }),
        version: head.version,
        headMac: head.mac,
        keyId: head.keyId,
        resigned: plan.resignedRange ?? null,
        ...(plan.lost ? { lostAtVersion: plan.lost.version } : {}),
      });
      if (plan.lost) {
        console.log(
          `Restart the CMS: its start records what is published as version 1 of ${type.key}'s new chain, and writes go on.`
        );
      }
    }
    if (!all && outcomes.some(({ plan }) => plan.rotation)) {
      const left = await otherChainsOnPreviousKey(db, keys, types);
      if (left.length > 0) {
        console.log(
          `Other chains are still signed with the previous key (their writes are refused): ${left.join(', ')}. Adopt every chain at once: npm run history:adopt -- --type all --yes`
        );
      }
    }
    return 0;
  } catch (error) {
    if (error instanceof DryRun) {
      for (const { plan } of error.outcomes) for (const line of describe(plan)) console.log(line);
      console.log(
        'Dry run: nothing was changed. Compare the versions above with a witness (the JSON logs, npm run history:verify -- --witness), then re-run with --yes.'
      );
      return 3;
    }
    console.error(`history:adopt: ${error.message}`);
    return error.exitCode ?? 1;
  } finally {
    await db.destroy();
  }
};

main().then((code) => process.exit(code));
