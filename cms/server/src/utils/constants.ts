export const PLUGIN_ID = 'platform-settings';
export const SETTINGS_UID = 'plugin::platform-settings.setting' as const;
export const HISTORY_UID = 'plugin::platform-settings.history' as const;

/**
 * Bumped whenever the settings content type changes shape. Stored on every
 * history row so a restore knows which schema a snapshot was written under.
 */
export const SETTINGS_SCHEMA_VERSION = 1;

/** Attributes Strapi or the versioning service manage; clients may never send them. */
export const SERVER_MANAGED_FIELDS = [
  'id',
  'documentId',
  'version',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
] as const;

export const MAX_NOTE_LENGTH = 500;
export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
