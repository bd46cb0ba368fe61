/**
 * History rows as archive records and back. Column kinds are read from the live
 * schema, so every column Strapi or a later migration adds is carried along, and
 * a record is the same whether it came from SQLite or PostgreSQL: JSON columns
 * as JSON, dates as ISO strings, booleans as booleans.
 */
import { HISTORY_TABLE } from './database.mjs';

// MariaDB stores JSON as longtext and MySQL booleans as tinyint(1): the history's
// own JSON and boolean columns are known by name, whatever the database calls them.
const JSON_COLUMNS = new Set(['data', 'changed_fields', 'author']);
const BOOLEAN_COLUMNS = new Set(['pinned']);

const kindOf = (name, type) => {
  if (JSON_COLUMNS.has(name) || /json/i.test(type)) return 'json';
  if (/timestamp|datetime|date/i.test(type)) return 'date';
  if (BOOLEAN_COLUMNS.has(name) || /bool/i.test(type)) return 'boolean';
  return 'plain';
};

/** Column name → 'json' | 'date' | 'boolean' | 'plain' (of the settings' history table unless named). */
export const columnKinds = async (db, table = HISTORY_TABLE) => {
  const info = await db(table).columnInfo();
  return Object.fromEntries(
    Object.entries(info).map(([name, { type }]) => [name, kindOf(name, type)])
  );
};

const toIso = (value) =>
  new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value).toISOString();

export const toRecord = (row, kinds) =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => {
      if (value === null || value === undefined) return [column, null];
      switch (kinds[column]) {
        case 'json':
          return [column, typeof value === 'string' ? JSON.parse(value) : value];
        case 'date':
          return [column, toIso(value)];
        case 'boolean':
          return [column, Boolean(value)];
        default:
          return [column, value];
      }
    })
  );

export const toRow = (record, kinds) =>
  Object.fromEntries(
    Object.entries(record).map(([column, value]) => {
      if (!(column in kinds)) throw new Error(`The history table has no column "${column}"`);
      if (value === null) return [column, null];
      switch (kinds[column]) {
        // Stringified for both dialects: pg would send a JS array as a PostgreSQL array.
        case 'json':
          return [column, JSON.stringify(value)];
        case 'date':
          return [column, new Date(value)];
        default:
          return [column, value];
      }
    })
  );
