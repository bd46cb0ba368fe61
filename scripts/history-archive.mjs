#!/usr/bin/env node
/**
 * Moves old settings history rows out of the database into compressed archive
 * files (gzipped JSON Lines), in batches. `history-restore.mjs` puts them back.
 *
 *   npm run history:archive -- --keep 1000            keep the newest 1,000 versions
 *   npm run history:archive -- --older-than 180d      archive versions older than 180 days
 *   options: --dir archives (or HISTORY_ARCHIVE_DIR)  --batch-size 1000  --dry-run
 *
 * With both --keep and --older-than, a version must pass both to be archived.
 * Never archived: the live version, the newest --keep versions, pinned versions.
 *
 * Safe to interrupt and rerun: each batch is first written to its own file and
 * flushed to disk, and only then deleted from the database. A run stopped between
 * the two leaves rows that are in a file and still in the database; the next run
 * finds them (same version, same hash) and finishes that delete before anything
 * else. No row is ever only in memory, and none ends up in two files.
 */
import { parseArgs } from 'node:util';
import { assertSchema, connect, HISTORY_TABLE, liveVersion, loadDotEnv } from './lib/database.mjs';
import { listArchiveFiles, readArchiveFile, writeArchiveFile } from './lib/archive-files.mjs';
import { columnKinds, toRecord } from './lib/history-records.mjs';
import { createProgressBar, stopOnInterrupt } from './lib/progress.mjs';

const USAGE = `Usage: npm run history:archive -- (--keep N | --older-than AGE) [--dir DIR] [--batch-size N] [--dry-run]
  AGE is a number of days, hours or weeks: 180d, 36h, 26w.`;

const DURATION_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const parseOptions = () => {
  const { values } = parseArgs({
    options: {
      keep: { type: 'string' },
      'older-than': { type: 'string' },
      dir: { type: 'string', default: process.env.HISTORY_ARCHIVE_DIR || 'archives' },
      'batch-size': { type: 'string', default: '1000' },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const fail = (message) => {
    console.error(`history:archive: ${message}\n${USAGE}`);
    process.exit(2);
  };
  const keep = values.keep === undefined ? null : Number(values.keep);
  if (keep !== null && !(Number.isInteger(keep) && keep >= 0))
    fail('--keep must be a whole number');
  let olderThan = null;
  if (values['older-than'] !== undefined) {
    const match = /^(\d+)([hdw])$/.exec(values['older-than']);
    if (!match) fail('--older-than must look like 180d, 36h or 26w');
    olderThan = new Date(Date.now() - Number(match[1]) * DURATION_MS[match[2]]);
  }
  if (keep === null && olderThan === null)
    fail('say what to keep: --keep N and/or --older-than AGE');
  const batchSize = Number(values['batch-size']);
  if (!(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
    fail('--batch-size must be between 1 and 10000');
  }
  return { keep, olderThan, dir: values.dir, batchSize, dryRun: values['dry-run'] };
};

/** Rows that are not pinned (NULL counts as not pinned, as the plugin treats it). */
const notPinned = (query) => query.where((q) => q.where('pinned', false).orWhereNull('pinned'));

/**
 * Finishes what an interrupted run left: rows already safe in an archive file
 * but still in the database are deleted now — after checking they are the same
 * rows (same hash). A pinned or live row is left where it is.
 */
const finishInterruptedBatches = async (db, dir, live) => {
  let finished = 0;
  for (const file of listArchiveFiles(dir)) {
    const present = await notPinned(db(HISTORY_TABLE).whereBetween('version', [file.from, file.to]))
      .whereNot('version', live ?? -1)
      .select('version', 'hash');
    if (present.length === 0) continue;
    const archived = new Map(readArchiveFile(file.path).records.map((r) => [r.version, r.hash]));
    const versions = [];
    for (const row of present) {
      const version = Number(row.version);
      if (!archived.has(version)) continue;
      if (archived.get(version) !== row.hash) {
        throw new Error(`Version ${version} in ${file.name} differs from the database; stopping`);
      }
      versions.push(version);
    }
    await db.transaction((trx) => trx(HISTORY_TABLE).whereIn('version', versions).del());
    finished += versions.length;
  }
  return finished;
};

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  const interrupt = stopOnInterrupt();
  try {
    await assertSchema(db);
    const live = await liveVersion(db);
    const finished = options.dryRun ? 0 : await finishInterruptedBatches(db, options.dir, live);
    if (finished > 0) console.log(`Finished an interrupted run: removed ${finished} archived rows`);

    const newest = Number((await db(HISTORY_TABLE).max('version as max').first())?.max ?? 0);
    // Fixed for the whole run, so versions written meanwhile never shift the window.
    const candidates = (query) => {
      notPinned(query);
      if (live !== null) query.whereNot('version', live);
      if (options.keep !== null) query.where('version', '<=', newest - options.keep);
      if (options.olderThan !== null) query.where('created_at', '<', options.olderThan);
      return query;
    };
    const total = Number((await candidates(db(HISTORY_TABLE)).count('* as n').first()).n);
    if (options.dryRun || total === 0) {
      console.log(
        `${total} versions to archive${options.dryRun ? ' (dry run: nothing changed)' : ''}`
      );
      return 0;
    }

    const kinds = await columnKinds(db);
    const bar = createProgressBar('Archiving');
    bar.start(total, 0);
    let archived = 0;
    let files = 0;
    while (!interrupt.requested) {
      const rows = await candidates(db(HISTORY_TABLE).select('*'))
        .orderBy('version')
        .limit(options.batchSize);
      if (rows.length === 0) break;
      const records = rows.map((row) => toRecord(row, kinds));
      // 1. The file, flushed to disk. 2. Only then, the delete.
      writeArchiveFile(options.dir, records);
      const versions = records.map((record) => record.version);
      await db.transaction((trx) =>
        notPinned(trx(HISTORY_TABLE).whereIn('version', versions)).del()
      );
      archived += rows.length;
      files += 1;
      bar.update(archived);
    }
    bar.stop();
    console.log(`Archived ${archived} versions into ${files} file(s) in ${options.dir}/`);
    if (interrupt.requested && archived < total) {
      console.log('Interrupted: run the same command again to continue where it stopped.');
      return 130;
    }
    return 0;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`history:archive: ${error.message}`);
    process.exit(1);
  }
);
