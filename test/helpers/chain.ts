/**
 * Edits behind the API's back, as someone with write access to the database
 * would make them, each with its undo: plain SQL on the chain's tables, the same
 * on SQLite, PostgreSQL and MySQL.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import {
  keyIdOf,
  SETTINGS_CHAIN,
  type ChainTables,
  readHead,
  signHead,
  rowFromDb,
  rowToDb,
  writeHead,
  type ChainRow,
} from '../../cms/server/src/chain';
import { SIGNING_KEY } from './strapi';

export const knexOf = (strapi: Core.Strapi) => strapi.db.connection as unknown as Knex;

// Every edit below works on one type's chain: the settings' unless `tables` names another.

export const readRow = async (
  strapi: Core.Strapi,
  version: number,
  tables: ChainTables = SETTINGS_CHAIN
): Promise<ChainRow> => rowFromDb(await knexOf(strapi)(tables.history).where({ version }).first());

/** Column values as read, ready to write back (JSON columns some drivers hand back parsed). */
const asWritten = (row: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column,
      value !== null && typeof value === 'object' && !(value instanceof Date)
        ? JSON.stringify(value)
        : value,
    ])
  );

/** Deletes history rows; the undo puts them back exactly. */
export const deleteRows = async (
  strapi: Core.Strapi,
  versions: number[],
  tables: ChainTables = SETTINGS_CHAIN
) => {
  const db = knexOf(strapi);
  const saved = await Promise.all(versions.map((version) => readRow(strapi, version, tables)));
  await db(tables.history).whereIn('version', versions).del();
  return async () => {
    await db(tables.history).insert(saved.map(rowToDb));
  };
};

/** Changes columns of one history row; the undo sets them back. */
export const editRow = async (
  strapi: Core.Strapi,
  version: number,
  columns: Record<string, unknown>,
  tables: ChainTables = SETTINGS_CHAIN
) => {
  const db = knexOf(strapi);
  const before = await db(tables.history).where({ version }).first(Object.keys(columns));
  await db(tables.history).where({ version }).update(columns);
  return async () => {
    await db(tables.history).where({ version }).update(asWritten(before));
  };
};

/** Changes columns of the live settings row; the undo sets them back. */
export const editLiveRow = async (strapi: Core.Strapi, columns: Record<string, unknown>) => {
  const db = knexOf(strapi);
  const before = await db('platform_settings').first(Object.keys(columns));
  await db('platform_settings').update(columns);
  return async () => {
    await db('platform_settings').update(before);
  };
};

/** Moves the chain head; the undo moves it back. */
export const moveHead = async (
  strapi: Core.Strapi,
  head: { version: number; mac: string },
  tables: ChainTables = SETTINGS_CHAIN
) => {
  const db = knexOf(strapi);
  const before = (await readHead(db, tables))!;
  await writeHead(db, { ...before, ...head }, tables);
  return async () => {
    await writeHead(db, before, tables);
  };
};

export const checkpointCount = async (strapi: Core.Strapi, tables: ChainTables = SETTINGS_CHAIN) =>
  Number((await knexOf(strapi)(tables.checkpoints).count('* as n').first())?.n ?? 0);

/** Changes columns of the chain head row behind the server's back; the undo sets them back. */
export const editHead = async (
  strapi: Core.Strapi,
  columns: Record<string, unknown>,
  tables: ChainTables = SETTINGS_CHAIN
) => {
  const db = knexOf(strapi);
  const before = await db(tables.head).first(Object.keys(columns));
  await db(tables.head).update(columns);
  return async () => {
    await db(tables.head).update(asWritten(before));
  };
};

/** Deletes the chain head row; the undo puts it back exactly. */
export const deleteHead = async (strapi: Core.Strapi, tables: ChainTables = SETTINGS_CHAIN) => {
  const db = knexOf(strapi);
  const saved = await db(tables.head).first();
  await db(tables.head).del();
  return async () => {
    await db(tables.head).insert(asWritten(saved));
  };
};

/**
 * The head as the server signed it at `version` — what a backup taken then holds,
 * or an old copy of the head row replayed. The undo puts the current head back.
 */
export const replayHead = async (strapi: Core.Strapi, version: number) => {
  const db = knexOf(strapi);
  const before = (await readHead(db))!;
  const row = await readRow(strapi, version);
  const key = { id: keyIdOf(SIGNING_KEY), secret: SIGNING_KEY };
  await writeHead(db, signHead(key, { version, mac: row.hash, events: before.events }));
  return () => writeHead(db, before);
};
