/**
 * How a preview reaches the site, shared by the server (Strapi's Preview handler),
 * the admin (history "Preview on site", token renewal) and, by copy, the web app
 * (web/src/preview/previewLink.ts).
 *
 * The token travels in the URL fragment: browsers never send a fragment to a
 * server, so it stays out of the site's access logs, proxies and Referer headers.
 */

/** Fragment parameter that carries the preview token. */
export const PREVIEW_TOKEN_PARAM = 'preview-token';

/**
 * `type` of the renewal messages between the site and the admin window: the site
 * posts `{ type, scope, version?, typeKey? }` to its parent (or opener; `typeKey` for a
 * token minted for another type than settings, e.g. `home-page`); the admin answers
 * `{ type, token, expiresAt }` or `{ type, error }`.
 */
export const PREVIEW_TOKEN_MESSAGE = 'platform-settings:preview-token';

/** `siteUrl` with `token` in its fragment (any fragment it had is replaced). */
export const previewLink = (siteUrl: string, token: string): string => {
  const url = new URL(siteUrl);
  url.hash = new URLSearchParams({ [PREVIEW_TOKEN_PARAM]: token }).toString();
  return url.toString();
};
