/** Reads what `history:archive` wrote, independently of the script's own code. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Core } from '@strapi/strapi';
import { ROOT } from '../../helpers/database';
import { HISTORY_TABLE } from './seed-history';
import { runScript, startScript, type ScriptResult } from './scripts';

export interface ArchivedRecord {
  version: number;
  hash: string;
  data: Record<string, unknown>;
  created_at: string;
  pinned: boolean;
  [column: string]: unknown;
}

export const archiveFiles = (dir: string) =>
  fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((name) => name.endsWith('.jsonl.gz'))
        .sort()
        .map((name) => path.join(dir, name))
    : [];

export const readArchive = (file: string) => {
  const [header, ...records] = zlib
    .gunzipSync(fs.readFileSync(file))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  return { header, records: records as ArchivedRecord[] };
};

/** Every archived record in `dir` (not in `restored/`), in file order. */
export const archivedRecords = (dir: string) =>
  archiveFiles(dir).flatMap((file) => readArchive(file).records);

export const databaseVersions = async (strapi: Core.Strapi): Promise<number[]> =>
  (await strapi.db.connection(HISTORY_TABLE).select('version').orderBy('version')).map(
    (row: { version: number | string }) => Number(row.version)
  );

export const allRows = (strapi: Core.Strapi): Promise<Record<string, unknown>[]> =>
  strapi.db.connection(HISTORY_TABLE).select('*').orderBy('version');

const script = (name: string) => path.join(ROOT, 'scripts', name);

export const archive = (args: string[], env: Record<string, string>): Promise<ScriptResult> =>
  runScript(process.execPath, [script('history-archive.mjs'), ...args], env);

export const startArchive = (args: string[], env: Record<string, string>) =>
  startScript(process.execPath, [script('history-archive.mjs'), ...args], env);

export const restore = (args: string[], env: Record<string, string>): Promise<ScriptResult> =>
  runScript(process.execPath, [script('history-restore.mjs'), ...args], env);

export const startRestore = (args: string[], env: Record<string, string>) =>
  startScript(process.execPath, [script('history-restore.mjs'), ...args], env);

/** Polls until `check` holds (the scripts run in another process). */
export const waitUntil = async (check: () => boolean, what: string, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Fails with the script's output unless it exited with `code`. */
export const expectExit = (result: ScriptResult, code: number) => {
  if (result.code !== code) {
    throw new Error(
      `Expected exit ${code}, got ${result.code ?? result.signal}:\n${result.stdout}\n${result.stderr}`
    );
  }
  return result;
};

export const adopt = (args: string[], env: Record<string, string>): Promise<ScriptResult> =>
  runScript(process.execPath, [script('history-adopt.mjs'), ...args], env);

export const restoreEpoch = (args: string[], env: Record<string, string>): Promise<ScriptResult> =>
  runScript(process.execPath, [script('history-restore-epoch.mjs'), ...args], env);
