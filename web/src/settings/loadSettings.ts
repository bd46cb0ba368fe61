import { fetchPublicJson } from '../cms/fetchPublicJson';
import { DEFAULT_SETTINGS } from './defaults';
import { parseSettingsBody, readSettingsVersion } from './parseSettings';
import type { PlatformSettings, SettingsSource } from './types';

export interface LoadedSettings {
  settings: PlatformSettings;
  source: SettingsSource;
  /** `data.version` of the answer; null for the built-in defaults (any live version is newer). */
  version: number | null;
  /** The answer's ETag (the CMS exposes it through CORS), for conditional polls; null if none. */
  etag: string | null;
}

export interface LoadSettingsOptions {
  apiUrl: string;
  fetchImpl?: typeof fetch;
  /** Give up and render defaults after this long, so a hung API cannot hold the page. */
  timeoutMs?: number;
}

export const SETTINGS_PATH = '/api/platform-settings';

/**
 * Fetches the public settings. Never rejects: any failure yields the built-in defaults plus one
 * console warning. Uses the default HTTP cache mode on purpose, so the API's Cache-Control and
 * ETag decide freshness (a change shows on the next load once the cached copy is stale).
 */
export async function loadSettings({
  apiUrl,
  fetchImpl = globalThis.fetch,
  timeoutMs = 5000,
}: LoadSettingsOptions): Promise<LoadedSettings> {
  const url = `${apiUrl}${SETTINGS_PATH}`;
  const fallback = (reason: string): LoadedSettings => {
    console.warn(
      `[settings] Could not load ${url} (${reason}); showing the built-in default settings.`
    );
    return { settings: { ...DEFAULT_SETTINGS }, source: 'defaults', version: null, etag: null };
  };

  const result = await fetchPublicJson(url, fetchImpl, timeoutMs);
  if (!result.ok) return fallback(result.reason);
  const parsed = parseSettingsBody(result.body);
  if (!parsed) return fallback('unexpected response shape');
  if (parsed.invalid.length > 0) {
    console.warn(
      `[settings] Ignoring missing or invalid field(s) ${parsed.invalid.join(', ')}; ` +
        'using their defaults.'
    );
  }
  return {
    settings: parsed.settings,
    source: 'api',
    version: readSettingsVersion(result.body),
    etag: result.etag,
  };
}
