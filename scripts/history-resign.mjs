#!/usr/bin/env node
/**
 * Re-anchors the history under the current HISTORY_SIGNING_KEY, taking every
 * row and checkpoint as it stands, WITHOUT verifying it. Only for a lost key:
 * the history signed with it can no longer be checked, and rollbacks refuse
 * snapshots they cannot check. Afterwards verify vouches for the history from
 * now on; that nothing was changed before is taken on trust, and this run is
 * logged as such, and recorded as an event in the signed head. (To rotate a key
 * you still have, set HISTORY_SIGNING_KEY_PREVIOUS and run npm run history:adopt.)
 *
 *   npm run history:resign -- --trust-current-contents --yes [--type KEY|UID|all]
 *
 * Without --type it signs every chain in the database (the settings' and each
 * versioned type's, each under the key derived for it), in one transaction:
 * a lost key is lost for all of them. A versioned type whose chain was lost
 * (empty tables, content with a version) is refused here: npm run
 * history:adopt -- --type KEY decides that one on its own.
 * Exit 0 done, 1 refused, 2 bad usage (an unknown --type included), 3 dry run.
 */
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import { chain, loadKeys } from './lib/chain.mjs';
import { ALL_TYPES, chainName, ringOf, selectChainTypes, typeOption } from './lib/chain-types.mjs';

const USAGE =
  'Usage: npm run history:resign -- --trust-current-contents --yes [--type KEY|UID|all (default: all)]';

/** Signs one chain as it stands, inside `trx`; returns what it signed. */
const resignChain = async (trx, baseKeys, type) => {
  const { tables } = type;
  const keys = ringOf(baseKeys, type);
  const head = await chain.lockChain(trx, tables);
  if (!type.isSettings && !head) {
    const empty =
      !(await trx(tables.history).first('version')) && !(await trx(tables.checkpoints).first('id'));
    const content = Number(
      (await trx(tables.live).max({ version: 'version' }).first())?.version ?? 0
    );
    if (empty && content > 0) {
      throw new Error(
        `${chainName(type)}: the chain is empty but the content is at version ${content}: the chain was lost, which no key explains. Decide that type on its own first: npm run history:adopt -- --type ${type.key}. Nothing was changed.`
      );
    }
  }
  const resigned = await chain.resignFrom(trx, 1, {
    keys,
    tables,
    keysFor: () => [keys.current],
    acceptLegacy: true,
    legacyGaps: true,
    trustEverything: true,
  });
  if (resigned.stoppedAt !== null) {
    throw new Error(`${chainName(type)}: stopped at version ${resigned.stoppedAt}`);
  }
  // The events of a head nobody can check any more are not carried over.
  const event = {
    kind: 'adopt',
    at: new Date().toISOString(),
    atVersion: resigned.head.version,
    atMac: resigned.head.mac,
    resigned: resigned.resignedRange,
    trusted: true,
    note: 'history:resign --trust-current-contents: taken on trust after a lost key, not verified',
  };
  await chain.writeHead(
    trx,
    chain.signHead(keys.current, { ...resigned.head, events: [event] }),
    tables
  );
  return { type, keyId: keys.current.id, ...resigned };
};

const main = async () => {
  const { values } = parseArgs({
    options: {
      ...typeOption,
      'trust-current-contents': { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!values['trust-current-contents']) {
    console.error(`history:resign: say --trust-current-contents: nothing is verified\n${USAGE}`);
    return 2;
  }
  loadDotEnv();
  const db = connect();
  try {
    await assertSchema(db);
    let types;
    try {
      types = await selectChainTypes(db, values.type, { fallback: ALL_TYPES, allowAll: true });
    } catch (error) {
      console.error(`history:resign: ${error.message}\n${USAGE}`);
      return error.exitCode ?? 1;
    }
    const keys = await loadKeys(db);
    const names = types.map(chainName).join(', ');
    if (!values.yes) {
      console.log(
        `Would sign the whole history of ${names} under key ${keys.current.id} (derived per type) without verifying it. Re-run with --yes.`
      );
      return 3;
    }
    const results = await db.transaction(async (trx) => {
      const done = [];
      for (const type of types) done.push(await resignChain(trx, keys, type));
      return done;
    });
    for (const result of results) {
      console.log(
        JSON.stringify({
          event: 'history.resigned',
          ...(result.type.isSettings ? {} : { chainType: result.type.key }),
          trustedWithoutVerifying: true,
          version: result.head.version,
          headMac: result.head.mac,
          keyId: result.keyId,
          at: new Date().toISOString(),
        })
      );
      console.log(
        `${chainName(result.type)}: signed ${result.resigned} item(s) under key ${result.keyId}, up to version ${result.head.version}, without verifying them.`
      );
    }
    return 0;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`history:resign: ${error.message}`);
    process.exit(1);
  }
);
