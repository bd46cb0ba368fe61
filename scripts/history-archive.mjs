#!/usr/bin/env node
/**
 * Moves old history rows out of the database into compressed archive files
 * (gzipped JSON Lines), in batches. `history-restore.mjs` puts them back.
 *
 *   npm run history:archive -- --keep 1000            keep the newest 1,000 versions
 *   npm run history:archive -- --older-than 180d      archive versions older than 180 days
 *   options: --dir archives (or HISTORY_ARCHIVE_DIR)  --batch-size 1000  --dry-run
 *            --type KEY|UID   a versioned type's chain (default: the settings'); its
 *                             files go to DIR/<key>/, and each file names its chain
 *
 * With both --keep and --older-than, a version must pass both to be archived.
 * Never archived: the live version, the newest --keep versions, pinned versions.
 *
 * In the same transaction that deletes a batch's rows, a signed checkpoint is
 * written for each contiguous range of them: the range, the MACs it chains from
 * and ends with, and the sha256 of the file. Verify accepts a gap only where a
 * checkpoint covers exactly that range, so a deleted row never passes for an
 * archived one.
 *
 * Safe to interrupt and rerun: each batch is first written to its own file and
 * flushed to disk, and only then deleted from the database. A run stopped between
 * the two leaves rows that are in a file and still in the database; the next run
 * finds them (same version, same hash) and finishes that delete before anything
 * else. No row is ever only in memory, and none ends up in two files.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assertSchema, connect, liveVersion, loadDotEnv } from './lib/database.mjs';
import { listArchiveFiles, readArchiveFile, writeArchiveFile } from './lib/archive-files.mjs';
import { chain, loadKeys, verifyDatabase } from './lib/chain.mjs';
import { archiveDirOf, ringOf, selectChainTypes, typeOption } from './lib/chain-types.mjs';
import { columnKinds, toRecord } from './lib/history-records.mjs';
import { createProgressBar, stopOnInterrupt } from './lib/progress.mjs';

const USAGE = `Usage: npm run history:archive -- (--keep N | --older-than AGE) [--type KEY|UID] [--dir DIR] [--batch-size N] [--dry-run]
  AGE is a number of days, hours or weeks: 180d, 36h, 26w.`;

const DURATION_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };

const parseOptions = () => {
  const { values } = parseArgs({
    options: {
      ...typeOption,
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
  return {
    type: values.type,
    keep,
    olderThan,
    dir: values.dir,
    batchSize,
    dryRun: values['dry-run'],
  };
};

/** Rows that are not pinned (NULL counts as not pinned, as the plugin treats it). */
const notPinned = (query) => query.where((q) => q.where('pinned', false).orWhereNull('pinned'));

const fileDigest = (file) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Consecutive versions, as [[from, to], …]. */
const contiguousRuns = (versions) => {
  const runs = [];
  for (const version of versions) {
    const last = runs.at(-1);
    if (last && version === last[1] + 1) last[1] = version;
    else runs.push([version, version]);
  }
  return runs;
};

/**
 * In one transaction, under the writer lock: deletes the rows of `records`
 * that are still in the database exactly as the file holds them (and neither
 * pinned nor live meanwhile), with a signed checkpoint per contiguous range.
 * Returns how many rows it removed.
 */
const archiveRecords = (db, keys, type, file, records) =>
  db.transaction(async (trx) => {
    const { tables } = type;
    await chain.lockChain(trx, tables);
    const live = await liveVersion(trx, tables.live);
    const archived = new Map(records.map((record) => [record.version, record]));
    const present = await notPinned(trx(tables.history).whereIn('version', [...archived.keys()]))
      .whereNot('version', live ?? -1)
      .select('version', 'hash', 'signed_with')
      .orderBy('version');
    for (const row of present) {
      if (archived.get(Number(row.version)).hash !== row.hash) {
        throw new Error(
          `Version ${row.version} in ${path.basename(file)} differs from the database; stopping`
        );
      }
    }
    const byVersion = new Map(present.map((row) => [Number(row.version), row]));
    const digest = fileDigest(file);
    const archivedAt = new Date().toISOString();
    for (const [from, to] of contiguousRuns([...byVersion.keys()])) {
      await chain.insertCheckpoint(
        trx,
        chain.signCheckpoint(keys, {
          fromVersion: from,
          toVersion: to,
          prevMac: await chain.linkBefore(trx, from, tables),
          lastMac: byVersion.get(to).hash,
          fileDigest: digest,
          fileName: path.basename(file),
          rowCount: to - from + 1,
          rowsKeyId: byVersion.get(to).signed_with ?? chain.LEGACY_SCHEME,
          archivedAt,
        }),
        tables
      );
      await trx(tables.history).whereBetween('version', [from, to]).del();
    }
    return byVersion.size;
  });

/** Finishes what an interrupted run left: rows already safe in a file but still in the database. */
const finishInterruptedBatches = async (db, keys, type, dir) => {
  let finished = 0;
  for (const file of listArchiveFiles(dir)) {
    const { records } = readArchiveFile(file.path, type.key);
    finished += await archiveRecords(db, keys, type, file.path, records);
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
    const [type] = await selectChainTypes(db, options.type);
    const { tables } = type;
    const dir = archiveDirOf(options.dir, type);
    const keys = ringOf(await loadKeys(db), type);
    // A checkpoint signs for the rows it replaces: only over a history that verifies.
    const report = await db.transaction((trx) => verifyDatabase(trx, keys, type));
    if (!report.ok) {
      throw new Error(
        `the history does not verify at version ${report.brokenAt} (${report.reason}): ${report.message}. Nothing was archived.`
      );
    }
    const live = await liveVersion(db, tables.live);
    const finished = options.dryRun ? 0 : await finishInterruptedBatches(db, keys, type, dir);
    if (finished > 0) console.log(`Finished an interrupted run: removed ${finished} archived rows`);

    const newest = Number((await db(tables.history).max('version as max').first())?.max ?? 0);
    // Fixed for the whole run, so versions written meanwhile never shift the window.
    const candidates = (query) => {
      notPinned(query);
      if (live !== null) query.whereNot('version', live);
      if (options.keep !== null) query.where('version', '<=', newest - options.keep);
      if (options.olderThan !== null) query.where('created_at', '<', options.olderThan);
      return query;
    };
    const total = Number((await candidates(db(tables.history)).count('* as n').first()).n);
    if (options.dryRun || total === 0) {
      console.log(
        `${total} versions to archive${options.dryRun ? ' (dry run: nothing changed)' : ''}`
      );
      return 0;
    }

    const kinds = await columnKinds(db, tables.history);
    const bar = createProgressBar('Archiving');
    bar.start(total, 0);
    let archived = 0;
    let files = 0;
    while (!interrupt.requested) {
      const rows = await candidates(db(tables.history).select('*'))
        .orderBy('version')
        .limit(options.batchSize);
      if (rows.length === 0) break;
      const records = rows.map((row) => toRecord(row, kinds));
      // 1. The file, flushed to disk. 2. Only then, the delete (with its checkpoints).
      const file = writeArchiveFile(dir, records, type.key);
      archived += await archiveRecords(db, keys, type, file, records);
      files += 1;
      bar.update(archived);
    }
    bar.stop();
    console.log(`Archived ${archived} versions into ${files} file(s) in ${dir}/`);
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
    process.exit(error.exitCode ?? 1);
  }
);
