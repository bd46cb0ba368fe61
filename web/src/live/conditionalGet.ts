/** The ETag of the last 200 seen, shared by the polls and catch-ups of one tab. */
export interface EtagRef {
  current: string | null;
}

/** Give up on one request after this long; the next poll tries again. */
export const REQUEST_TIMEOUT_MS = 10_000;

/**
 * `GET url` with `If-None-Match` when an ETag is known. Resolves to the parsed body of a 200, or
 * null for a 304, an error status, bad JSON or a network failure: a poll that fails is simply
 * retried by the next one. `cache: 'no-store'` because the conditional header decides freshness
 * here, not the HTTP cache (and `If-None-Match` set by hand would bypass it anyway).
 */
export async function fetchIfChanged(
  url: string,
  etag: EtagRef,
  fetchImpl: typeof fetch
): Promise<unknown> {
  const controller = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => controller?.abort(), REQUEST_TIMEOUT_MS);
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (etag.current) headers['If-None-Match'] = etag.current;
    const response = await fetchImpl(url, {
      headers,
      cache: 'no-store',
      credentials: 'omit',
      signal: controller?.signal,
    });
    if (response.status !== 200) return null;
    const body: unknown = await response.json();
    etag.current = response.headers?.get('ETag') ?? null;
    return body;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
