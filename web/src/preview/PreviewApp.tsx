/**
 * The site in preview mode: the draft (or one old version) read with a preview token, rendered
 * through the same App and Hero as the public page — the settings' and, when the token covers
 * it, the home page's (its sections; the live settings when the token covers only the home page), under a "Preview" banner, `noindex`, never
 * cached, and without public live updates. The admin tells it when to read again (Strapi's
 * `strapiUpdate` message after a save) and renews its token before it expires, for as long as
 * the admin keeps the preview open and its own session lasts.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { App } from '../App';
import { DEFAULT_SETTINGS } from '../settings/defaults';
import type { LoadedSettings } from '../settings/loadSettings';
import type { LoadedHomePage } from '../homePage/loadHomePage';
import { loadSettings } from '../settings/loadSettings';
import { loadHomePagePreview, loadPreview } from './loadPreview';
import {
  decodePreviewToken,
  PREVIEW_TOKEN_MESSAGE,
  previewTypeKey,
  STRAPI_UPDATE,
  type PreviewScope,
  type PreviewToken,
} from './previewLink';
import { PreviewBanner } from './PreviewBanner';
import { useNoIndex } from './useNoIndex';

interface Props {
  apiUrl: string;
  /** The only origin whose messages (updates, renewed tokens) are trusted: the CMS admin's. */
  adminOrigin: string;
  /** null: the link carried something that is not a preview token. */
  token: PreviewToken | null;
  allowSoftwareWebGL: boolean;
  fetchImpl?: typeof fetch;
  /** The page's window (tests pass jsdom's with fakes for parent/opener). */
  win?: Window;
}

/** Ask for a new token this long before the current one expires: a third of what is left, at most a minute. */
const renewalMargin = (remainingMs: number) => Math.min(60_000, Math.max(1000, remainingMs / 3));

const EXPIRED = 'This preview link has expired; open the preview again.';
const DEFAULTS_LOADED: LoadedSettings = {
  settings: DEFAULT_SETTINGS,
  source: 'defaults',
  version: null,
  etag: null,
};

type SettingsRead = { ok: true; loaded: LoadedSettings } | { ok: false; message: string };

/** The settings the token shows: its draft or version, or the live ones when it covers none. */
async function readSettings(
  apiUrl: string,
  token: PreviewToken,
  fetchImpl: typeof fetch | undefined
): Promise<SettingsRead> {
  const { scope } = token;
  if (!scope) return { ok: true, loaded: await loadSettings({ apiUrl, fetchImpl }) };
  const result = await loadPreview(apiUrl, { ...token, scope }, fetchImpl);
  if (!result.ok) return result;
  return {
    ok: true,
    loaded: { settings: result.settings, source: 'api', version: result.version, etag: null },
  };
}

/** The admin window that opened this preview (the Content Manager's iframe parent, or an opener). */
const adminWindow = (win: Window): Window | null =>
  win.parent && win.parent !== win ? win.parent : (win.opener as Window | null);

