/**
 * Stand-ins for what jsdom lacks (EventSource, BroadcastChannel, Web Locks), small enough to read
 * at a glance, with controls for the tests: open or fail a stream, send an event, hide a tab.
 */
import type { LiveEnv } from '../../../src/live/liveEnv';

type Listener = (event: Event) => void;

/** A fresh EventSource class per test, recording its instances. */
export function fakeEventSourceClass() {
  class FakeEventSource {
    static instances: FakeEventSource[] = [];
    readyState = 0; // CONNECTING
    closed = false;
    private listeners = new Map<string, Set<Listener>>();
    constructor(readonly url: string) {
      FakeEventSource.instances.push(this);
    }
    addEventListener(type: string, listener: Listener) {
      if (!this.listeners.has(type)) this.listeners.set(type, new Set());
      this.listeners.get(type)!.add(listener);
    }
    removeEventListener(type: string, listener: Listener) {
      this.listeners.get(type)?.delete(listener);
    }
    close() {
      this.readyState = 2;
      this.closed = true;
    }
    private dispatch(type: string, event: Event) {
      if (!this.closed) this.listeners.get(type)?.forEach((listener) => listener(event));
    }
    /** The server accepted the stream. */
    open() {
      this.readyState = 1;
      this.dispatch('open', new Event('open'));
    }
    /** A `settings` event carrying `body` (JSON-encoded unless already a string). */
    send(body: unknown, event = 'settings') {
      const data = typeof body === 'string' ? body : JSON.stringify(body);
      this.dispatch(event, new MessageEvent(event, { data }));
    }
    /** An error: `closed` as the browser does for a 503, else a network error it retries. */
    fail({ closed }: { closed: boolean }) {
      this.readyState = closed ? 2 : 0;
      this.dispatch('error', new Event('error'));
    }
    /** Open streams, i.e. connections the server would count. */
    static open() {
      return FakeEventSource.instances.filter((source) => !source.closed);
    }
  }
  return FakeEventSource;
}
export type FakeEventSourceClass = ReturnType<typeof fakeEventSourceClass>;

/** BroadcastChannel over an in-memory bus: delivered to the other open channels, asynchronously. */
export function fakeBroadcastChannelClass() {
  const bus = new Set<FakeBroadcastChannel>();
  class FakeBroadcastChannel {
    onmessage: ((event: MessageEvent) => void) | null = null;
    constructor(readonly name: string) {
      bus.add(this);
    }
    postMessage(data: unknown) {
      const copy: unknown = JSON.parse(JSON.stringify(data)); // structured clone, roughly
      for (const other of bus) {
        if (other !== this && other.name === this.name) {
          void Promise.resolve().then(() =>
            other.onmessage?.(new MessageEvent('message', { data: copy }))
          );
        }
      }
    }
    close() {
      bus.delete(this);
    }
  }
  return FakeBroadcastChannel;
}

/** Web Locks' `request(name, { signal }, callback)`: exclusive, granted in request order. */
export function fakeLocks(): LockManager {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const grantNext = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next) next();
    else held.delete(name);
  };
  const request = (
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: Lock | null) => Promise<unknown> | unknown
  ) =>
    new Promise((resolve, reject) => {
      const grant = () => {
        held.add(name);
        void Promise.resolve(callback({ name, mode: 'exclusive' } as Lock))
          .then(resolve, reject)
          .finally(() => grantNext(name));
      };
      if (!held.has(name)) return grant();
      const queue = queues.get(name) ?? [];
      queues.set(name, queue);
      queue.push(grant);
      options.signal?.addEventListener('abort', () => {
        const i = queue.indexOf(grant);
        if (i >= 0) queue.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  return { request, query: () => Promise.resolve({}) } as unknown as LockManager;
}

/** A tab's document whose visibility the test sets (with the visibilitychange event). */
export function fakeDocument(): Document & { setHidden(hidden: boolean): void } {
  const doc = document.implementation.createHTMLDocument('tab');
  let hidden = false;
  Object.defineProperty(doc, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible') });
  return Object.assign(doc, {
    setHidden(value: boolean) {
      hidden = value;
      doc.dispatchEvent(new Event('visibilitychange'));
    },
  });
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  etag?: string;
}

/** A fetch answering from `answer(url, init)`, recording its calls. */
export function fakeApiFetch(answer: (init: RequestInit) => FakeResponse) {
  return jest.fn((_url: RequestInfo | URL, init: RequestInit = {}) => {
    const { status, body, etag } = answer(init);
    return Promise.resolve({
      ok: status >= 200 && status < 300,
      status,
      headers: { get: (name: string) => (name.toLowerCase() === 'etag' ? (etag ?? null) : null) },
      json: () => Promise.resolve(body),
    } as unknown as Response);
  });
}

/** The conditional header a recorded fetch call sent. */
export const ifNoneMatch = (call: unknown[]) =>
  ((call[1] as RequestInit).headers as Record<string, string>)['If-None-Match'];

export function liveEnv(overrides: Partial<LiveEnv> = {}): LiveEnv {
  return {
    fetch: undefined,
    EventSource: undefined,
    BroadcastChannel: undefined,
    locks: undefined,
    document: fakeDocument(),
    ...overrides,
  };
}
