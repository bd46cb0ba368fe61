/**
 * Archive files: gzipped JSON Lines, one file per batch, named by the version
 * range they hold (`history-v0000000001-v0000001000.jsonl.gz`). The first line
 * is a header with the row count, so a file that lost lines is caught on read.
 * Files are written under a temporary name, flushed to disk, then renamed: a
 * file with its final name is complete.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const FORMAT = 'platform-settings-history-archive';
const NAME = /^history-v(\d+)-v(\d+)\.jsonl\.gz$/;
const pad = (version) => String(version).padStart(10, '0');

export const RESTORED_DIR = 'restored';

/** Archive files in `dir`, oldest versions first. */
export const listArchiveFiles = (dir) => {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, match: NAME.exec(name) }))
    .filter(({ match }) => match)
    .map(({ name, match }) => ({
      name,
      path: path.join(dir, name),
      from: Number(match[1]),
      to: Number(match[2]),
    }))
    .sort((a, b) => a.from - b.from);
};

const fsyncPath = (target, flags) => {
  const fd = fs.openSync(target, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
};

/** Writes one batch of records (sorted by version) of the chain `chainType` names; returns the file's path. */
export const writeArchiveFile = (dir, records, chainType = 'settings') => {
  const from = records[0].version;
  const to = records[records.length - 1].version;
  const final = path.join(dir, `history-v${pad(from)}-v${pad(to)}.jsonl.gz`);
  if (fs.existsSync(final)) throw new Error(`${final} already exists; refusing to overwrite it`);
  const header = {
    format: FORMAT,
    formatVersion: 1,
    from,
    to,
    count: records.length,
    archivedAt: new Date().toISOString(),
    chainType,
  };
  const lines = [header, ...records].map((line) => JSON.stringify(line)).join('\n') + '\n';

  fs.mkdirSync(dir, { recursive: true });
  const partial = `${final}.partial`;
  fs.writeFileSync(partial, zlib.gzipSync(lines));
  fsyncPath(partial, 'r+');
  fs.renameSync(partial, final);
  fsyncPath(dir, 'r'); // the rename itself survives a crash
  return final;
};

/**
 * Reads and checks one archive file; with `chainType`, it must be of that chain
 * (files from before types name none: the settings').
 */
export const readArchiveFile = (file, chainType) => {
  const [headerLine, ...lines] = zlib
    .gunzipSync(fs.readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  const header = JSON.parse(headerLine);
  if (header.format !== FORMAT) throw new Error(`${file} is not a history archive`);
  const holds = header.chainType ?? 'settings';
  if (chainType !== undefined && holds !== chainType) {
    throw new Error(`${file} holds the history of ${holds}, not of ${chainType}`);
  }
  const records = lines.map((line) => JSON.parse(line));
  if (records.length !== header.count) {
    throw new Error(`${file} holds ${records.length} rows; its header says ${header.count}`);
  }
  return { header, records };
};

/** Moves a restored file aside, so a later archive run does not take its rows out again. */
export const retireArchiveFile = (file) => {
  const dir = path.join(path.dirname(file), RESTORED_DIR);
  fs.mkdirSync(dir, { recursive: true });
  let target = path.join(dir, path.basename(file));
  if (fs.existsSync(target)) target = `${target}.${Date.now()}`;
  fs.renameSync(file, target);
  return target;
};
