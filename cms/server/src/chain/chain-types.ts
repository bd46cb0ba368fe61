/**
 * Which chains a database holds, for the operations scripts: they talk to the
 * database directly, without booting Strapi, so they cannot read
 * `config/plugins.ts`. The plugin writes the versioned types it runs with into
 * Strapi's core store at every start; the scripts read that list back and keep
 * only the types whose chain tables exist. The list names tables and the uid
 * a type's key is derived from; it decides nothing about trust: a chain given
 * the wrong uid simply does not verify under the key derived for it.
 */
import type { Knex } from 'knex';
import { chainTablesFor, SETTINGS_CHAIN, type ChainTables } from './store';
import { SETTINGS_UID } from '../utils/constants';

/** Strapi's core store table, and the entry (`plugin_<plugin>_<key>`) the plugin keeps there. */
export const CORE_STORE_TABLE = 'strapi_core_store_settings';
export const CHAIN_TYPES_STORE = { type: 'plugin', name: 'platform-settings', key: 'chain-types' };
const CHAIN_TYPES_STORE_KEY = `${CHAIN_TYPES_STORE.type}_${CHAIN_TYPES_STORE.name}_${CHAIN_TYPES_STORE.key}`;

/** What the core store entry holds per versioned type other than settings. */
export interface ChainTypeRecord {
  uid: string;
  /** The type's singular name (`home-page`): its REST path and what `--type` accepts. */
  key: string;
  displayName: string;
  /** The type's own table; its chain tables are named after it. */
  collection: string;
}

/** One chain the scripts can work on. */
export interface ChainType {
  uid: string;
  key: string;
  displayName: string;
  isSettings: boolean;
  tables: ChainTables;
}

export const SETTINGS_CHAIN_TYPE: ChainType = {
  uid: SETTINGS_UID,
  key: 'settings',
  displayName: 'Platform settings',
  isSettings: true,
  tables: SETTINGS_CHAIN,
};

export const chainTypeOf = (record: ChainTypeRecord): ChainType => ({
  uid: record.uid,
  key: record.key,
  displayName: record.displayName,
  isSettings: false,
  tables: chainTablesFor(record.collection),
});

const isRecord = (value: unknown): value is ChainTypeRecord => {
  const record = value as Partial<ChainTypeRecord> | null;
  return (
    typeof record?.uid === 'string' &&
    typeof record.key === 'string' &&
    typeof record.displayName === 'string' &&
    typeof record.collection === 'string' &&
    /^[a-z0-9_]+$/.test(record.collection)
  );
};

/**
 * Every chain in the database: the settings' first, then each type the plugin
 * last started with whose chain head table exists (a type taken out of the
 * config keeps its tables, and its chain is still one the key signs).
 */
export const readChainTypes = async (db: Knex): Promise<ChainType[]> => {
  const types = [SETTINGS_CHAIN_TYPE];
  if (!(await db.schema.hasTable(CORE_STORE_TABLE))) return types;
  const entry = await db(CORE_STORE_TABLE).where({ key: CHAIN_TYPES_STORE_KEY }).first('value');
  let records: unknown = [];
  try {
    records = entry?.value ? JSON.parse(String(entry.value)) : [];
  } catch {
    throw new Error(`the core store entry ${CHAIN_TYPES_STORE_KEY} is not JSON`);
  }
  for (const record of Array.isArray(records) ? records : []) {
    if (!isRecord(record)) continue;
    const type = chainTypeOf(record);
    if (types.some((known) => known.uid === type.uid || known.tables.live === type.tables.live)) {
      continue;
    }
    if (await db.schema.hasTable(type.tables.head)) types.push(type);
  }
  return types;
};

/** The chain `name` (a uid, or a type's key; `settings` for the settings) names, or null. */
export const findChainType = (types: ChainType[], name: string): ChainType | null =>
  types.find((type) => type.uid === name || type.key === name) ?? null;
