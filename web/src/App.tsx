import { useEffect, useMemo } from 'react';
import { Hero } from './hero/Hero';
import { DEFAULT_SETTINGS } from './settings/defaults';
import type { LoadedSettings } from './settings/loadSettings';
import { useSettings } from './settings/useSettings';
import { buildTheme } from './theme/buildTheme';

interface Props {
  settingsRequest: Promise<LoadedSettings>;
  allowSoftwareWebGL: boolean;
}

export function App({ settingsRequest, allowSoftwareWebGL }: Props) {
  const state = useSettings(settingsRequest);
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
    >
      <Hero settings={settings} allowSoftwareWebGL={allowSoftwareWebGL} />
      <footer className="site-footer">
        <p>
          © {new Date().getFullYear()} {settings ? settings.siteName : DEFAULT_SETTINGS.siteName}
        </p>
      </footer>
    </div>
  );
}
