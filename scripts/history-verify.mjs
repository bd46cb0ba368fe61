#!/usr/bin/env node
/**
 * Verifies an exported history offline — no server, no database — given the
 * signing key (HISTORY_SIGNING_KEY, and HISTORY_SIGNING_KEY_PREVIOUS after a
 * rotation), with the same checks as GET /api/platform-settings/history/verify.
 *
 *   npm run history:verify -- EXPORT.ndjson [ARCHIVE.jsonl.gz …] [--witness LOG] [--head V:MAC] [--type KEY|UID]
 *
 * The export names its chain's type (history:export --type), and the key that
 * type's chain is signed with is derived from HISTORY_SIGNING_KEY for it; with
 * --type, the export must be of that type. Only witness lines of that chain
 * count: a versioned type's lines carry its key as `chainType`.
 *
 * Archive files are matched to their checkpoints by sha256: a file that matches
 * proves that range; its rows are also checked link by link when the key they
 * were signed with is given. A witness is an independent record of the chain's
 * heads: the server's JSON log (each settings change logs the new head's MAC;
 * history:adopt and history:restore-epoch print theirs), or --head from
 * anywhere else. Every witnessed version must be in the history with the MAC
 * the witness saw — not only the newest — unless a signed event explains it:
 * versions after a restore epoch, seen before it, were abandoned by that
 * restore; versions an adoption signed again, seen before it, were superseded.
 * A newest version deleted together with the head row and the live row, or an
 * older one rewritten, — which nothing inside the database can reveal — is
 * caught here.
 *
 * Exit 0 when it verifies, 1 when it does not (the reason is printed), 2 on bad usage.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readArchiveFile } from './lib/archive-files.mjs';
import { chain, loadKeys } from './lib/chain.mjs';
import { chainName, ringOf } from './lib/chain-types.mjs';
import { loadDotEnv } from './lib/database.mjs';

const USAGE =
  'Usage: npm run history:verify -- EXPORT.ndjson [ARCHIVE.jsonl.gz …] [--witness LOGFILE] [--head VERSION:MAC] [--type KEY|UID] [--json]';

const parseOptions = () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      type: { type: 'string' },
      witness: { type: 'string', multiple: true, default: [] },
      head: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const exports = positionals.filter((file) => file.endsWith('.ndjson'));
  const archives = positionals.filter((file) => file.endsWith('.jsonl.gz'));
  const other = positionals.filter((file) => !exports.includes(file) && !archives.includes(file));
  if (exports.length !== 1 || other.length > 0) {
    console.error(
      `history:verify: give exactly one export (.ndjson) and any archive files (.jsonl.gz)\n${USAGE}`
    );
    process.exit(2);
  }
  let head = null;
  if (values.head) {
    const match = /^(\d+):([0-9a-f]{64})$/.exec(values.head);
    if (!match) {
      console.error(`history:verify: --head must look like 42:<64 hex digits>\n${USAGE}`);
      process.exit(2);
    }
    head = { version: Number(match[1]), mac: match[2], time: null, source: '--head' };
  }
  return {
    exportFile: exports[0],
    archives,
    witnessLogs: values.witness,
    head,
    json: values.json,
    type: values.type,
  };
};

const readExport = (file) => {
  const items = { rows: [], checkpoints: [], head: null, live: null, chainType: null };
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const header = JSON.parse(lines[0] ?? '{}');
  if (header.format !== 'platform-settings-history-export')
    throw new Error(`${file} is not a history export`);
  items.chainType = chainTypeOf(header.chainType);
  for (const line of lines.slice(1)) {
    const { type, ...item } = JSON.parse(line);
    if (type === 'row') items.rows.push(item);
    else if (type === 'checkpoint') items.checkpoints.push(item);
    else if (type === 'head') items.head = item;
    else if (type === 'live') items.live = item;
  }
  return items;
};

/** The chain an export holds: named in its header; exports from before types hold the settings'. */
const chainTypeOf = (named) => {
  if (!named || named.uid === chain.SETTINGS_CHAIN_TYPE.uid) return chain.SETTINGS_CHAIN_TYPE;
  if (typeof named.uid !== 'string' || typeof named.key !== 'string') {
    throw new Error("the export's header names no valid chain type");
  }
  return {
    uid: named.uid,
    key: named.key,
    displayName: typeof named.displayName === 'string' ? named.displayName : named.key,
    isSettings: false,
  };
};

const WITNESS_EVENTS = new Set([
  'settings.changed',
  'history.resigned',
  'history.adopted',
  'history.restore-epoch',
]);

