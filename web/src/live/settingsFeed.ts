import { fetchIfChanged, type EtagRef } from './conditionalGet';
import { openEventStream, SETTINGS_EVENT, type StreamFailure } from './eventStream';

/** How this tab is receiving settings right now. */
export type FeedMode = 'stream' | 'polling';

/** A public document besides the settings that the feed follows too (the home page). */
export interface FeedDocument {
  /** Its event name on the stream, and its name in bodies handed on. */
  name: string;
  /** Its public GET, polled with the settings while the stream is unavailable. */
  url: string;
  etag: EtagRef;
}

export interface SettingsFeedOptions {
  settingsUrl: string;
  eventsUrl: string;
  pollIntervalMs: number;
  /** undefined: no EventSource in this browser (or streams not wanted): poll only. */
  EventSource: typeof EventSource | undefined;
  fetch: typeof fetch | undefined;
  etag: EtagRef;
  documents?: readonly FeedDocument[];
  /**
   * A body (parsed JSON from a poll, or an event's text), unvalidated; `authoritative` when it
   * came over the stream (see BodySink); `document` is `settings` or a document's name.
   */
  onBody(body: unknown, authoritative: boolean, document: string): void;
  onMode?(mode: FeedMode): void;
}

/** First wait before trying a refused or failing stream again; doubled each time, up to the cap. */
export const STREAM_RETRY_BASE_MS = 30_000;
export const STREAM_RETRY_MAX_MS = 5 * 60_000;

/** Spreads retries (0.5×–1.5×) so clients refused together at the cap do not come back together. */
const jitter = (ms: number) => Math.round(ms * (0.5 + Math.random()));

/**
 * What one tab runs to follow the settings (and any other public document given): the event
 * stream, or, while the stream is refused (503 at the server's cap) or failing, or where
 * EventSource is missing, a conditional GET of each every `pollIntervalMs` (the first at once).
 * A refused stream is tried again after a growing, jittered delay, and polling stops as soon as
 * it opens. Returns a function that stops everything.
 */
export function startSettingsFeed(options: SettingsFeedOptions): () => void {
  const { EventSource: EventSourceImpl, fetch: fetchImpl } = options;
  let stopped = false;
  let closeStream: (() => void) | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped whenever polling starts or stops, so a poll still in flight from an earlier run ends
  // quietly instead of starting a second timer chain.
  let pollRun = 0;
  let polling = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retries = 0;

  const documents = options.documents ?? [];
  const poll = async (run: number) => {
    if (!fetchImpl) return;
    const targets = [
      { name: SETTINGS_EVENT, url: options.settingsUrl, etag: options.etag },
      ...documents,
    ];
    const bodies = await Promise.all(
      targets.map(({ url, etag }) => fetchIfChanged(url, etag, fetchImpl))
    );
    if (run !== pollRun || stopped) return;
    bodies.forEach((body, i) => {
      if (body !== null) options.onBody(body, false, targets[i]!.name);
    });
    pollTimer = setTimeout(() => void poll(run), options.pollIntervalMs);
  };
  const startPolling = () => {
    if (polling || stopped) return;
    polling = true;
    pollRun += 1;
    options.onMode?.('polling');
    void poll(pollRun);
  };
  const stopPolling = () => {
    if (!polling) return;
    polling = false;
    pollRun += 1;
    clearTimeout(pollTimer);
  };

  const openStream = (Impl: typeof EventSource) => {
    closeStream = openEventStream(options.eventsUrl, Impl, {
      otherEvents: documents.map(({ name }) => name),
      onData: (event, data) => options.onBody(data, true, event),
      onOpen: () => {
        retries = 0;
        stopPolling();
        options.onMode?.('stream');
      },
      onFailure: (reason: StreamFailure) => {
        closeStream = null;
        if (stopped) return;
        startPolling();
        const delay = Math.min(STREAM_RETRY_BASE_MS * 2 ** retries, STREAM_RETRY_MAX_MS);
        retries += 1;
        console.warn(
          `[live] Settings stream ${reason === 'refused' ? 'refused' : 'failing'}; polling ` +
            `every ${options.pollIntervalMs / 1000} s, trying the stream again in about ` +
            `${Math.round(delay / 1000)} s.`
        );
        retryTimer = setTimeout(() => openStream(Impl), jitter(delay));
      },
    });
  };

  if (EventSourceImpl) openStream(EventSourceImpl);
  else startPolling();

  return () => {
    stopped = true;
    stopPolling();
    clearTimeout(retryTimer);
    closeStream?.();
    closeStream = null;
  };
}
