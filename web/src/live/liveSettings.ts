import { SETTINGS_PATH } from '../settings/loadSettings';
import type { PlatformSettings } from '../settings/types';
import { fetchIfChanged, type EtagRef } from './conditionalGet';
import { SETTINGS_EVENT } from './eventStream';
import type { LiveEnv } from './liveEnv';
import { parseLiveBody, type LiveSnapshot } from './liveSnapshot';
import { startSettingsFeed, type FeedDocument, type FeedMode } from './settingsFeed';
import { joinSharedFeed, type BodySink } from './tabLeader';
import { createVersionGate, contentOf } from './versionGate';
import { isVisible, watchVisibility } from './visibility';

export const EVENTS_PATH = `${SETTINGS_PATH}/events`;

export { STALE_COPY_MAX_MS } from './versionGate';

/** What this tab is doing, for `data-live` on the page (tests and curious developers). */
export type LiveStatus = 'stream' | 'polling' | 'relay' | 'hidden';

/**
 * A public document besides the settings that the same stream carries (the home page): its named
 * events, and its GET for polls and catch-ups. The caller judges its bodies (see versionGate.ts).
 */
export interface LiveDocument {
  /** Its event name, and its name in the stream's `?types=`. */
  name: string;
  /** Its public GET, relative to the API (`/api/home-page`). */
  path: string;
  /** The ETag of the copy on screen, shared with the caller's first load. */
  etag: EtagRef;
  /** A body (unvalidated: parsed JSON, or an event's text), while the tab is visible. */
  onBody(body: unknown, authoritative: boolean): void;
}

export interface LiveSettingsOptions {
  apiUrl: string;
  pollIntervalMs: number;
  /** Version on screen when live updates start; null (the defaults) accepts any version. */
  initialVersion: number | null;
  /** ETag of the first load, so the first poll can already be answered 304. */
  initialEtag: string | null;
  /** The settings of the first load, to tell another timeline's copy of the same version apart. */
  initialSettings?: PlatformSettings | null;
  /** Other public documents to follow on the same stream (the home page); none by default. */
  documents?: readonly LiveDocument[];
  env: LiveEnv;
  /** Another version than the one on screen, while the tab is visible (see versionGate.ts). */
  onSnapshot(snapshot: LiveSnapshot): void;
  onStatus?(status: LiveStatus): void;
}

/**
 * The stream's URL. Without other documents it is the plain events URL, as before there were
 * any; with them, `?types=` names every document the page follows, settings first.
 */
export function eventsUrlFor(apiUrl: string, documents: readonly LiveDocument[]): string {
  const url = `${apiUrl}${EVENTS_PATH}`;
  if (documents.length === 0) return url;
  return `${url}?types=${[SETTINGS_EVENT, ...documents.map(({ name }) => name)].join(',')}`;
}

/**
 * Keeps a tab's settings (and the other documents given) current. While the tab is visible it
 * takes part in the shared feed (one tab holds the stream and relays it; see tabLeader.ts), or
 * runs a feed of its own that only polls where Web Locks or BroadcastChannel are missing (so it
 * holds no connection that could starve a seventh tab). While hidden it holds nothing and ignores
 * everything; when shown again it makes one conditional GET of each document to catch up.
 *
 * Which settings versions are applied is versionGate.ts's rule: newer at once; lower from the
 * stream at once (a restored database), from polls only once they outlast a shared cache's stale
 * window; the same version with other content when the stream sends it. Returns a function that
 * stops it all.
 */
export function startLiveSettings(options: LiveSettingsOptions): () => void {
  const { env, apiUrl } = options;
  const documents = options.documents ?? [];
  const settingsUrl = `${apiUrl}${SETTINGS_PATH}`;
  const etag: EtagRef = { current: options.initialEtag };
  const gate = createVersionGate({
    version: options.initialVersion ?? -1,
    content: options.initialSettings ? contentOf(options.initialSettings) : null,
  });
  let visible = isVisible(env.document);
  let leave: (() => void) | null = null;
  let stopped = false;

  const acceptSettings = (body: unknown, authoritative: boolean) => {
    const snapshot = parseLiveBody(body);
    if (!snapshot) return;
    const verdict = gate.judge(snapshot.version, contentOf(snapshot.settings), authoritative);
    // The next poll asks in full, so it can tell "still lower" apart.
    if (verdict === 'older-copy') etag.current = null;
    if (verdict === 'apply') options.onSnapshot(snapshot);
  };

  const accept: BodySink = (body, authoritative, document) => {
    if (!visible || stopped) return;
    if (document === SETTINGS_EVENT) return acceptSettings(body, authoritative);
    documents.find(({ name }) => name === document)?.onBody(body, authoritative);
  };

  const status = (value: LiveStatus) => {
    if (!stopped) options.onStatus?.(value);
  };

  const feedDocuments: FeedDocument[] = documents.map(({ name, path, etag: documentEtag }) => ({
    name,
    url: `${apiUrl}${path}`,
    etag: documentEtag,
  }));

  const startFeed = (emit: BodySink, streams: boolean) =>
    startSettingsFeed({
      settingsUrl,
      eventsUrl: eventsUrlFor(apiUrl, documents),
      pollIntervalMs: options.pollIntervalMs,
      EventSource: streams ? env.EventSource : undefined,
      fetch: env.fetch,
      etag,
      documents: feedDocuments,
      onBody: emit,
      onMode: (mode: FeedMode) => status(mode),
    });

  const connect = () => {
    const { locks, BroadcastChannel } = env;
    if (locks && BroadcastChannel) {
      // One leader per API and set of documents: tabs of a release that follows other documents
      // keep a stream of their own rather than wait on a leader that does not carry them.
      const followed =
        documents.length > 0 ? ` ${documents.map(({ name }) => name).join(',')}` : '';
      leave = joinSharedFeed({
        name: `platform-settings-live ${apiUrl}${followed}`,
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
    const fetchImpl = env.fetch;
    if (!fetchImpl) return;
    const targets = [{ name: SETTINGS_EVENT, url: settingsUrl, etag }, ...feedDocuments];
    const bodies = await Promise.all(
      targets.map(({ url, etag: targetEtag }) => fetchIfChanged(url, targetEtag, fetchImpl))
    );
    bodies.forEach((body, i) => {
      if (body !== null) accept(body, false, targets[i]!.name);
    });
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
