#!/usr/bin/env node
/**
 * Writes the whole settings history — rows, checkpoints, chain head and the
 * live settings — as NDJSON (one JSON object a line), read in one consistent
 * snapshot of the database. `npm run history:verify` checks it offline.
 *
 *   npm run history:export                      history-export-<time>.ndjson
 *   npm run history:export -- --out FILE        (or - for standard output)
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { assertSchema, connect, loadDotEnv, SETTINGS_TABLE } from './lib/database.mjs';
import { chain, liveSnapshot } from './lib/chain.mjs';

export const EXPORT_FORMAT = 'platform-settings-history-export';

const parseOptions = () => {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run history:export -- [--out FILE|-]');
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return { out: values.out ?? `history-export-${stamp}.ndjson` };
};

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  const toStdout = options.out === '-';
  const out = toStdout ? process.stdout : fs.createWriteStream(options.out);
  const write = (line) =>
    new Promise((resolve) =>
      out.write(`${JSON.stringify(line)}\n`) ? resolve() : out.once('drain', resolve)
    );
  try {
    await assertSchema(db);
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
      });
      let newest = null;
      for await (const item of chain.chainItems(trx)) {
        if ('row' in item) {
          await write({ type: 'row', ...item.row });
          newest = item.row;
          rows += 1;
        } else {
          await write({ type: 'checkpoint', ...item.checkpoint });
        }
      }
      const head = await chain.readHead(trx);
      // With its signature and events: the offline verifier checks it like the server.
      if (head) await write({ type: 'head', ...head });
      const live = await trx(SETTINGS_TABLE).orderBy('id').first();
      if (live) {
        const fields = Object.keys(newest?.data ?? {});
        await write({
          type: 'live',
          version: Number(live.version),
          data: liveSnapshot(live, fields),
        });
      }
    }, isolation);
    if (!toStdout) {
      await new Promise((resolve, reject) =>
        out.end((error) => (error ? reject(error) : resolve()))
      );
      console.error(`Exported ${rows} history rows to ${options.out}`);
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
    process.exit(1);
  }
);
