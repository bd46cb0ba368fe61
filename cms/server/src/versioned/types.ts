/**
 * The single types this plugin versions: the settings type (always) and each
 * type the host app names in the `versioned` config. Everything per type —
 * its chain tables, routes, controller names, cache — is derived here, once,
 * from the type's own schema; the rest of the plugin takes a `VersionedType`
 * and never a hard-coded uid.
 */
import { chainTablesFor, SETTINGS_CHAIN, type ChainTables } from '../chain/store';
import { SETTINGS_UID } from '../utils/constants';

export interface VersionedType {
  uid: string;
  /** The type's singular name: its path segment (`/api/<key>`) and its controllers' prefix. */
  key: string;
  displayName: string;
  isSettings: boolean;
  tables: ChainTables;
  /** `s-maxage` of the public GET. */
  cacheSeconds: number;
  /** Strapi's REST path of the type (`/api/home-page`); the settings' own path for settings. */
  publicPath: string;
}

export const SETTINGS_TYPE: VersionedType = {
  uid: SETTINGS_UID,
  key: 'settings',
  displayName: 'Platform settings',
  isSettings: true,
  tables: SETTINGS_CHAIN,
  cacheSeconds: 60,
  publicPath: '/api/platform-settings',
};

/** What the plugin reads of a content type's schema to version it. */
export interface TypeSchema {
  uid: string;
  kind: string;
  collectionName: string;
  info: { singularName: string; displayName?: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
}

export const describeType = (schema: TypeSchema, cacheSeconds: number): VersionedType => ({
  uid: schema.uid,
  key: schema.info.singularName,
  displayName: schema.info.displayName ?? schema.info.singularName,
  isSettings: false,
  tables: chainTablesFor(schema.collectionName),
  cacheSeconds,
  publicPath: `/api/${schema.info.singularName}`,
});

/** Path segments of the settings' own routes: a type with one of these names would shadow them. */
const RESERVED_KEYS = new Set([
  'platform-settings',
  'settings',
  'history',
  'events',
  'draft',
  'publish',
  'preview',
  'rollback',
  'ready',
  'metrics',
]);

/**
 * Why `schema` cannot be versioned, or null. Only single types with Draft &
 * Publish: a version is what is published. Localised types are refused: each
 * locale would need its own chain, and a change to a non-localised field would
 * be one version in every locale it reaches; until that is built, a start that
 * refuses them is better than a history that misses locales.
 */
export const typeProblem = (uid: string, schema: TypeSchema | undefined): string | null => {
  if (uid === SETTINGS_UID)
    return 'is the settings type, which is always versioned; remove it from `versioned`';
  if (!schema) return 'is not a content type of this app';
  if (schema.kind !== 'singleType')
    return `is a ${schema.kind === 'collectionType' ? 'collection type' : schema.kind}; only single types can be versioned`;
  if (schema.options?.draftAndPublish !== true)
    return 'has no Draft & Publish; a version is what is published, so turn Draft & Publish on';
  if (schema.pluginOptions?.i18n?.localized === true)
    return 'is localised (i18n); localised types cannot be versioned yet';
  if (!uid.startsWith('api::'))
    return "is a plugin type; only the app's own types (api::…) can be versioned";
  if (RESERVED_KEYS.has(schema.info.singularName))
    return `is named "${schema.info.singularName}", which the plugin's own routes use`;
  // The name prefixes the type's admin permissions, and Strapi's action names allow no digits.
  if (!/^[a-z][a-z-]*[a-z]$/.test(schema.info.singularName))
    return `is named "${schema.info.singularName}"; its admin permissions need a name of lowercase letters and hyphens`;
  const longest = chainTablesFor(schema.collectionName).checkpoints;
  // PostgreSQL cuts identifiers at 63 bytes, and index names add a suffix.
  if (longest.length > 50)
    return `has a table name too long to add history tables to (${schema.collectionName})`;
  return null;
};
