/** Why a stream cannot be used: the server refused it (503 at its cap, any non-200, not an event
 * stream), or it keeps failing (server unreachable, proxy cutting it). */
export type StreamFailure = 'refused' | 'failing';

/** The settings' event name; unnamed events are read as settings too, to be lenient. */
export const SETTINGS_EVENT = 'settings';

export interface EventStreamHandlers {
  /** Event names to listen to besides `settings` (one per other public document, `home-page`). */
  otherEvents?: readonly string[];
  /** The data of an event: its document's GET body, as text; `event` is the event's name. */
  onData(event: string, data: string): void;
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
 * Opens the live stream (the settings, and any other public document asked for). EventSource
 * reconnects by itself after a network error or a server shutdown (sending Last-Event-ID, so the
 * server can answer with the live documents at once); this
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

  const names = [SETTINGS_EVENT, ...(handlers.otherEvents ?? [])];
  const onData = (event: Event) => {
    const { data, type } = event as MessageEvent<unknown>;
    if (typeof data === 'string') handlers.onData(type === 'message' ? SETTINGS_EVENT : type, data);
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
    for (const name of names) source.removeEventListener(name, onData);
    source.removeEventListener('message', onData);
    source.removeEventListener('open', onOpen);
    source.removeEventListener('error', onError);
    source.close();
  };
  const fail = (reason: StreamFailure) => {
    close();
    handlers.onFailure(reason);
  };

  for (const name of names) source.addEventListener(name, onData);
  source.addEventListener('message', onData);
  source.addEventListener('open', onOpen);
  source.addEventListener('error', onError);
  return close;
}
