#!/usr/bin/env node
/**
 * Records, in the signed chain head, that the database was restored from a
 * backup: the history now ends at the head the backup held, and the versions
 * a witness saw after it — before now — were abandoned by this restore (the
 * next changes reuse their numbers). Without this record, the offline verifier
 * reports those witnessed versions as missing, as it must for a truncation.
 *
 *   npm run history:restore-epoch                 says what it would record
 *   npm run history:restore-epoch -- --yes [--expect-version N] [--note TEXT]
 *
 * Run it right after `npm run restore`, before the CMS takes writes again. It
 * verifies the restored history first and records nothing if it does not verify.
 * Exit 0 recorded, 1 refused, 2 bad usage, 3 dry run.
 */
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import { chain, loadKeys, logWitnessLine, verifyDatabase } from './lib/chain.mjs';

const USAGE = 'Usage: npm run history:restore-epoch -- [--yes] [--expect-version N] [--note TEXT]';

const parseOptions = () => {
  try {
    const { values } = parseArgs({
      options: {
        yes: { type: 'boolean', default: false },
        'expect-version': { type: 'string' },
        note: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(USAGE);
      process.exit(0);
    }
    const expected = values['expect-version'];
    if (expected !== undefined && !/^\d+$/.test(expected)) {
      throw new Error('--expect-version must be a version number');
    }
    if (values.note !== undefined && values.note.length > 500) {
      throw new Error('--note must be at most 500 characters');
    }
    return { ...values, expectVersion: expected === undefined ? null : Number(expected) };
  } catch (error) {
    console.error(`history:restore-epoch: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
};

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  try {
    await assertSchema(db);
    const keys = await loadKeys(db);
    return await db.transaction(async (trx) => {
      const head = await chain.lockChain(trx);
      const report = await verifyDatabase(trx, keys);
      if (!report.ok) {
        console.error(
          `history:restore-epoch: the restored history does not verify at version ${report.brokenAt} (${report.reason}): ${report.message}. Nothing was recorded.`
        );
        return 1;
      }
      if (options.expectVersion !== null && options.expectVersion !== head.version) {
        console.error(
          `history:restore-epoch: the restored history ends at version ${head.version}, not ${options.expectVersion}. Nothing was recorded.`
        );
        return 1;
      }
      console.log(
        `The restored history ends at version ${head.version}: witnessed versions after it, until now, will be reported as abandoned by this restore.`
      );
      if (!options.yes) {
        console.log('Dry run: nothing was recorded. Re-run with --yes.');
        return 3;
      }
      const at = new Date().toISOString();
      const epoch = {
        kind: 'restore-epoch',
        at,
        atVersion: head.version,
        atMac: head.mac,
        ...(options.note ? { note: options.note } : {}),
      };
      const signed = chain.signHead(keys.current, { ...head, events: [...head.events, epoch] });
      await chain.writeHead(trx, signed);
      logWitnessLine('history.restore-epoch', {
        version: signed.version,
        headMac: signed.mac,
        keyId: signed.keyId,
        restoredAt: at,
      });
      return 0;
    });
  } catch (error) {
    console.error(`history:restore-epoch: ${error.message}`);
    return 1;
  } finally {
    await db.destroy();
  }
};

main().then((code) => process.exit(code));