export function PreviewApp({
  apiUrl,
  adminOrigin,
  token: initialToken,
  allowSoftwareWebGL,
  fetchImpl,
  win = window,
}: Props) {
  const tokenRef = useRef(initialToken);
  const [expiresAt, setExpiresAt] = useState(initialToken?.expiresAt ?? 0);
  const [loaded, setLoaded] = useState<LoadedSettings | null>(null);
  // null: no sections (the token does not cover the home page, or it could not be read yet).
  const [homePageRequest, setHomePageRequest] = useState<Promise<LoadedHomePage> | null>(null);
  const [problem, setProblem] = useState<string | null>(
    initialToken ? null : 'This preview link is not valid; open the preview again.'
  );
  const latest = useRef(0);
  useNoIndex();

  const refresh = useCallback(async () => {
    const token = tokenRef.current;
    if (!token) return setLoaded((previous) => previous ?? DEFAULTS_LOADED);
    const request = ++latest.current;
    const { homePage } = token;
    const [settings, home] = await Promise.all([
      readSettings(apiUrl, token, fetchImpl),
      homePage ? loadHomePagePreview(apiUrl, { ...token, homePage }, fetchImpl) : null,
    ]);
    if (request !== latest.current) return undefined; // a newer read is on its way
    const problems: string[] = [];
    if (settings.ok) {
      setLoaded(settings.loaded);
    } else {
      // Keep what is on screen; say why it may be out of date.
      setLoaded((previous) => previous ?? DEFAULTS_LOADED);
      problems.push(settings.message);
    }
    if (home?.ok) {
      const { homePage: sections, version, etag } = home;
      setHomePageRequest(Promise.resolve({ homePage: sections, version, etag }));
    } else if (home) {
      problems.push(home.message);
    }
    setProblem(problems.length > 0 ? problems.join(' ') : null);
    return undefined;
  }, [apiUrl, fetchImpl]);

  useEffect(() => void refresh(), [refresh]);

  // Strapi's update after each save or publish, and the admin's renewed tokens.
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== adminOrigin) return;
      const data = event.data as { type?: unknown; token?: unknown; error?: unknown } | null;
      if (data?.type === STRAPI_UPDATE) void refresh();
      if (data?.type !== PREVIEW_TOKEN_MESSAGE || !tokenRef.current) return;
      const renewed = typeof data.token === 'string' ? decodePreviewToken(data.token) : null;
      if (renewed && sameScope(renewed, tokenRef.current)) {
        const wasExpired = tokenRef.current.expiresAt <= Date.now();
        tokenRef.current = renewed;
        setExpiresAt(renewed.expiresAt);
        if (wasExpired) void refresh();
      } else if (typeof data.error === 'string') {
        setProblem(`The admin could not renew this preview: ${data.error}`);
      }
    };
    win.addEventListener('message', onMessage);
    return () => win.removeEventListener('message', onMessage);
  }, [adminOrigin, refresh, win]);

  // Ask the admin for a new token in time; say so once the current one has run out.
  useEffect(() => {
    const token = tokenRef.current;
    if (!token) return undefined;
    const remaining = expiresAt - Date.now();
    const admin = adminWindow(win);
    const renew = admin
      ? setTimeout(
          () => {
            // The type the token was minted for: a home-page token is renewed as one.
            const typeKey = previewTypeKey(token);
            const scope = (typeKey === 'home-page' ? token.homePage : token.scope)!;
            const request = {
              type: PREVIEW_TOKEN_MESSAGE,
              scope: scope.kind,
              ...(scope.kind === 'version' ? { version: scope.version } : {}),
              ...(typeKey === 'home-page' ? { typeKey } : {}),
            };
            admin.postMessage(request, adminOrigin);
          },
          Math.max(0, remaining - renewalMargin(remaining))
        )
      : undefined;
    const expire = setTimeout(() => setProblem(EXPIRED), Math.max(0, remaining));
    return () => {
      clearTimeout(renew);
      clearTimeout(expire);
    };
  }, [expiresAt, adminOrigin, win]);

  const request = useMemo(
    () => (loaded ? Promise.resolve(loaded) : new Promise<LoadedSettings>(() => undefined)),
    [loaded]
  );
  const scope = initialToken?.scope ?? null;
  const homePageScope = initialToken?.homePage ?? null;

  return (
    <App
      settingsRequest={request}
      homePageRequest={homePageRequest}
      allowSoftwareWebGL={allowSoftwareWebGL}
      live={null}
      banner={
        <PreviewBanner
          scope={initialToken ? scope : null}
          homePage={homePageScope}
          valid={initialToken !== null}
          problem={problem}
        />
      }
    />
  );
}

function sameScope(a: PreviewToken, b: PreviewToken): boolean {
  return sameOne(a.scope, b.scope) && sameOne(a.homePage, b.homePage);
}

function sameOne(a: PreviewScope | null, b: PreviewScope | null): boolean {
  if (!a || !b) return a === b;
  if (a.kind === 'draft' || b.kind === 'draft') return a.kind === b.kind;
  return a.version === b.version;
}
