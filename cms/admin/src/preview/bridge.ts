/**
 * The admin's side of previews on the site, installed once at bootstrap:
 *
 * - Renewal: the site (in the Content Manager's preview iframe, or a tab this admin opened)
 *   asks for a new token before its own expires. Answered only to the site origin the server
 *   is configured with, with a token minted for this admin's session (POST /preview-token),
 *   so a preview never outlives the admin's session, and renewal stops once the admin closes it.
 * - Saves in another tab: Strapi's Community Edition previews without the editor beside it, so
 *   editors keep the edit view in one window and the preview in another. A save there is
 *   announced on a BroadcastChannel, and each admin tab sends Strapi's own `strapiUpdate`
 *   message to the preview iframes it shows, as the preview page does after its own saves.
 */
import { getFetchClient, isFetchError } from '@strapi/strapi/admin';
import type { GetPreviewSite, MintPreviewToken } from '../../../shared/contracts/settings';
import { PREVIEW_TOKEN_MESSAGE } from '../../../shared/preview-link';
import { PLUGIN_ID } from '../pluginId';

const SAVED_CHANNEL = `${PLUGIN_ID}:draft-saved`;
/** Strapi's message to a preview iframe that the document changed (content-manager PUBLIC_EVENTS). */
const STRAPI_UPDATE = 'strapiUpdate';

let siteUrlRequest: Promise<string | null> | null = null;

/** Where previews open (config/admin.ts), asked of the server once per page load. */
export const previewSiteUrl = (): Promise<string | null> => {
  siteUrlRequest ??= getFetchClient()
    .get<GetPreviewSite.Response>(`/${PLUGIN_ID}/preview-site`)
    .then((response) => response.data.data.url)
    .catch((error: unknown) => {
      siteUrlRequest = null; // signed out, or the server was down: ask again next time
      throw error;
    });
  return siteUrlRequest;
};

const originOf = (url: string | null) => {
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
};

/**
 * A token for the settings (`typeKey` left out or `settings`: POST /preview-token) or for another
 * versioned type (POST /types/<key>/preview-token; a draft token also covers the settings' draft
 * when this admin may read their history).
 */
export const mintPreviewToken = async (request: MintPreviewToken.Request, typeKey = 'settings') =>
  (
    await getFetchClient().post<MintPreviewToken.Response, MintPreviewToken.Request>(
      typeKey === 'settings'
        ? `/${PLUGIN_ID}/preview-token`
        : `/${PLUGIN_ID}/types/${encodeURIComponent(typeKey)}/preview-token`,
      request
    )
  ).data.data;

/** A type key as the server names types (lowercase letters and hyphens). */
const TYPE_KEY = /^[a-z][a-z-]*[a-z]$/;

const renewalRequest = (
  data: unknown
): { request: MintPreviewToken.Request; typeKey: string } | null => {
  const {
    type,
    scope,
    version,
    token,
    typeKey = 'settings',
  } = (data ?? {}) as Record<string, unknown>;
  if (type !== PREVIEW_TOKEN_MESSAGE || token !== undefined) return null;
  if (typeof typeKey !== 'string' || !TYPE_KEY.test(typeKey)) return null;
  if (scope === 'draft') return { request: { scope }, typeKey };
  if (scope === 'version' && typeof version === 'number') {
    return { request: { scope, version }, typeKey };
  }
  return null;
};

const answerRenewal = async (event: MessageEvent) => {
  const renewal = renewalRequest(event.data);
  const site = event.source as Window | null;
  if (!renewal || !site || typeof site.postMessage !== 'function') return;
  const origin = originOf(await previewSiteUrl().catch(() => null));
  if (!origin || event.origin !== origin) return;
  try {
    const { token, expiresAt } = await mintPreviewToken(renewal.request, renewal.typeKey);
    site.postMessage({ type: PREVIEW_TOKEN_MESSAGE, token, expiresAt }, origin);
  } catch (error) {
    const message = isFetchError(error)
      ? (error.response?.data?.error?.message ?? error.message)
      : 'the admin could not mint a token';
    site.postMessage({ type: PREVIEW_TOKEN_MESSAGE, error: String(message) }, origin);
  }
};

/** Sends `strapiUpdate` to the preview iframes of the site shown in this tab. */
const updatePreviewFrames = async () => {
  const origin = originOf(await previewSiteUrl().catch(() => null));
  if (!origin) return;
  for (const frame of Array.from(document.querySelectorAll('iframe'))) {
    if (originOf(frame.src) === origin)
      frame.contentWindow?.postMessage({ type: STRAPI_UPDATE }, origin);
  }
};

let savedChannel: BroadcastChannel | null = null;

/** Tells the admin's other tabs that the settings were saved (see the header). */
export const announceSettingsSaved = () => savedChannel?.postMessage({ type: 'saved' });

let installed = false;

export const installPreviewBridge = () => {
  if (installed || typeof window === 'undefined') return;
  installed = true;
  window.addEventListener('message', (event) => void answerRenewal(event));
  if (typeof BroadcastChannel === 'function') {
    savedChannel = new BroadcastChannel(SAVED_CHANNEL);
    savedChannel.onmessage = () => void updatePreviewFrames();
  }
};
