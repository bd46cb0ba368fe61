import { SETTINGS_EVENT } from './eventStream';

/** Messages between the tabs of one site (same origin), on one BroadcastChannel. */
type TabMessage =
  /** A settings body the leader received, relayed as it came (each tab parses it itself). */
  | { type: 'settings'; body: unknown; authoritative: boolean }
  /** The same for another public document (the home page), by its name. */
  | { type: 'document'; name: string; body: unknown; authoritative: boolean }
  /** A tab joined (or came back into view): the leader answers with the latest body it has. */
  | { type: 'hello' };

export type TabRole = 'leader' | 'follower';

/**
 * Receives a body of `document` (`settings`, or another public document's name). `authoritative`:
 * it came over the event stream, which always carries the server's current version (even a lower
 * one, after a database restore); otherwise it came from a poll, which a shared cache may answer
 * with an older copy.
 */
export type BodySink = (body: unknown, authoritative: boolean, document: string) => void;

export interface SharedFeedOptions {
  /** Lock and channel name: one leader per site and API. */
  name: string;
  locks: LockManager;
  BroadcastChannel: typeof BroadcastChannel;
  /** What the leader runs: it calls `emit` with every body it receives; returns a stop function. */
  startFeed(emit: BodySink): () => void;
  /** Every body this tab should consider: its own feed's as leader, or relayed by the leader. */
  onBody: BodySink;
  onRole?(role: TabRole): void;
}

/**
 * Shares one feed (one event stream) between the visible tabs of a site: the tab holding the Web
 * Lock `name` runs the feed and relays every body on a BroadcastChannel; the others wait in the
 * lock's queue. When the leader leaves (tab closed, hidden, navigated away), the browser grants
 * the lock to the next tab, which opens its own feed: no heartbeat or timeout is needed, because a
 * closed tab's locks are released by the browser. Returns a function that leaves.
 */
export function joinSharedFeed(options: SharedFeedOptions): () => void {
  const channel = new options.BroadcastChannel(options.name);
  const abort = new AbortController();
  /** The latest body of each document, for a tab that says hello. */
  const latest = new Map<string, unknown>();
  let stopFeed: (() => void) | null = null;
  let releaseLock: (() => void) | null = null;
  let left = false;

  const messageOf = (body: unknown, authoritative: boolean, document: string): TabMessage =>
    document === SETTINGS_EVENT
      ? { type: 'settings', body, authoritative }
      : { type: 'document', name: document, body, authoritative };

  const post = (message: TabMessage) => {
    try {
      channel.postMessage(message);
    } catch {
      // A body that cannot be cloned, or a closed channel: the other tabs catch up later.
    }
  };

  channel.onmessage = (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message?.type === 'settings' || message?.type === 'document') {
      const document = message.type === 'settings' ? SETTINGS_EVENT : String(message.name);
      latest.set(document, message.body);
      options.onBody(message.body, message.authoritative === true, document);
    } else if (message?.type === 'hello' && stopFeed) {
      // Maybe older than what the new tab loaded itself: only a newer version is taken from it.
      for (const [document, body] of latest) post(messageOf(body, false, document));
    }
  };

  const emit: BodySink = (body, authoritative, document) => {
    if (left) return;
    latest.set(document, body);
    options.onBody(body, authoritative, document); // a channel does not deliver to its own sender
    post(messageOf(body, authoritative, document));
  };

  options.onRole?.('follower');
  post({ type: 'hello' });
  options.locks
    .request(options.name, { signal: abort.signal }, () => {
      if (left) return undefined;
      stopFeed = options.startFeed(emit);
      options.onRole?.('leader');
      // Held until this tab leaves (or closes, when the browser releases it).
      return new Promise<void>((resolve) => (releaseLock = resolve));
    })
    .catch(() => {
      // AbortError: left while still waiting in the queue.
    });

  return () => {
    if (left) return;
    left = true;
    abort.abort();
    stopFeed?.();
    stopFeed = null;
    releaseLock?.();
    channel.onmessage = null;
    channel.close();
  };
}
