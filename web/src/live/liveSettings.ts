import { SETTINGS_PATH } from '../settings/loadSettings';
import { fetchIfChanged, type EtagRef } from './conditionalGet';
import type { LiveEnv } from './liveEnv';
import type { PlatformSettings } from '../settings/types';
import { parseLiveBody, type LiveSnapshot } from './liveSnapshot';
import { startSettingsFeed, type FeedMode } from './settingsFeed';
import { joinSharedFeed, type BodySink } from './tabLeader';
import { isVisible, watchVisibility } from './visibility';

export const EVENTS_PATH = `${SETTINGS_PATH}/events`;

/**
 * How long a shared cache may serve an older copy of the settings: the GET's
 * `max-age=60, stale-while-revalidate=30`. A lower version that polls still return after this
 * long is not a stale copy but the server's truth (a database restored from a backup).
 */
export const STALE_COPY_MAX_MS = 90_000;

/** What this tab is doing, for `data-live` on the page (tests and curious developers). */
export type LiveStatus = 'stream' | 'polling' | 'relay' | 'hidden';

export interface LiveSettingsOptions {
  apiUrl: string;
  pollIntervalMs: number;
  /** Version on screen when live updates start; null (the defaults) accepts any version. */
  initialVersion: number | null;
  /** ETag of the first load, so the first poll can already be answered 304. */
  initialEtag: string | null;
  /** The settings of the first load, to tell another timeline's copy of the same version apart. */
  initialSettings?: PlatformSettings | null;
  env: LiveEnv;
  /** Another version than the one on screen, while the tab is visible (see above for which). */
  onSnapshot(snapshot: LiveSnapshot): void;
  onStatus?(status: LiveStatus): void;
}

/**
 * Keeps a tab's settings current. While the tab is visible it takes part in the shared feed (one
 * tab holds the stream and relays it; see tabLeader.ts), or runs a feed of its own that only polls
 * where Web Locks or BroadcastChannel are missing (so it holds no connection that could starve a
 * seventh tab). While hidden it holds nothing and ignores everything; when shown again it makes
 * one conditional GET to catch up.
 *
 * Newer versions are applied at once. The server's version can also go down (a database restored
 * from a backup): a lower version from the stream is applied at once too, since the stream only
 * ever carries what its instance serves now; a lower one from a poll only once polls have kept
 * returning it for longer than a shared cache may serve a stale copy, so a CDN's old copy never
 * takes the page back. The same version with other content is applied when the stream sends it:
 * the server sends a version again only to a client whose last event came from another timeline
 * (a restored database reuses version numbers), so its copy is the truth. Returns a function that
 * stops it all.
 */
/** The settings as one comparable string, whatever order their fields came in. */
const contentOf = (settings: PlatformSettings) =>
  JSON.stringify(
    Object.keys(settings)
      .sort()
      .map((name) => [name, settings[name as keyof PlatformSettings]])
  );

export function startLiveSettings(options: LiveSettingsOptions): () => void {
  const { env, apiUrl } = options;
  const settingsUrl = `${apiUrl}${SETTINGS_PATH}`;
  const etag: EtagRef = { current: options.initialEtag };
  let shown = options.initialVersion ?? -1;
  /** What is on screen for `shown`, as compared; null until known. */
  let shownContent = options.initialSettings ? contentOf(options.initialSettings) : null;
  /** A lower version polls returned, and since when, until it is applied or superseded. */
  let lower: { version: number; since: number } | null = null;
  let visible = isVisible(env.document);
  let leave: (() => void) | null = null;
  let stopped = false;

  const accept: BodySink = (body, authoritative) => {
    if (!visible || stopped) return;
    const snapshot = parseLiveBody(body);
    if (!snapshot) return;
    const { version } = snapshot;
    const content = contentOf(snapshot.settings);
    if (
      version === shown &&
      (!authoritative || shownContent === null || content === shownContent)
    ) {
      shownContent ??= content;
      lower = null;
      return;
    }
    if (version < shown && !authoritative) {
      etag.current = null; // the next poll asks in full, so it can tell "still lower" apart
      if (lower?.version !== version) lower = { version, since: Date.now() };
      if (Date.now() - lower.since <= STALE_COPY_MAX_MS) return;
    }
    lower = null;
    shown = version;
    shownContent = content;
    options.onSnapshot(snapshot);
  };

  const status = (value: LiveStatus) => {
    if (!stopped) options.onStatus?.(value);
  };

  const startFeed = (emit: BodySink, streams: boolean) =>
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
    if (body !== null) accept(body, false);
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
