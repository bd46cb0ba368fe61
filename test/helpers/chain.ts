/**
 * Edits behind the API's back, as someone with write access to the database
 * would make them, each with its undo: plain SQL on the chain's tables, the same
 * on SQLite, PostgreSQL and MySQL.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import {
  CHECKPOINT_TABLE,
  HEAD_TABLE,
  HISTORY_TABLE,
  keyIdOf,
  readHead,
  signHead,
  rowFromDb,
  rowToDb,
  writeHead,
  type ChainRow,
} from '../../cms/server/src/chain';
import { SIGNING_KEY } from './strapi';

export const knexOf = (strapi: Core.Strapi) => strapi.db.connection as unknown as Knex;

export const readRow = async (strapi: Core.Strapi, version: number): Promise<ChainRow> =>
  rowFromDb(await knexOf(strapi)(HISTORY_TABLE).where({ version }).first());

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
export const deleteRows = async (strapi: Core.Strapi, versions: number[]) => {
  const db = knexOf(strapi);
  const saved = await Promise.all(versions.map((version) => readRow(strapi, version)));
  await db(HISTORY_TABLE).whereIn('version', versions).del();
  return async () => {
    await db(HISTORY_TABLE).insert(saved.map(rowToDb));
  };
};

/** Changes columns of one history row; the undo sets them back. */
export const editRow = async (
  strapi: Core.Strapi,
  version: number,
  columns: Record<string, unknown>
) => {
  const db = knexOf(strapi);
  const before = await db(HISTORY_TABLE).where({ version }).first(Object.keys(columns));
  await db(HISTORY_TABLE).where({ version }).update(columns);
  return async () => {
    await db(HISTORY_TABLE).where({ version }).update(asWritten(before));
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
export const moveHead = async (strapi: Core.Strapi, head: { version: number; mac: string }) => {
  const db = knexOf(strapi);
  const before = (await readHead(db))!;
  await writeHead(db, { ...before, ...head });
  return async () => {
    await writeHead(db, before);
  };
};

export const checkpointCount = async (strapi: Core.Strapi) =>
  Number((await knexOf(strapi)(CHECKPOINT_TABLE).count('* as n').first())?.n ?? 0);

/** Changes columns of the chain head row behind the server's back; the undo sets them back. */
export const editHead = async (strapi: Core.Strapi, columns: Record<string, unknown>) => {
  const db = knexOf(strapi);
  const before = await db(HEAD_TABLE).first(Object.keys(columns));
  await db(HEAD_TABLE).update(columns);
  return async () => {
    await db(HEAD_TABLE).update(asWritten(before));
  };
};

/** Deletes the chain head row; the undo puts it back exactly. */
export const deleteHead = async (strapi: Core.Strapi) => {
  const db = knexOf(strapi);
  const saved = await db(HEAD_TABLE).first();
  await db(HEAD_TABLE).del();
  return async () => {
    await db(HEAD_TABLE).insert(asWritten(saved));
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