/** Every head a JSON log witnessed: version, MAC, when (ms, or null) and where. */
const witnessesFromLogs = (files, type) => {
  const seen = [];
  for (const file of files) {
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, index) => {
        if (!line.includes('"headMac"')) return;
        let entry;
        try {
          entry = JSON.parse(line);
        } catch {
          return;
        }
        if (!WITNESS_EVENTS.has(entry.event) || !entry.headMac) return;
        // Each chain has its own heads: a line of another chain witnesses nothing here.
        if ((entry.chainType ?? 'settings') !== type.key) return;
        const time = Date.parse(entry.timestamp ?? entry.time ?? '');
        seen.push({
          version: Number(entry.version),
          mac: entry.headMac,
          time: Number.isNaN(time) ? null : time,
          source: `${path.basename(file)}:${index + 1}`,
        });
      });
  }
  return seen;
};

/** The unkeyed hashes the rows from version 1 on would have had (what a release before the keyed chain logged). */
const legacyChain = (rows) => {
  const macs = new Map();
  let link = '';
  const sorted = [...rows].sort((a, b) => a.version - b.version);
  for (const [index, row] of sorted.entries()) {
    if (row.version !== index + 1) break;
    link = chain.legacyRowHash(link, row);
    macs.set(row.version, link);
  }
  return macs;
};

/**
 * Checks one witnessed head against the verified history: 'ok', an excuse a
 * signed event gives (restore epoch, adoption), or a failure.
 */
const checkWitness = (
  witness,
  { rowsByVersion, checkpoints, headVersion, events, archivedMacs, legacyMacs }
) => {
  const explained = () => {
    if (witness.time === null) return null;
    for (const event of events) {
      const at = Date.parse(event.at);
      if (witness.time >= at) continue;
      if (event.kind === 'restore-epoch' && witness.version > event.atVersion) {
        return `abandoned by the restore of ${event.at}`;
      }
      // An adoption signed unkeyed rows again: the witness saw their old hash, which the
      // content as it is now must still give — or the adoption signed a rewrite.
      if (
        event.kind === 'adopt' &&
        event.resigned &&
        witness.version >= event.resigned.from &&
        witness.version <= event.resigned.to
      ) {
        if (event.trusted) return `signed again on trust after a lost key, ${event.at}`;
        if (legacyMacs.get(witness.version) === witness.mac) {
          return `signed again, unchanged, by the adoption of ${event.at}`;
        }
      }
    }
    return null;
  };
  const row = rowsByVersion.get(witness.version);
  const covering = checkpoints.find(
    (c) => witness.version >= c.fromVersion && witness.version <= c.toVersion
  );
  let stored = row?.hash;
  if (stored === undefined && covering) {
    stored =
      archivedMacs.get(witness.version) ??
      (covering.toVersion === witness.version ? covering.lastMac : undefined);
    if (stored === undefined) return { status: 'unchecked', note: 'archived (give its file)' };
  }
  if (stored === witness.mac) return { status: 'ok' };
  const excuse = explained();
  if (excuse) return { status: 'explained', note: excuse };
  if (stored === undefined) {
    return {
      status: 'failed',
      reason: 'missing',
      message: `${witness.source} witnessed version ${witness.version}, but the history ends at ${headVersion}: newer versions were removed`,
    };
  }
  return {
    status: 'failed',
    reason: 'altered',
    message: `${witness.source} witnessed version ${witness.version} with another MAC: it was rewritten`,
  };
};

/** Archived rows checked link by link, when the key that signed them is given. */
const archivedRowsChain = (keys, checkpoint, rows) => {
  const candidates = [keys.current, ...keys.previous];
  if (!candidates.some((key) => key.id === checkpoint.rowsKeyId)) return 'key-not-given';
  let link = rows[0] ? null : checkpoint.prevMac;
  for (const row of rows) {
    // The first row's own link may predate a re-signing of what came before it; the
    // signed file digest already vouches for the file, so it is taken as given.
    if (
      link !== null &&
      !candidates.some((key) => chain.rowMac(key.secret, link, row) === row.hash)
    ) {
      return `version ${row.version}`;
    }
    link = row.hash;
  }
  return link === checkpoint.lastMac ? 'ok' : `version ${checkpoint.toVersion}`;
};

