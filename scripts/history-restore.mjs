#!/usr/bin/env node
/**
 * Puts archived history back into the database.
 *
 *   npm run history:restore                      every archive file in ./archives
 *   npm run history:restore -- --dir DIR         (or HISTORY_ARCHIVE_DIR)
 *   npm run history:restore -- FILE...           only these files
 *   npm run history:restore -- --type KEY|UID    a versioned type's chain (default: the
 *                                                settings'): its files in DIR/<key>/
 *
 * A file of another chain than the one named is refused before anything is written.
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
import {
  archiveDirOf,
  chainName,
  ringOf,
  selectChainTypes,
  typeOption,
  verifyPath,
} from './lib/chain-types.mjs';
import { assertSchema, connect, loadDotEnv } from './lib/database.mjs';
import { listArchiveFiles, readArchiveFile, retireArchiveFile } from './lib/archive-files.mjs';
import { columnKinds, toRow } from './lib/history-records.mjs';
import { createProgressBar, stopOnInterrupt } from './lib/progress.mjs';

// Rows per INSERT, well under SQLite's limit on bound values.
const INSERT_CHUNK = 200;

const USAGE = 'Usage: npm run history:restore -- [--type KEY|UID] [--dir DIR] [FILE...]';

const parseOptions = () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...typeOption,
      dir: { type: 'string', default: process.env.HISTORY_ARCHIVE_DIR || 'archives' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  return {
    type: values.type,
    dir: values.dir,
    named: positionals.map((file) => path.resolve(file)),
  };
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
const restoreFile = async (db, keys, type, kinds, file, records) =>
  db.transaction(async (trx) => {
    const { tables } = type;
    const head = await chain.lockChain(trx, tables);
    if (chain.headStanding(keys, head) !== 'signed') {
      throw new Error(
        `the chain head of ${chainName(type)} is missing or not signed with HISTORY_SIGNING_KEY: run npm run history:adopt${type.isSettings ? '' : ` -- --type ${type.key}`} first`
      );
    }
    const keysFor = chain.keysForVersion(keys, head.events);
    const versions = records.map((record) => record.version);
    const present = new Map(
      (await trx(tables.history).whereIn('version', versions).select('version', 'hash')).map(
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
      await trx(tables.history).insert(
        missing.slice(i, i + INSERT_CHUNK).map((r) => toRow(r, kinds))
      );
    }

    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    const rowsByVersion = new Map(
      records.map((record) => [record.version, chain.rowFromDb(record)])
    );
    const filled = (await chain.readCheckpoints(trx, tables)).filter(
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
      await trx(tables.checkpoints).where({ from_version: checkpoint.fromVersion }).del();
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
        tables,
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
        chain.signHead(keys.current, { ...result.head, events: head.events }),
        tables
      );
    }
    return missing.length;
  });

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const db = connect();
  const interrupt = stopOnInterrupt();
  try {
    await assertSchema(db);
    const [type] = await selectChainTypes(db, options.type);
    const dir = archiveDirOf(options.dir, type);
    const files =
      options.named.length > 0 ? options.named : listArchiveFiles(dir).map((file) => file.path);
    if (files.length === 0) {
      console.log(`No archive files in ${dir}/`);
      return 0;
    }
    const keys = ringOf(await loadKeys(db), type);
    const kinds = await columnKinds(db, type.tables.history);
    // Every file is read (and its chain checked) before the first one goes back.
    const archives = files.map((file) => ({ file, ...readArchiveFile(file, type.key) }));
    const total = archives.reduce((sum, archive) => sum + archive.records.length, 0);

    const bar = createProgressBar('Restoring');
    bar.start(total, 0);
    let done = 0;
    let inserted = 0;
    let restoredFiles = 0;
    for (const archive of archives) {
      if (interrupt.requested) break;
      inserted += await restoreFile(db, keys, type, kinds, archive.file, archive.records);
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
    console.log(`Check the chain: GET ${verifyPath(type)}`);
    return 0;
  } finally {
    await db.destroy();
  }
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`history:restore: ${error.message}`);
    process.exit(error.exitCode ?? 1);
  }
);
