import { SETTINGS_PATH } from '../settings/loadSettings';
import { fetchIfChanged, type EtagRef } from './conditionalGet';
import type { LiveEnv } from './liveEnv';
import { parseLiveBody, type LiveSnapshot } from './liveSnapshot';
import { startSettingsFeed, type FeedMode } from './settingsFeed';
import { joinSharedFeed } from './tabLeader';
import { isVisible, watchVisibility } from './visibility';

export const EVENTS_PATH = `${SETTINGS_PATH}/events`;

/** What this tab is doing, for `data-live` on the page (tests and curious developers). */
export type LiveStatus = 'stream' | 'polling' | 'relay' | 'hidden';

export interface LiveSettingsOptions {
  apiUrl: string;
  pollIntervalMs: number;
  /** Version on screen when live updates start; null (the defaults) accepts any version. */
  initialVersion: number | null;
  /** ETag of the first load, so the first poll can already be answered 304. */
  initialEtag: string | null;
  env: LiveEnv;
  /** A newer version than the one on screen, while the tab is visible. */
  onSnapshot(snapshot: LiveSnapshot): void;
  onStatus?(status: LiveStatus): void;
}

/**
 * Keeps a tab's settings current. While the tab is visible it takes part in the shared feed (one
 * tab holds the stream and relays it; see tabLeader.ts), or runs a feed of its own that only polls
 * where Web Locks or BroadcastChannel are missing (so it holds no connection that could starve a
 * seventh tab). While hidden it holds nothing and ignores everything; when shown again it makes
 * one conditional GET to catch up. Only versions newer than the one on screen are applied.
 * Returns a function that stops it all.
 */
export function startLiveSettings(options: LiveSettingsOptions): () => void {
  const { env, apiUrl } = options;
  const settingsUrl = `${apiUrl}${SETTINGS_PATH}`;
  const etag: EtagRef = { current: options.initialEtag };
  let shown = options.initialVersion ?? -1;
  let visible = isVisible(env.document);
  let leave: (() => void) | null = null;
  let stopped = false;

  const accept = (body: unknown) => {
    if (!visible || stopped) return;
    const snapshot = parseLiveBody(body);
    if (!snapshot || snapshot.version <= shown) return;
    shown = snapshot.version;
    options.onSnapshot(snapshot);
  };

  const status = (value: LiveStatus) => {
    if (!stopped) options.onStatus?.(value);
  };

  const startFeed = (emit: (body: unknown) => void, streams: boolean) =>
    startSettingsFeed({
      settingsUrl,
      eventsUrl: `${apiUrl}${EVENTS_PATH}`,
      pollIntervalMs: options.pollIntervalMs,
      EventSource: streams ? env.EventSource : undefined,
      fetch: env.fetch,
      etag,
      onBody: emit,
      onMode: (mode: FeedMode) => status(mode),
    });

  const connect = () => {
    const { locks, BroadcastChannel } = env;
    if (locks && BroadcastChannel) {
      leave = joinSharedFeed({
        name: `platform-settings-live ${apiUrl}`,
        locks,
        BroadcastChannel,
        startFeed: (emit) => startFeed(emit, true),
        onBody: accept,
        onRole: (role) => role === 'follower' && status('relay'),
      });
    } else {
      leave = startFeed(accept, false); // polls at once: that is the catch-up
    }
  };

  const catchUp = async () => {
    if (!env.fetch) return;
    const body = await fetchIfChanged(settingsUrl, etag, env.fetch);
    if (body !== null) accept(body);
  };

  const stopWatching = watchVisibility(env.document, (nowVisible) => {
    if (nowVisible === visible || stopped) return;
    visible = nowVisible;
    if (!visible) {
      leave?.();
      leave = null;
      status('hidden');
      return;
    }
    connect();
    // A leader's reopened stream catches up too; the version check drops the duplicate.
    if (env.locks && env.BroadcastChannel) void catchUp();
  });

  if (visible) connect();
  else status('hidden');

  return () => {
    stopped = true;
    stopWatching();
    leave?.();
    leave = null;
  };
}