const main = async () => {
  const options = parseOptions();
  loadDotEnv();
  const exported = readExport(options.exportFile);
  const type = exported.chainType;
  if (options.type !== undefined && options.type !== type.key && options.type !== type.uid) {
    console.error(
      `history:verify: ${options.exportFile} holds the chain of ${chainName(type)}, not --type ${options.type}`
    );
    return 2;
  }
  const keys = ringOf(await loadKeys(null), type);

  // Archive files, by sha256.
  const archiveByDigest = new Map();
  for (const file of options.archives) {
    const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    archiveByDigest.set(digest, { file, rows: readArchiveFile(file).records.map(chain.rowFromDb) });
  }
  const archiveNotes = [];
  const usedArchives = new Set();
  let broken = null;
  for (const checkpoint of exported.checkpoints) {
    const archive = checkpoint.fileDigest ? archiveByDigest.get(checkpoint.fileDigest) : undefined;
    if (!archive) continue;
    usedArchives.add(archive.file);
    const rows = archive.rows.filter(
      (row) => row.version >= checkpoint.fromVersion && row.version <= checkpoint.toVersion
    );
    const outcome = archivedRowsChain(keys, checkpoint, rows);
    if (outcome === 'ok' || outcome === 'key-not-given') {
      archiveNotes.push(
        `${path.basename(archive.file)}: versions ${checkpoint.fromVersion}–${checkpoint.toVersion} ${outcome === 'ok' ? 'verified row by row' : `vouched for by the signed sha256 (rows signed with key ${checkpoint.rowsKeyId}, not given)`}`
      );
    } else {
      broken ??= {
        ok: false,
        brokenAt: Number(outcome.split(' ')[1]),
        reason: 'altered',
        message: `${path.basename(archive.file)} does not chain at ${outcome}`,
      };
    }
  }
  for (const file of options.archives) {
    if (!usedArchives.has(file)) {
      broken ??= {
        ok: false,
        brokenAt: 0,
        reason: 'forged-gap',
        message: `${path.basename(file)} matches no checkpoint in the export (altered, or restored already)`,
      };
    }
  }

  // The chain itself, exactly as the server checks it.
  const verifier = chain.createChainVerifier(keys, exported.head);
  const items = [
    ...exported.rows.map((row) => ({ at: row.version, row })),
    ...exported.checkpoints.map((checkpoint) => ({ at: checkpoint.fromVersion, checkpoint })),
  ].sort((a, b) => a.at - b.at);
  for (const item of items) {
    if (!(item.row ? verifier.row(item.row) : verifier.checkpoint(item.checkpoint))) break;
  }
  const subject = type.isSettings
    ? chain.LIVE_SETTINGS
    : { name: `the live ${type.displayName}`, is: 'is' };
  let report = verifier.finish({ live: exported.live, subject });

  // The outside witnesses: every head they saw, not only the newest.
  const witnesses = options.head ? [options.head] : witnessesFromLogs(options.witnessLogs, type);
  const witnessNotes = [];
  let witnessed = 0;
  if (report.ok && witnesses.length > 0) {
    const archivedMacs = new Map();
    for (const archive of archiveByDigest.values()) {
      for (const row of archive.rows) archivedMacs.set(row.version, row.hash);
    }
    const context = {
      rowsByVersion: new Map(exported.rows.map((row) => [row.version, row])),
      checkpoints: exported.checkpoints,
      headVersion: report.head.version,
      // From the signed head only (the verifier checked its signature).
      events: exported.head.events ?? [],
      archivedMacs,
      legacyMacs: legacyChain(exported.rows),
    };
    for (const witness of witnesses) {
      const outcome = checkWitness(witness, context);
      if (outcome.status === 'failed') {
        report = {
          ok: false,
          versions: report.versions,
          brokenAt: outcome.reason === 'missing' ? report.head.version + 1 : witness.version,
          reason: outcome.reason,
          message: outcome.message,
        };
        break;
      }
      if (outcome.status === 'ok') witnessed += 1;
      else witnessNotes.push(`version ${witness.version} (${witness.source}): ${outcome.note}`);
    }
  }
  if (report.ok && broken) report = { ...broken, versions: report.versions };

  if (options.json) {
    console.log(
      JSON.stringify({
        ...report,
        chainType: type.key,
        archives: archiveNotes,
        witness: { given: witnesses.length, matched: witnessed, notes: witnessNotes },
      })
    );
  } else if (report.ok) {
    if (!type.isSettings) console.log(`Chain: ${chainName(type)}`);
    console.log(
      `OK: ${report.versions} versions verified, head ${report.head.version}, key ${report.keyId}`
    );
    if (report.archived.checkpoints > 0) {
      console.log(
        `Archived: ${report.archived.versions} versions under ${report.archived.checkpoints} signed checkpoint(s)`
      );
    }
    for (const note of archiveNotes) console.log(`  ${note}`);
    console.log(
      witnesses.length > 0
        ? `Witness: ${witnessed} of ${witnesses.length} witnessed head(s) match the history`
        : 'No witness given (--witness LOG or --head V:MAC)'
    );
    for (const note of witnessNotes) console.log(`  ${note}`);
  } else {
    if (!type.isSettings) console.log(`Chain: ${chainName(type)}`);
    console.log(`BROKEN at version ${report.brokenAt} (${report.reason}): ${report.message}`);
  }
  return report.ok ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`history:verify: ${error.message}`);
    process.exit(2);
  }
);
