import { useMemo, type ReactNode } from 'react';
import { Hero } from './hero/Hero';
import { HomeSections } from './homePage/HomeSections';
import type { LoadedHomePage } from './homePage/loadHomePage';
import { useDocumentMeta } from './homePage/useDocumentMeta';
import { useHomePage } from './homePage/useHomePage';
import { MaintenanceAnnouncer } from './live/MaintenanceAnnouncer';
import { useLiveSettings, type LiveConfig } from './live/useLiveSettings';
import { DEFAULT_SETTINGS } from './settings/defaults';
import type { LoadedSettings } from './settings/loadSettings';
import { useSettings } from './settings/useSettings';
import { buildTheme } from './theme/buildTheme';

interface Props {
  settingsRequest: Promise<LoadedSettings>;
  /**
   * The home page's sections below the hero, loaded in parallel; never waited for by the hero.
   * Left out or null (a preview): no sections.
   */
  homePageRequest?: Promise<LoadedHomePage> | null;
  allowSoftwareWebGL: boolean;
  /** Live updates from the CMS (see src/live/); null or left out: the first load only. */
  live?: LiveConfig | null;
  /** Shown above the page (the preview banner). */
  banner?: ReactNode;
}

export function App({
  settingsRequest,
  homePageRequest = null,
  allowSoftwareWebGL,
  live = null,
  banner,
}: Props) {
  const home = useHomePage(homePageRequest);
  // The home page rides on the settings' one stream, when this page shows the public one.
  const documents = useMemo(
    () => (homePageRequest ? [home.live] : []),
    [homePageRequest, home.live]
  );
  // A page showing anything but the public settings (a draft preview) must pass null here, so
  // public live updates never replace what it shows.
  const { state, status: liveStatus } = useLiveSettings(
    useSettings(settingsRequest),
    live,
    documents
  );
  const settings = state.status === 'ready' ? state.settings : null;
  const homePage = home.state.status === 'ready' ? home.state.homePage : null;
  // While loading, the default palette keeps the page dark and calm instead of flashing white.
  const theme = useMemo(() => buildTheme(settings ?? DEFAULT_SETTINGS), [settings]);
  useDocumentMeta(settings, homePage?.seo ?? null);

  return (
    <div
      className="site"
      style={theme.cssVars}
      data-settings-source={state.status === 'ready' ? state.source : 'loading'}
      data-settings-version={state.status === 'ready' ? (state.version ?? undefined) : undefined}
      data-home-page={home.state.status === 'loading' ? 'loading' : homePage ? 'shown' : 'none'}
      data-live={liveStatus}
    >
      {banner}
      <Hero settings={settings} allowSoftwareWebGL={allowSoftwareWebGL} />
      <HomeSections
        homePage={homePage}
        maintenanceMode={settings ? settings.maintenanceMode : false}
      />
      <MaintenanceAnnouncer maintenanceMode={settings ? settings.maintenanceMode : null} />
      <footer className="site-footer">
        <p>
          © {new Date().getFullYear()} {settings ? settings.siteName : DEFAULT_SETTINGS.siteName}
        </p>
      </footer>
    </div>
  );
}
