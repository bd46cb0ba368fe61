/**
 * Where each type's history lives in the admin: the settings' at the plugin's own
 * path (as before there were other types), every other type's under `types/<key>`.
 */
import { HISTORY_PATH, SETTINGS_KEY } from '../pluginId';

export const historyPath = (type: string, version?: number): string => {
  const base =
    type === SETTINGS_KEY ? HISTORY_PATH : `${HISTORY_PATH}/types/${encodeURIComponent(type)}`;
  return version === undefined ? base : `${base}/${version}`;
};
