import { useEffect, useMemo, type ReactNode } from 'react';
import { Hero } from './hero/Hero';
import { MaintenanceAnnouncer } from './live/MaintenanceAnnouncer';
import { useLiveSettings, type LiveConfig } from './live/useLiveSettings';
import { DEFAULT_SETTINGS } from './settings/defaults';
import type { LoadedSettings } from './settings/loadSettings';
import { useSettings } from './settings/useSettings';
import { buildTheme } from './theme/buildTheme';

interface Props {
  settingsRequest: Promise<LoadedSettings>;
  allowSoftwareWebGL: boolean;
  /** Live updates from the CMS (see src/live/); null or left out: the first load only. */
  live?: LiveConfig | null;
  /** Shown above the page (the preview banner). */
  banner?: ReactNode;
}

export function App({ settingsRequest, allowSoftwareWebGL, live = null, banner }: Props) {
  // A page showing anything but the public settings (a draft preview) must pass null here, so
  // public live updates never replace what it shows.
  const { state, status: liveStatus } = useLiveSettings(useSettings(settingsRequest), live);
  const settings = state.status === 'ready' ? state.settings : null;
  // While loading, the default palette keeps the page dark and calm instead of flashing white.
  const theme = useMemo(() => buildTheme(settings ?? DEFAULT_SETTINGS), [settings]);

  useEffect(() => {
    if (settings) document.title = `${settings.siteName} · ${settings.tagline}`;
  }, [settings]);

  return (
    <div
      className="site"
      style={theme.cssVars}
      data-settings-source={state.status === 'ready' ? state.source : 'loading'}
      data-settings-version={state.status === 'ready' ? (state.version ?? undefined) : undefined}
      data-live={liveStatus}
    >
      {banner}
      <Hero settings={settings} allowSoftwareWebGL={allowSoftwareWebGL} />
      <MaintenanceAnnouncer maintenanceMode={settings ? settings.maintenanceMode : null} />
      <footer className="site-footer">
        <p>
          © {new Date().getFullYear()} {settings ? settings.siteName : DEFAULT_SETTINGS.siteName}
        </p>
      </footer>
    </div>
  );
}
