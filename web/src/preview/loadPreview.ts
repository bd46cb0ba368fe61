import type { LoadedHomePage } from '../homePage/loadHomePage';
import { parseHomePageBody, warnIgnored } from '../homePage/parseHomePage';
import { parseSettingsBody, readSettingsVersion } from '../settings/parseSettings';
import type { PlatformSettings } from '../settings/types';
import {
  homePagePreviewPath,
  previewPath,
  type PreviewScope,
  type PreviewToken,
} from './previewLink';

export type PreviewResult =
  { ok: true; settings: PlatformSettings; version: number | null } | { ok: false; message: string };

export type HomePagePreviewResult =
  ({ ok: true } & LoadedHomePage) | { ok: false; message: string };

type BodyResult = { ok: true; body: unknown } | { ok: false; message: string };

/**
 * Reads one preview route with the token. Never cached by the browser (`no-store`; the server
 * also answers `Cache-Control: no-store`), no cookies, never rejects: a refusal becomes a message
 * for the banner, with the server's own words when it gave some.
 */
async function fetchPreview(
  url: string,
  token: PreviewToken,
  fetchImpl: typeof fetch
): Promise<BodyResult> {
  try {
    const response = await fetchImpl(url, {
      headers: { Accept: 'application/json', 'X-Preview-Token': token.value },
      cache: 'no-store',
      credentials: 'omit',
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) return { ok: false, message: refusal(response.status, body) };
    return { ok: true, body };
  } catch {
    return { ok: false, message: 'The CMS could not be reached.' };
  }
}

/** The settings' draft (or one version) with a preview token. */
export async function loadPreview(
  apiUrl: string,
  token: PreviewToken & { scope: PreviewScope },
  fetchImpl: typeof fetch = globalThis.fetch
): Promise<PreviewResult> {
  const result = await fetchPreview(`${apiUrl}${previewPath(token.scope)}`, token, fetchImpl);
  if (!result.ok) return result;
  const parsed = parseSettingsBody(result.body);
  if (!parsed) return { ok: false, message: 'The preview answer was not settings.' };
  return { ok: true, settings: parsed.settings, version: readSettingsVersion(result.body) };
}

/** The home page's draft (or one version) with a preview token, parsed as the public one is. */
export async function loadHomePagePreview(
  apiUrl: string,
  token: PreviewToken & { homePage: PreviewScope },
  fetchImpl: typeof fetch = globalThis.fetch
): Promise<HomePagePreviewResult> {
  const url = `${apiUrl}${homePagePreviewPath(token.homePage)}`;
  const result = await fetchPreview(url, token, fetchImpl);
  if (!result.ok) return result;
  const parsed = parseHomePageBody(result.body);
  if (!parsed) return { ok: false, message: 'The preview answer was not a home page.' };
  warnIgnored(parsed, '[preview]');
  return { ok: true, homePage: parsed.homePage, version: parsed.version, etag: null };
}

function refusal(status: number, body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === 'string' && message.trim() !== '') return `${message}.`;
  if (status === 401) return 'This preview link has expired; open the preview again.';
  if (status === 404) return 'There is nothing to preview here.';
  return `The CMS refused the preview (HTTP ${status}).`;
}
