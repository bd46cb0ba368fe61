import { useEffect, useState } from 'react';
import { afterNextPaint } from '../hero/afterNextPaint';
import type { SettingsState } from '../settings/types';
import { browserLiveEnv, type LiveEnv } from './liveEnv';
import { startLiveSettings, type LiveDocument, type LiveStatus } from './liveSettings';
import type { LiveSnapshot } from './liveSnapshot';

const NO_DOCUMENTS: readonly LiveDocument[] = [];

export interface LiveConfig {
  apiUrl: string;
  pollIntervalMs: number;
  /** Fakes for the unit tests; the browser's own features otherwise. */
  env?: LiveEnv;
}

/**
 * The settings to render: the first load, then every version the CMS pushes after it (newer ones,
 * or an older one after a database restore), applied in place. Live updates start once the first
 * load is in and painted, and carry `documents` too. `config: null` turns them off:
 * that is the one condition a page showing something other than the public settings (a preview of
 * a draft) must set, so public updates never replace what it shows.
 */
export function useLiveSettings(
  loaded: SettingsState,
  config: LiveConfig | null,
  /** Other public documents on the same stream (the home page); keep the array stable. */
  documents: readonly LiveDocument[] = NO_DOCUMENTS
): { state: SettingsState; status: LiveStatus | 'off' } {
  const [latest, setLatest] = useState<LiveSnapshot | null>(null);
  const [status, setStatus] = useState<LiveStatus | 'off'>('off');
  const ready = loaded.status === 'ready' ? loaded : null;

  useEffect(() => {
    if (!config || !ready) return undefined;
    let stop: (() => void) | null = null;
    const cancel = afterNextPaint(() => {
      stop = startLiveSettings({
        apiUrl: config.apiUrl,
        pollIntervalMs: config.pollIntervalMs,
        initialVersion: ready.version,
        initialEtag: ready.etag,
        initialSettings: ready.settings,
        documents,
        env: config.env ?? browserLiveEnv(),
        onSnapshot: setLatest,
        onStatus: setStatus,
      });
    });
    return () => {
      cancel();
      stop?.();
      setStatus('off');
    };
    // Started once, when the first load is in: later versions arrive through the subscription.
  }, [config, documents, ready !== null]);

  const state: SettingsState =
    ready && latest && config
      ? { ...ready, settings: latest.settings, source: 'api', version: latest.version }
      : loaded;
  return { state, status: config ? status : 'off' };
}
