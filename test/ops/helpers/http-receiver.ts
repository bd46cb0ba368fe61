/**
 * A local HTTP server that stands in for a third party (the CDN's purge API,
 * Sentry): it records every request and answers as the test scripts it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Decides the answer to one request; may wait before answering. */
export type Responder = (
  request: ReceivedRequest,
  res: http.ServerResponse
) => void | Promise<void>;

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves once `count` requests in all have arrived. */
  waitFor(count: number): Promise<ReceivedRequest[]>;
  respondWith(responder: Responder): void;
  close(): Promise<void>;
}

export const answer =
  (status: number, body: unknown = { success: status < 400 }): Responder =>
  (_request, res) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };

export const startReceiver = async (): Promise<Receiver> => {
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let responder: Responder = answer(200);

  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(request);
      waiters.filter((w) => requests.length >= w.count).forEach((w) => w.resolve());
      await responder(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    waitFor: (count) =>
      new Promise((resolve) => {
        const done = () => resolve(requests.slice(0, count));
        if (requests.length >= count) done();
        else waiters.push({ count, resolve: done });
      }),
    respondWith(next) {
      responder = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
