#!/usr/bin/env node
/**
 * Puts archived settings history back into the database.
 *
 *   npm run history:restore                      every archive file in ./archives
 *   npm run history:restore -- --dir DIR         (or HISTORY_ARCHIVE_DIR)
 *   npm run history:restore -- FILE...           only these files
 *
 * Rows come back exactly as they were (same id, version, MAC and timestamps),
 * and the checkpoint that stood in for them is removed, so the chain verifies
 * end to end again. Rows that no longer chain as they are (archived before a
 * key rotation, or before checkpoints existed) are signed again, with what
 * follows them, once the file is vouched for: its sha256 matches the signed
 * checkpoint, or (legacy) its rows' own hash chain holds. A restored file is
 * moved to DIR/restored/, out of the archive run's way.
 *
 * Safe to interrupt and rerun: each file goes back in one transaction; a version
 * already in the database is skipped when it is the same row (same hash) and
 * stops the restore when it is not.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chain, loadKeys } from './lib/chain.mjs';
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

/** Do the file's rows still chain as they are, from the checkpoint's prevMac to its lastMac? */
const chainsAsIs = (keysFor, checkpoint, rows) => {
  let link = checkpoint.prevMac;
  for (const row of rows) {
    if (!keysFor(row.version).some((key) => chain.rowMac(key.secret, link, row) === row.hash)) {
      return false;
    }
    link = row.hash;
  }
  return link === checkpoint.lastMac;
};

/** A file from before checkpoints: its rows' unkeyed hashes must chain among themselves. */
const legacyChainHolds = (rows) =>
  rows.every((row, i) => i === 0 || chain.legacyRowHash(rows[i - 1].hash, row) === row.hash);

/**
 * In one transaction, under the writer lock: inserts the records not yet in the
 * database, removes the checkpoints they fill, and signs again what no longer
 * chains as it is. Returns how many rows it inserted.
 */
const restoreFile = async (db, keys, kinds, file, records) =>
  db.transaction(async (trx) => {
    const head = await chain.lockChain(trx);
    if (chain.headStanding(keys, head) !== 'signed') {
      throw new Error(
        'the chain head is missing or not signed with HISTORY_SIGNING_KEY: run npm run history:adopt first'
      );
    }
    const keysFor = chain.keysForVersion(keys, head.events);
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

    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const rowsByVersion = new Map(
      records.map((record) => [record.version, chain.rowFromDb(record)])
    );
    const filled = (await chain.readCheckpoints(trx)).filter(
      (c) => c.fromVersion >= versions[0] && c.toVersion <= versions.at(-1)
    );
    const trusted = new Set();
    const storedLinkAfter = new Map();
    let resignFrom = null;
    for (const checkpoint of filled) {
      const rows = [];
      for (let v = checkpoint.fromVersion; v <= checkpoint.toVersion; v += 1) {
        if (!rowsByVersion.has(v)) throw new Error(`${path.basename(file)} lacks version ${v}`);
        rows.push(rowsByVersion.get(v));
      }
      await trx(chain.CHECKPOINT_TABLE).where({ from_version: checkpoint.fromVersion }).del();
      if (chainsAsIs(keysFor, checkpoint, rows)) continue;
      const vouched =
        checkpoint.fileDigest === null ? legacyChainHolds(rows) : checkpoint.fileDigest === digest;
      if (!vouched) {
        throw new Error(
          `${path.basename(file)} is not the file archived for versions ${checkpoint.fromVersion}–${checkpoint.toVersion} (its sha256 or hashes differ); nothing was restored`
        );
      }
      rows.forEach((row) => trusted.add(row.version));
      storedLinkAfter.set(checkpoint.toVersion, checkpoint.lastMac);
      resignFrom = Math.min(resignFrom ?? Infinity, checkpoint.fromVersion);
    }
    if (resignFrom !== null) {
      const result = await chain.resignFrom(trx, resignFrom, {
        keys,
        keysFor,
        trusted,
        storedLinkAfter,
      });
      if (result.stoppedAt !== null) {
        throw new Error(
          `version ${result.stoppedAt} cannot be vouched for, so nothing after it can be signed again; nothing was restored`
        );
      }
      await chain.writeHead(
        trx,
        chain.signHead(keys.current, { ...result.head, events: head.events })
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
    const keys = await loadKeys(db);
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
      inserted += await restoreFile(db, keys, kinds, archive.file, archive.records);
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
