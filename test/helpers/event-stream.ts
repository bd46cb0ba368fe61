/**
 * A real client of `GET /api/platform-settings/events` (or another event stream, e.g. the
 * admin's `/platform-settings/events`): reads the stream frame by frame.
 */
import http from 'node:http';

export interface SettingsEvent {
  event?: string;
  id?: string;
  data?: string;
  at: number;
}

export interface OpenStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Events (not comments) received so far. */
  events: SettingsEvent[];
  comments: string[];
  /** Resolves with the first event after the `count` already received. */
  next(timeoutMs?: number): Promise<SettingsEvent>;
  ended: Promise<void>;
  response: http.IncomingMessage;
  close(): void;
}

export const openStream = (
  url: string,
  headers: Record<string, string> = {},
  { read = true, path = '/api/platform-settings/events' }: { read?: boolean; path?: string } = {}
) =>
  new Promise<OpenStream>((resolve, reject) => {
    const request = http.get(`${url}${path}`, { headers, agent: false }, (response) => {
      const events: SettingsEvent[] = [];
      const comments: string[] = [];
      const waiters: Array<{ index: number; resolve: (event: SettingsEvent) => void }> = [];
      let buffer = '';
      const ended = new Promise<void>((done) => response.once('close', () => done()));
      const deliver = () => {
        for (const waiter of [...waiters]) {
          if (events.length > waiter.index) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(events[waiter.index]);
          }
        }
      };
      response.setEncoding('utf8');
      if (read) {
        response.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: SettingsEvent = { at: Date.now() };
            let isEvent = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comments.push(line.slice(1).trim());
              const [field, ...rest] = line.split(': ');
              if (field === 'event' || field === 'id' || field === 'data') {
                event[field] = rest.join(': ');
                isEvent = true;
              }
            }
            if (isEvent) events.push(event);
          }
          deliver();
        });
      } else {
        response.pause();
      }
      resolve({
        status: response.statusCode!,
        headers: response.headers,
        events,
        comments,
        response,
        ended,
        next(timeoutMs = 2000) {
          const index = events.length;
          return new Promise((resolveEvent, rejectEvent) => {
            const timer = setTimeout(
              () => rejectEvent(new Error(`no event within ${timeoutMs} ms`)),
              timeoutMs
            );
            waiters.push({
              index,
              resolve: (event) => {
                clearTimeout(timer);
                resolveEvent(event);
              },
            });
            deliver();
          });
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });

/** Waits until `events` holds at least `count` events. */
export const eventually = async (check: () => boolean, timeoutMs = 2000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
