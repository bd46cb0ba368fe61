import { parseSettingsBody, readSettingsVersion } from '../settings/parseSettings';
import type { PlatformSettings } from '../settings/types';
import { previewPath, type PreviewToken } from './previewLink';

export type PreviewResult =
  { ok: true; settings: PlatformSettings; version: number | null } | { ok: false; message: string };

/**
 * Reads the draft (or one version) with a preview token. Never cached by the browser
 * (`no-store`; the server also answers `Cache-Control: no-store`), no cookies, never rejects:
 * a refusal becomes a message for the banner, with the server's own words when it gave some.
 */
export async function loadPreview(
  apiUrl: string,
  token: PreviewToken,
  fetchImpl: typeof fetch = globalThis.fetch
): Promise<PreviewResult> {
  try {
    const response = await fetchImpl(`${apiUrl}${previewPath(token.scope)}`, {
      headers: { Accept: 'application/json', 'X-Preview-Token': token.value },
      cache: 'no-store',
      credentials: 'omit',
    });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) return { ok: false, message: refusal(response.status, body) };
    const parsed = parseSettingsBody(body);
    if (!parsed) return { ok: false, message: 'The preview answer was not settings.' };
    return { ok: true, settings: parsed.settings, version: readSettingsVersion(body) };
  } catch {
    return { ok: false, message: 'The CMS could not be reached.' };
  }
}

function refusal(status: number, body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
  if (typeof message === 'string' && message.trim() !== '') return `${message}.`;
  if (status === 401) return 'This preview link has expired; open the preview again.';
  if (status === 404) return 'There is nothing to preview here.';
  return `The CMS refused the preview (HTTP ${status}).`;
}
