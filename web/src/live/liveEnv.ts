/**
 * The browser features live updates use, passed in rather than read from globals so the unit tests
 * can supply fakes (jsdom has no EventSource, BroadcastChannel or Web Locks). A missing feature is
 * undefined, and the code falls back (polling instead of a stream, one feed per tab).
 */
export interface LiveEnv {
  fetch: typeof fetch | undefined;
  EventSource: typeof EventSource | undefined;
  BroadcastChannel: typeof BroadcastChannel | undefined;
  locks: LockManager | undefined;
  document: Document;
}

export function browserLiveEnv(): LiveEnv {
  return {
    fetch: typeof fetch === 'function' ? fetch.bind(globalThis) : undefined,
    EventSource: typeof EventSource === 'function' ? EventSource : undefined,
    BroadcastChannel: typeof BroadcastChannel === 'function' ? BroadcastChannel : undefined,
    locks: typeof navigator !== 'undefined' ? navigator.locks : undefined,
    document,
  };
}
