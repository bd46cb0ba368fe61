/** Why a stream cannot be used: the server refused it (503 at its cap, any non-200, not an event
 * stream), or it keeps failing (server unreachable, proxy cutting it). */
export type StreamFailure = 'refused' | 'failing';

export interface EventStreamHandlers {
  /** The data of a `settings` event: the GET's JSON body, as text. */
  onData(data: string): void;
  /** The connection is open (first time or after one of the browser's own reconnects). */
  onOpen?(): void;
  /** The stream was closed for good; the caller polls instead. */
  onFailure(reason: StreamFailure): void;
}

/** Failed reconnects in a row (no `open` between them) before the stream is given up. */
export const MAX_FAILED_RECONNECTS = 3;

/** EventSource.CLOSED, spelled out so fakes need not define it. */
const CLOSED = 2;

/**
 * Opens the settings stream. EventSource reconnects by itself after a network error or a server
 * shutdown (sending Last-Event-ID, so the server can answer with the live settings at once); this
 * adds what it does not do: give up when the browser has closed the stream for good (a 503 at the
 * server's cap, or any other non-200), or after a few failed reconnects in a row.
 * Returns a function that closes the stream.
 */
export function openEventStream(
  url: string,
  EventSourceImpl: typeof EventSource,
  handlers: EventStreamHandlers
): () => void {
  const source = new EventSourceImpl(url); // no credentials: the endpoint is public
  let failures = 0;
  let closed = false;

  const onData = (event: Event) => {
    const { data } = event as MessageEvent<unknown>;
    if (typeof data === 'string') handlers.onData(data);
  };
  const onOpen = () => {
    failures = 0;
    handlers.onOpen?.();
  };
  const onError = () => {
    if (closed) return;
    failures += 1;
    if (source.readyState === CLOSED) return fail('refused');
    if (failures >= MAX_FAILED_RECONNECTS) fail('failing');
  };
  const close = () => {
    if (closed) return;
    closed = true;
    source.removeEventListener('settings', onData);
    source.removeEventListener('message', onData);
    source.removeEventListener('open', onOpen);
    source.removeEventListener('error', onError);
    source.close();
  };
  const fail = (reason: StreamFailure) => {
    close();
    handlers.onFailure(reason);
  };

  // `settings` is the contract's event name; unnamed events are read the same way, to be lenient.
  source.addEventListener('settings', onData);
  source.addEventListener('message', onData);
  source.addEventListener('open', onOpen);
  source.addEventListener('error', onError);
  return close;
}
