export type PublicJsonResult =
  | { ok: true; body: unknown; etag: string | null }
  /** Why nothing usable came back, for the caller's one warning. */
  | { ok: false; reason: string };

/**
 * `GET url` of a public CMS endpoint, for a page's first load: JSON, no credentials, given up after
 * `timeoutMs` so a hung API cannot hold the page. Uses the default HTTP cache mode on purpose, so
 * the API's Cache-Control and ETag decide freshness (no cache-busting). Never rejects.
 */
export async function fetchPublicJson(
  url: string,
  fetchImpl: typeof fetch | undefined,
  timeoutMs: number
): Promise<PublicJsonResult> {
  if (typeof fetchImpl !== 'function') return { ok: false, reason: 'fetch is not available' };
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => controller?.abort(), timeoutMs);
  try {
    const response = await fetchImpl(url, {
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      signal: controller?.signal,
    });
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const body: unknown = await response.json();
    return { ok: true, body, etag: response.headers?.get('ETag') ?? null };
  } catch (error) {
    const aborted = controller?.signal.aborted ?? false;
    return { ok: false, reason: aborted ? `no answer within ${timeoutMs} ms` : describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
