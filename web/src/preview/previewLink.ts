/**
 * What the site reads from a preview link (the admin's "Open preview" and the history's "Preview
 * on site"): a short-lived, read-only token in the URL fragment, so it never reaches a server log.
 * Same names as the plugin's cms/shared/preview-link.ts.
 */

/** Fragment parameter that carries the token. */
export const PREVIEW_TOKEN_PARAM = 'preview-token';
/** Renewal messages between the site and the admin window (see usePreview.ts). */
export const PREVIEW_TOKEN_MESSAGE = 'platform-settings:preview-token';
/** Strapi's message to the preview iframe after each save or publish in the admin. */
export const STRAPI_UPDATE = 'strapiUpdate';

export type PreviewScope = { kind: 'draft' } | { kind: 'version'; version: number };

export interface PreviewToken {
  /** Sent as X-Preview-Token; never stored. */
  value: string;
  scope: PreviewScope;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

/** The token in a location hash (`#preview-token=…`), or null. */
export function readPreviewToken(hash: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(PREVIEW_TOKEN_PARAM);
  return value && value.trim() !== '' ? value : null;
}

function decodeBase64Url(text: string): string {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
}

/**
 * What a token is for and until when. Its payload is readable by design (only its signature is
 * secret, and only the server checks it): the site uses it to pick the route and to renew in time.
 * null for anything that is not shaped like one of the server's tokens.
 */
export function decodePreviewToken(value: string): PreviewToken | null {
  const [body, signature, extra] = value.split('.');
  if (!body || !signature || extra !== undefined) return null;
  let payload: { scope?: unknown; exp?: unknown };
  try {
    payload = JSON.parse(decodeBase64Url(body)) as typeof payload;
  } catch {
    return null;
  }
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return null;
  if (payload.scope === 'draft') {
    return { value, scope: { kind: 'draft' }, expiresAt: payload.exp };
  }
  const version = /^version:([1-9]\d*)$/.exec(String(payload.scope))?.[1];
  if (!version || !Number.isSafeInteger(Number(version))) return null;
  return {
    value,
    scope: { kind: 'version', version: Number(version) },
    expiresAt: payload.exp,
  };
}

/** The API route that reads what a token may read. */
export function previewPath(scope: PreviewScope): string {
  return scope.kind === 'draft'
    ? '/api/platform-settings/draft'
    : `/api/platform-settings/preview/versions/${scope.version}`;
}
