/**
 * `strapi export` and `strapi import` as the CLI runs them, inside a test's own
 * Strapi: the same transfer engine and providers, and the CLI's own handling of
 * --only-content-types / --exclude-content-types (which content types are
 * transferred, and which ones an import empties first), without loading a
 * second Strapi per command (30–45 s each on a 2-core machine).
 * Both write around the Document Service, with `strapi.db.query`.
 */
import path from 'node:path';
import type { Core } from '@strapi/strapi';

type DataTransfer = typeof import('@strapi/data-transfer');

/** What the CLI's commands take (after Commander parsed them). */
export interface TransferOptions {
  onlyContentTypes?: string[];
  excludeContentTypes?: string[];
}

interface CliTransferHelpers {
  normalizeTransferFilterOptions(opts: Record<string, unknown>): void;
  buildTransferTransforms(opts: Record<string, unknown>): Record<string, unknown>;
  parseRestoreFromOptions(opts: Record<string, unknown>, strapi: Core.Strapi): unknown;
}

// The copies @strapi/strapi's CLI loads. Its helpers are not among the package's exports,
// so they are loaded from their file (Strapi is pinned; a move fails here, loudly).
const STRAPI_DIR = path.dirname(require.resolve('@strapi/strapi/package.json'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cli = require(
  path.join(STRAPI_DIR, 'dist', 'src', 'cli', 'utils', 'data-transfer.js')
) as CliTransferHelpers;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dataTransfer = require(
  require.resolve('@strapi/data-transfer', { paths: [STRAPI_DIR] })
) as DataTransfer;

type Engine = ReturnType<DataTransfer['engine']['createTransferEngine']>;

/**
 * Runs the transfer; what the CLI would print as an error or a warning fails it (the engine
 * reports some failures only as diagnostics). The local destination ends its transaction
 * without waiting for its commit (the CLI destroys its Strapi and exits right after): the
 * transactions the transfer opened are awaited, so what it wrote is visible afterwards.
 */
const run = async (strapi: Core.Strapi, engine: Engine) => {
  const problems: string[] = [];
  engine.diagnostics.onDiagnostic(({ kind, details }) => {
    if (kind === 'error' || kind === 'warning') problems.push(`${kind}: ${details.message}`);
  });
  const { db } = strapi;
  const transaction = db.transaction;
  const opened: Array<Promise<unknown>> = [];
  db.transaction = ((...args: Parameters<typeof transaction>) => {
    const done = transaction.apply(db, args);
    opened.push(done);
    return done;
  }) as typeof transaction;
  try {
    const results = await engine.transfer();
    await Promise.allSettled(opened);
    if (problems.length > 0) throw new Error(`the transfer reported:\n${problems.join('\n')}`);
    return results;
  } finally {
    db.transaction = transaction;
  }
};

const cliOptions = (options: TransferOptions) => {
  const opts: Record<string, unknown> & { exclude?: string[]; only?: string[] } = { ...options };
  cli.normalizeTransferFilterOptions(opts);
  return opts;
};

/** `strapi export --no-encrypt --no-compress -f <file>`; resolves with the file written (`.tar`). */
export const strapiExport = async (
  strapi: Core.Strapi,
  file: string,
  options: TransferOptions = {}
): Promise<string> => {
  const opts = cliOptions(options);
  const source = dataTransfer.strapi.providers.createLocalStrapiSourceProvider({
    getStrapi: async () => strapi,
    autoDestroy: false,
  });
  const destination = dataTransfer.file.providers.createLocalFileDestinationProvider({
    file: { path: file },
    encryption: { enabled: false },
    compression: { enabled: false },
  });
  const engine = dataTransfer.engine.createTransferEngine(source, destination, {
    versionStrategy: 'ignore',
    schemaStrategy: 'ignore',
    exclude: opts.exclude as never,
    only: opts.only as never,
    transforms: cli.buildTransferTransforms(opts) as never,
  });
  const results = await run(strapi, engine);
  return (results.destination as { file: { path: string } }).file.path;
};

/** `strapi import -f <file> --force`: empties what it transfers, then writes the file's rows. */
export const strapiImport = async (
  strapi: Core.Strapi,
  file: string,
  options: TransferOptions = {}
): Promise<void> => {
  const opts = cliOptions(options);
  const source = dataTransfer.file.providers.createLocalFileSourceProvider({
    file: { path: file },
    encryption: { enabled: false },
    compression: { enabled: false },
  });
  const destination = dataTransfer.strapi.providers.createLocalStrapiDestinationProvider({
    getStrapi: async () => strapi,
    autoDestroy: false,
    strategy: 'restore',
    restore: cli.parseRestoreFromOptions(opts, strapi) as never,
  });
  const engine = dataTransfer.engine.createTransferEngine(source, destination, {
    versionStrategy: dataTransfer.engine.DEFAULT_VERSION_STRATEGY,
    schemaStrategy: dataTransfer.engine.DEFAULT_SCHEMA_STRATEGY,
    exclude: opts.exclude as never,
    only: opts.only as never,
    transforms: cli.buildTransferTransforms(opts) as never,
  });
  await run(strapi, engine);
};
