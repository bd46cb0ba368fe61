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
 *   npm run history:resign -- --trust-current-contents --yes
 */
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import { chain, loadKeys } from './lib/chain.mjs';

const USAGE = 'Usage: npm run history:resign -- --trust-current-contents --yes';

const main = async () => {
  const { values } = parseArgs({
    options: {
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
    const keys = await loadKeys(db);
    if (!values.yes) {
      console.log(
        `Would sign the whole history under key ${keys.current.id} without verifying it. Re-run with --yes.`
      );
      return 3;
    }
    const result = await db.transaction(async (trx) => {
      await chain.lockChain(trx);
      const resigned = await chain.resignFrom(trx, 1, {
        keys,
        keysFor: () => [keys.current],
        acceptLegacy: true,
        legacyGaps: true,
        trustEverything: true,
      });
      if (resigned.stoppedAt !== null) throw new Error(`stopped at version ${resigned.stoppedAt}`);
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
        chain.signHead(keys.current, { ...resigned.head, events: [event] })
      );
      return resigned;
    });
    console.log(
      JSON.stringify({
        event: 'history.resigned',
        trustedWithoutVerifying: true,
        version: result.head.version,
        headMac: result.head.mac,
        keyId: keys.current.id,
        at: new Date().toISOString(),
      })
    );
    console.log(
      `Signed ${result.resigned} item(s) under key ${keys.current.id}, up to version ${result.head.version}, without verifying them.`
    );
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
