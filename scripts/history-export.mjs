#!/usr/bin/env node
/**
 * Writes the whole history of one chain — rows, checkpoints, chain head and
 * the live version — as NDJSON (one JSON object a line), read in one
 * consistent snapshot of the database. `npm run history:verify` checks it
 * offline. The header names the chain's type, so the verifier derives that
 * type's key.
 *
 *   npm run history:export                      history-export-<time>.ndjson (the settings)
 *   npm run history:export -- --out FILE        (or - for standard output)
 *   npm run history:export -- --type home-page  a versioned type's chain (key or uid)
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import { chain, liveSnapshot, readLiveState } from './lib/chain.mjs';
import { chainName, selectChainTypes, typeOption } from './lib/chain-types.mjs';

const USAGE = 'Usage: npm run history:export -- [--out FILE|-] [--type KEY|UID]';

export const EXPORT_FORMAT = 'platform-settings-history-export';

const parseOptions = () => {
  const { values } = parseArgs({
    options: {
      ...typeOption,
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { type: values.type, out: values.out ?? `history-export-${stamp}.ndjson` };
};

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  let type;
  try {
    await assertSchema(db);
    [type] = await selectChainTypes(db, options.type);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const { tables } = type;
  const toStdout = options.out === '-';
  const out = toStdout ? process.stdout : fs.createWriteStream(options.out);
  const write = (line) =>
    new Promise((resolve) =>
      out.write(`${JSON.stringify(line)}\n`) ? resolve() : out.once('drain', resolve)
    );
  try {
    let rows = 0;
    // One snapshot: a change committed meanwhile must not make the export look broken.
    const isolation =
      chain.dialectOf(db) === 'sqlite' ? undefined : { isolationLevel: 'repeatable read' };
    await db.transaction(async (trx) => {
      await write({
        type: 'header',
        format: EXPORT_FORMAT,
        formatVersion: 1,
        exportedAt: new Date().toISOString(),
        chainType: { uid: type.uid, key: type.key, displayName: type.displayName },
      });
      let newest = null;
      for await (const item of chain.chainItems(trx, 1, tables)) {
        if ('row' in item) {
          await write({ type: 'row', ...item.row });
          newest = item.row;
          rows += 1;
        } else {
          await write({ type: 'checkpoint', ...item.checkpoint });
        }
      }
      const head = await chain.readHead(trx, tables);
      // With its signature and events: the offline verifier checks it like the server.
      if (head) await write({ type: 'head', ...head });
      const fields = Object.keys(newest?.data ?? {});
      if (type.isSettings) {
        const live = await trx(tables.live).orderBy('id').first();
        if (live) {
          await write({
            type: 'live',
            version: Number(live.version),
            data: liveSnapshot(live, fields),
          });
        }
      } else {
        // The published row; its components and relations only the server's verify compares.
        const live = await readLiveState(trx, fields, type);
        if (live) await write({ type: 'live', ...live });
      }
    }, isolation);
    if (!toStdout) {
      await new Promise((resolve, reject) =>
        out.end((error) => (error ? reject(error) : resolve()))
      );
      console.error(`Exported ${rows} history rows of ${chainName(type)} to ${options.out}`);
    }
    return 0;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`history:export: ${error.message}`);
    process.exit(error.exitCode ?? 1);
  }
);
