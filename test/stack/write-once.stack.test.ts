/**
 * The stack's nginx (deploy/nginx/stack.conf, started as `npm run stack` does)
 * never applies a write twice: an instance that received a PUT, POST, PATCH or
 * DELETE and then dropped the connection may have committed it, so no other
 * instance gets it, except the settings PUT, which goes to the next one with
 * the same Idempotency-Key (the plugin replays it); the cached home page's
 * writes (Strapi's own PUT) are sent once. Reads still fail over, and
 * so does every write that reached no instance (connection refused), as in a
 * rolling restart. The instances here are small
 * Node servers that record what they receive; only nginx is needed. Also: the
 * cached routes get the proxy headers every route gets.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { freePort } from '../../scripts/lib/free-port.cjs';
import { ROOT } from '../../scripts/lib/launcher.cjs';
import { missingTools, startNginx, type RunningNginx } from '../../scripts/lib/stack.cjs';

jest.setTimeout(60_000);

const WRITES = ['PUT', 'POST', 'PATCH', 'DELETE'] as const;

interface Received {
  method: string;
  url: string;
  body: string;
  idempotencyKey?: string;
}

/** An instance: answers reads unless `dropReads`, and answers or drops (after reading) writes. */
const startUpstream = async (behaviour: { dropReads: boolean; dropWrites: boolean }) => {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
      received.push({ method: request.method!, url: request.url!, body, idempotencyKey });
      const read = ['GET', 'HEAD', 'OPTIONS'].includes(request.method!);
      // Committed, then gone before answering: what a crash or a cut connection looks like.
      if (read ? behaviour.dropReads : behaviour.dropWrites) request.socket.destroy();
      else response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const started: Array<{ stop(): Promise<void> }> = [];
const dirs: string[] = [];

const nginxFor = async (upstreamPorts: number[]): Promise<RunningNginx> => {
  const prefix = path.join(ROOT, '.tmp', `write-once-nginx-${process.pid}-${dirs.length}`);
  fs.rmSync(prefix, { recursive: true, force: true });
  dirs.push(prefix);
  const webRoot = path.join(prefix, 'web');
  fs.mkdirSync(webRoot, { recursive: true });
  const port = await freePort();
  const nginx = await startNginx({
    prefix,
    host: '127.0.0.1',
    port,
    webRoot,
    upstreamPorts,
    origins: [],
  });
  started.push(nginx);
  return nginx;
};

const send = (url: string, method: string, body?: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        agent: false,
        headers: { 'Content-Type': 'application/json', Connection: 'close', ...headers },
      },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: text }));
      }
    );
    request.on('error', reject);
    request.end(body);
  });

beforeAll(() => {
  const problem = missingTools();
  if (problem) throw new Error(problem);
});

afterAll(async () => {
  for (const server of started.reverse()) await server.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

test('a write that reached an instance which then dropped the connection is not sent to another', async () => {
  const a = await startUpstream({ dropReads: true, dropWrites: true });
  const b = await startUpstream({ dropReads: false, dropWrites: true });
  started.push(a, b);
  const nginx = await nginxFor([a.port, b.port]);

  const body = '{"data":{"heroTitle":"once"}}';
  for (const method of WRITES) {
    for (const where of [
      '/api/platform-settings',
      '/api/home-page',
      '/platform-settings/schedules/1',
      '/api/x',
    ]) {
      const url = `${where}?write=${method}-${encodeURIComponent(where)}`;
      const sent = method === 'DELETE' ? '' : body;
      const answer = await send(`${nginx.url}${url}`, method, sent || undefined);
      const copies = [...a.received, ...b.received].filter((got) => got.url === url);
      expect(answer.status).toBe(502);
      expect(copies[0]).toMatchObject({ method, body: sent });
      if (method === 'PUT' && where === '/api/platform-settings') {
        // Resent, but as the same request: each copy carries the key nginx gave it.
        expect(copies.length).toBe(2);
        expect(copies[0].idempotencyKey).toMatch(/^[0-9a-f]{32}$/);
        expect(copies[1]).toEqual(copies[0]);
      } else {
        expect({ method, where, copies: copies.length }).toEqual({ method, where, copies: 1 });
      }
    }
  }

  // A key the client chose is the one every copy carries.
  const url = '/api/platform-settings?write=keyed';
  await send(`${nginx.url}${url}`, 'PUT', body, { 'Idempotency-Key': 'client-key-1' });
  const keys = [...a.received, ...b.received].filter((got) => got.url === url);
  expect(keys.map((got) => got.idempotencyKey)).toEqual(['client-key-1', 'client-key-1']);

  // Reads still fail over: those that reach A (which drops them) are answered by B.
  for (let read = 0; read < 6; read += 1) {
    expect((await send(`${nginx.url}/api/platform-settings?read=${read}`, 'GET')).status).toBe(200);
  }
  expect(a.received.some((got) => got.method === 'GET')).toBe(true);
});

test('a write that reached no instance (connection refused) goes to the next one, once', async () => {
  const b = await startUpstream({ dropReads: false, dropWrites: false });
  started.push(b);
  // A port nothing listens on: an instance between stop and start.
  const down = await freePort();
  const nginx = await nginxFor([down, b.port]);

  const failsOver = [
    ['PUT', '/api/platform-settings'],
    ['POST', '/api/platform-settings/rollback/1'],
    ['POST', '/platform-settings/schedules'],
    ['PATCH', '/api/x'],
    ['GET', '/api/platform-settings'],
    ['PUT', '/api/home-page'],
    ['GET', '/api/home-page'],
  ];
  for (const [method, where] of failsOver) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const url = `${where}?${method}=${attempt}`;
      const body = method === 'GET' ? '' : `{"attempt":${attempt}}`;
      const answer = await send(`${nginx.url}${url}`, method, body || undefined);
      expect({ method, where, status: answer.status }).toEqual({ method, where, status: 200 });
      expect(b.received.filter((got) => got.url === url)).toMatchObject([{ method, body }]);
    }
  }
  // A DELETE or another PUT too.
  for (const method of ['DELETE', 'PUT']) {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const url = `/platform-settings/schedules/${attempt}?${method}`;
      const body = method === 'PUT' ? `{"attempt":${attempt}}` : '';
      const answer = await send(`${nginx.url}${url}`, method, body || undefined);
      expect({ method, status: answer.status }).toEqual({ method, status: 200 });
      expect(b.received.filter((got) => got.url === url)).toMatchObject([{ method, body }]);
    }
  }
});

test('the cached routes (settings, home page) get the same proxy headers as every other (X-Forwarded-For, X-Request-Id)', async () => {
  const headers: http.IncomingHttpHeaders[] = [];
  const echo = http.createServer((request, response) => {
    headers.push(request.headers);
    request.resume().on('end', () => response.end('{}'));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  started.push({ stop: () => new Promise<void>((resolve) => echo.close(() => resolve())) });
  const nginx = await nginxFor([(echo.address() as AddressInfo).port]);
  for (const [method, where] of [
    ['PUT', '/api/platform-settings'],
    ['GET', '/api/platform-settings/history'],
    ['POST', '/api/platform-settings/rollback/1'],
    ['PUT', '/api/home-page'],
    ['GET', '/api/home-page'],
  ]) {
    headers.length = 0;
    expect(
      (await send(`${nginx.url}${where}`, method, method === 'GET' ? undefined : '{}')).status
    ).toBe(200);
    expect({ method, where, ...headers[0] }).toMatchObject({
      method,
      where,
      host: new URL(nginx.url).host,
      'x-forwarded-for': '127.0.0.1',
      'x-request-id': expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  }
});
