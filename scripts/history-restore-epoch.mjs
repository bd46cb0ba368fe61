#!/usr/bin/env node
/**
 * Records, in the signed chain head, that the database was restored from a
 * backup: the history now ends at the head the backup held, and the versions
 * a witness saw after it — before now — were abandoned by this restore (the
 * next changes reuse their numbers). Without this record, the offline verifier
 * reports those witnessed versions as missing, as it must for a truncation.
 *
 *   npm run history:restore-epoch                 says what it would record
 *   npm run history:restore-epoch -- --yes [--expect-version N] [--note TEXT] [--type KEY|UID]
 *
 * --type: a versioned type's chain (default: the settings'). A backup restores
 * every chain at once: record it for each one (`--type all`).
 *
 * Run it right after `npm run restore`, before the CMS takes writes again. It
 * verifies the restored history first and records nothing if it does not verify.
 * Exit 0 recorded, 1 refused, 2 bad usage, 3 dry run.
 */
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import { chain, loadKeys, logWitnessLine, verifyDatabase } from './lib/chain.mjs';
import { ALL_TYPES, chainName, ringOf, selectChainTypes, typeOption } from './lib/chain-types.mjs';

const USAGE =
  'Usage: npm run history:restore-epoch -- [--yes] [--expect-version N] [--note TEXT] [--type KEY|UID|all]';

const parseOptions = () => {
  try {
    const { values } = parseArgs({
      options: {
        ...typeOption,
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
    const types = await selectChainTypes(db, options.type, { allowAll: true });
    if (options.type === ALL_TYPES && options.expectVersion !== null) {
      throw Object.assign(new Error('--expect-version names one chain: give one --type with it'), {
        exitCode: 2,
      });
    }
    const baseKeys = await loadKeys(db);
    // Every chain asked for, in one transaction: recorded for all of them, or for none.
    return await db.transaction(async (trx) => {
      const records = [];
      for (const type of types) {
        const keys = ringOf(baseKeys, type);
        const name = type.isSettings ? '' : `${chainName(type)}: `;
        const head = await chain.lockChain(trx, type.tables);
        const report = await verifyDatabase(trx, keys, type);
        if (!report.ok) {
          console.error(
            `history:restore-epoch: ${name}the restored history does not verify at version ${report.brokenAt} (${report.reason}): ${report.message}. Nothing was recorded.`
          );
          return 1;
        }
        if (options.expectVersion !== null && options.expectVersion !== head.version) {
          console.error(
            `history:restore-epoch: ${name}the restored history ends at version ${head.version}, not ${options.expectVersion}. Nothing was recorded.`
          );
          return 1;
        }
        console.log(
          `${name}The restored history ends at version ${head.version}: witnessed versions after it, until now, will be reported as abandoned by this restore.`
        );
        records.push({ type, keys, head });
      }
      if (!options.yes) {
        console.log('Dry run: nothing was recorded. Re-run with --yes.');
        return 3;
      }
      const at = new Date().toISOString();
      for (const { type, keys, head } of records) {
        const epoch = {
          kind: 'restore-epoch',
          at,
          atVersion: head.version,
          atMac: head.mac,
          ...(options.note ? { note: options.note } : {}),
        };
        const signed = chain.signHead(keys.current, { ...head, events: [...head.events, epoch] });
        await chain.writeHead(trx, signed, type.tables);
        logWitnessLine('history.restore-epoch', {
          ...(type.isSettings ? {} : { chainType: type.key }),
          version: signed.version,
          headMac: signed.mac,
          keyId: signed.keyId,
          restoredAt: at,
        });
      }
      return 0;
    });
  } catch (error) {
    console.error(`history:restore-epoch: ${error.message}`);
    return error.exitCode ?? 1;
  } finally {
    await db.destroy();
  }
};

main().then((code) => process.exit(code));
