/** Reads the raw tables, to check what the API says against what the database holds. */
import type { Core } from '@strapi/strapi';

export const HISTORY_TABLE = 'platform_settings_history';
export const SETTINGS_TABLE = 'platform_settings';

const parse = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

export const historyRows = async (strapi: Core.Strapi) => {
  const rows = await strapi.db.connection(HISTORY_TABLE).select('*').orderBy('version', 'asc');
  return rows.map((row: Record<string, unknown>) => ({
    version: Number(row.version),
    changeType: row.change_type as string,
    data: parse(row.data) as Record<string, unknown>,
    changedFields: parse(row.changed_fields) as string[],
    restoredFrom: row.restored_from == null ? null : Number(row.restored_from),
    author: parse(row.author) as Record<string, unknown>,
    note: (row.note as string | null) ?? null,
    hash: row.hash as string,
  }));
};

export const liveRows = (strapi: Core.Strapi) => strapi.db.connection(SETTINGS_TABLE).select('*');
