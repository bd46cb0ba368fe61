import { parseSettingsBody, readSettingsVersion } from '../settings/parseSettings';
import type { PlatformSettings } from '../settings/types';

/** One version of the public settings, as a live event or a poll delivered it. */
export interface LiveSnapshot {
  version: number;
  settings: PlatformSettings;
}

/**
 * Turns an event's data (the GET's JSON body, as text or already parsed) into a snapshot with the
 * same parser as the first load. Never throws: unparsable JSON, a wrong shape or a missing version
 * give null (one warning), so a bad event cannot break the page; invalid fields fall back to
 * their defaults as on the first load.
 */
export function parseLiveBody(body: unknown): LiveSnapshot | null {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body) as unknown;
    } catch {
      console.warn('[live] Ignoring a settings event that is not JSON.');
      return null;
    }
  }
  const parsed = parseSettingsBody(value);
  const version = readSettingsVersion(value);
  if (!parsed || version === null) {
    console.warn('[live] Ignoring a settings event without settings data or a version.');
    return null;
  }
  if (parsed.invalid.length > 0) {
    console.warn(
      `[live] Ignoring missing or invalid field(s) ${parsed.invalid.join(', ')} in version ` +
        `${version}; using their defaults.`
    );
  }
  return { version, settings: parsed.settings };
}
