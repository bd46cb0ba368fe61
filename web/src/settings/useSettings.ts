import { useEffect, useState } from 'react';
import type { LoadedSettings } from './loadSettings';
import type { SettingsState } from './types';

/**
 * Follows a settings request that was started outside React (in main.tsx, before the first
 * render), so the fetch runs in parallel with rendering and only once even under StrictMode.
 */
export function useSettings(request: Promise<LoadedSettings>): SettingsState {
  const [state, setState] = useState<SettingsState>({ status: 'loading' });
  useEffect(() => {
    let active = true;
    void request.then(({ settings, source, version, etag }) => {
      if (active) setState({ status: 'ready', settings, source, version, etag });
    });
    return () => {
      active = false;
    };
  }, [request]);
  return state;
}
