#!/usr/bin/env node
/**
 * Puts archived settings history back into the database.
 *
 *   npm run history:restore                      every archive file in ./archives
 *   npm run history:restore -- --dir DIR         (or HISTORY_ARCHIVE_DIR)
 *   npm run history:restore -- FILE...           only these files
 *
 * Rows come back exactly as they were (same id, version, hash and timestamps),
 * so the hash chain verifies again across them. A restored file is moved to
 * DIR/restored/, out of the archive run's way.
 *
 * Safe to interrupt and rerun: each file goes back in one transaction; a version
 * already in the database is skipped when it is the same row (same hash) and
 * stops the restore when it is not.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { assertSchema, connect, HISTORY_TABLE, loadDotEnv } from './lib/database.mjs';
import { listArchiveFiles, readArchiveFile, retireArchiveFile } from './lib/archive-files.mjs';
import { columnKinds, toRow } from './lib/history-records.mjs';
import { createProgressBar, stopOnInterrupt } from './lib/progress.mjs';

// Rows per INSERT, well under SQLite's limit on bound values.
const INSERT_CHUNK = 200;

const parseOptions = () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      dir: { type: 'string', default: process.env.HISTORY_ARCHIVE_DIR || 'archives' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run history:restore -- [--dir DIR] [FILE...]');
    process.exit(0);
  }
  const files =
    positionals.length > 0
      ? positionals.map((file) => path.resolve(file))
      : listArchiveFiles(values.dir).map((file) => file.path);
  return { dir: values.dir, files };
};

/** Inserts the records not yet in the database; returns how many it inserted. */
const restoreFile = async (db, kinds, records) =>
  db.transaction(async (trx) => {
    const versions = records.map((record) => record.version);
    const present = new Map(
      (await trx(HISTORY_TABLE).whereIn('version', versions).select('version', 'hash')).map(
        (row) => [Number(row.version), row.hash]
      )
    );
    const missing = records.filter((record) => {
      if (!present.has(record.version)) return true;
      if (present.get(record.version) !== record.hash) {
        throw new Error(`Version ${record.version} is in the database with different content`);
      }
      return false;
    });
    for (let i = 0; i < missing.length; i += INSERT_CHUNK) {
      await trx(HISTORY_TABLE).insert(
        missing.slice(i, i + INSERT_CHUNK).map((r) => toRow(r, kinds))
      );
    }
    return missing.length;
  });

const main = async () => {
  const options = parseOptions();
  if (options.files.length === 0) {
    console.log(`No archive files in ${options.dir}/`);
    return 0;
  }
  loadDotEnv();
  const db = connect();
  const interrupt = stopOnInterrupt();
  try {
    await assertSchema(db);
    const kinds = await columnKinds(db);
    const archives = options.files.map((file) => ({ file, ...readArchiveFile(file) }));
    const total = archives.reduce((sum, archive) => sum + archive.records.length, 0);

    const bar = createProgressBar('Restoring');
    bar.start(total, 0);
    let done = 0;
    let inserted = 0;
    let restoredFiles = 0;
    for (const archive of archives) {
      if (interrupt.requested) break;
      inserted += await restoreFile(db, kinds, archive.records);
      retireArchiveFile(archive.file);
      done += archive.records.length;
      restoredFiles += 1;
      bar.update(done);
    }
    bar.stop();
    console.log(
      `Restored ${inserted} versions (${done - inserted} were already there) from ${restoredFiles} file(s)`
    );
    if (restoredFiles < archives.length) {
      console.log('Interrupted: run the same command again to restore the remaining files.');
      return 130;
    }
    console.log('Check the chain: GET /api/platform-settings/history/verify');
    return 0;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`history:restore: ${error.message}`);
    process.exit(1);
  }
);
