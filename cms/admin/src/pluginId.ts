export const PLUGIN_ID = 'platform-settings';

/** Where the plugin page lives in the admin router. */
export const HISTORY_PATH = `/plugins/${PLUGIN_ID}`;

export const SETTINGS_UID = `plugin::${PLUGIN_ID}.setting`;

/** The settings type's key in the admin API (`/platform-settings/types/settings/…`). */
export const SETTINGS_KEY = 'settings';
