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

/** The home page's scopes carry its key as a prefix (`home-page:draft`); the settings' have none. */
const HOME_PAGE_SCOPE_PREFIX = 'home-page:';

export interface PreviewToken {
  /** Sent as X-Preview-Token; never stored. */
  value: string;
  /** What it shows of the settings; null: the token does not cover them (the live ones show). */
  scope: PreviewScope | null;
  /** What it shows of the home page; null: the token does not cover it (no sections show). */
  homePage: PreviewScope | null;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

function parseScope(text: string): PreviewScope | null {
  if (text === 'draft') return { kind: 'draft' };
  const version = /^version:([1-9]\d*)$/.exec(text)?.[1];
  if (!version || !Number.isSafeInteger(Number(version))) return null;
  return { kind: 'version', version: Number(version) };
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
 * secret, and only the server checks it): the site uses it to pick the routes and to renew in time.
 * A token carries one scope or several (a home-page draft token may also cover the settings'
 * draft); scopes of types this site does not show are ignored. null for anything that is not
 * shaped like one of the server's tokens, or that covers nothing this site shows.
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
  const scopes: unknown[] = Array.isArray(payload.scope) ? payload.scope : [payload.scope];
  let scope: PreviewScope | null = null;
  let homePage: PreviewScope | null = null;
  for (const entry of scopes) {
    if (typeof entry !== 'string') continue;
    if (entry.startsWith(HOME_PAGE_SCOPE_PREFIX)) {
      homePage ??= parseScope(entry.slice(HOME_PAGE_SCOPE_PREFIX.length));
    } else {
      scope ??= parseScope(entry);
    }
  }
  if (!scope && !homePage) return null;
  return { value, scope, homePage, expiresAt: payload.exp };
}

/** The type a token was minted for, which the admin renews it for: the home page's if it covers it. */
export function previewTypeKey(token: PreviewToken): 'home-page' | 'settings' {
  return token.homePage ? 'home-page' : 'settings';
}

/** The API route that reads the settings a token may read. */
export function previewPath(scope: PreviewScope): string {
  return scope.kind === 'draft'
    ? '/api/platform-settings/draft'
    : `/api/platform-settings/preview/versions/${scope.version}`;
}

/** The API route that reads the home page a token may read. */
export function homePagePreviewPath(scope: PreviewScope): string {
  return scope.kind === 'draft'
    ? '/api/home-page/draft'
    : `/api/home-page/preview/versions/${scope.version}`;
}
