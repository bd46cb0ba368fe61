import { fetchPublicJson } from '../cms/fetchPublicJson';
import { parseHomePageBody, warnIgnored } from './parseHomePage';
import type { HomePage } from './types';

/**
 * The bare URL, no query string: the CMS's fast path answers it fully populated, cached by CDNs.
 * (Strapi's own route answers it too, without components: the sections then render nothing.)
 */
export const HOME_PAGE_PATH = '/api/home-page';
/** The home page's event name on the live stream, and its name in `?types=`. */
export const HOME_PAGE_EVENT = 'home-page';

export interface LoadedHomePage {
  /** null: not loaded (down, 403, 404, 500, timeout, garbage): the page shows the hero only. */
  homePage: HomePage | null;
  version: number | null;
  etag: string | null;
}

export interface LoadHomePageOptions {
  apiUrl: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

/**
 * Fetches the public home page, in parallel with the settings and never in their way. Never
 * rejects: a failure yields no sections and one console warning, nothing a visitor sees.
 */
export async function loadHomePage({
  apiUrl,
  fetchImpl = globalThis.fetch,
  timeoutMs = 5000,
}: LoadHomePageOptions): Promise<LoadedHomePage> {
  const url = `${apiUrl}${HOME_PAGE_PATH}`;
  const nothing = (reason: string): LoadedHomePage => {
    console.warn(`[home-page] Could not load ${url} (${reason}); showing the hero only.`);
    return { homePage: null, version: null, etag: null };
  };
  const result = await fetchPublicJson(url, fetchImpl, timeoutMs);
  if (!result.ok) return nothing(result.reason);
  const parsed = parseHomePageBody(result.body);
  if (!parsed) return nothing('unexpected response shape');
  warnIgnored(parsed, '[home-page]');
  return { homePage: parsed.homePage, version: parsed.version, etag: result.etag };
}
