/**
 * `GET /api/platform-settings/events`: the live settings as server-sent events,
 * through a real connection. The settings on connect, every new version at once
 * (never a draft), catch-up by Last-Event-ID, CORS as for the GET, caps that
 * answer 503 so clients poll instead, slow readers dropped without buffering,
 * and every stream closed when the server stops.
 */
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { eventually, openStream, type OpenStream } from '../helpers/event-stream';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { valueOf } from '../ops/helpers/prometheus';

let app: TestApp;
let url: string;
const opened: OpenStream[] = [];

beforeAll(async () => {
  app = await bootApp({ env: { CORS_ORIGINS: 'https://site.example' } });
  await new Promise<void>((resolve) =>
    app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
  );
  url = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
});
afterEach(() => {
  opened.splice(0).forEach((stream) => stream.close());
});
afterAll(async () => {
  await app?.stop();
});

const open = async (headers: Record<string, string> = {}, options?: { read?: boolean }) => {
  const stream = await openStream(url, headers, options);
  opened.push(stream);
  return stream;
};
const put = (data: Record<string, unknown>) =>
  app.request.put('/api/platform-settings').set(founderHeaders).send({ data }).expect(200);
const metric = async (name: string, labels: Record<string, string> = {}) =>
  valueOf((await app.request.get('/metrics')).text, name, labels);
const config = (values: Record<string, number>) => {
  const current = app.strapi.config.get('plugin::platform-settings.events') as Record<
    string,
    number
  >;
  app.strapi.config.set('plugin::platform-settings.events', { ...current, ...values });
  return () => app.strapi.config.set('plugin::platform-settings.events', current);
};

it('sends the settings on connect, as the GET returns them, and is never cached or buffered', async () => {
  const get = await app.request.get('/api/platform-settings').expect(200);
  const stream = await open();
  expect(stream.status).toBe(200);
  expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(stream.headers['cache-control']).toBe('no-store');
  expect(stream.headers['x-accel-buffering']).toBe('no');
  const first = stream.events[0] ?? (await stream.next());
  expect(first).toMatchObject({ event: 'settings', data: get.text });
  // `<version>.<epoch>`: the epoch tells this timeline's version from a restored one's.
  expect(first.id).toMatch(new RegExp(`^${get.body.data.version}\\.[0-9a-f]{12}$`));
});

it('sends each new version at once — with exactly the GET’s body — and never a draft', async () => {
  const stream = await open();
  if (stream.events.length === 0) await stream.next();
  const started = Date.now();
  const next = stream.next();
  await put({ heroTitle: 'Live now' });
  const event = await next;
  expect(Date.now() - started).toBeLessThan(1000);
  const get = await app.request.get('/api/platform-settings').expect(200);
  expect(event).toMatchObject({ data: get.text });
  expect(event.id?.split('.')[0]).toBe(String(get.body.data.version));

  await app.request
    .put('/api/platform-settings?status=draft')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Not yet' } })
    .expect(200);
  await expect(stream.next(500)).rejects.toThrow(/no event/);
});

it('catches a reconnecting client up by Last-Event-ID', async () => {
  const { version } = (await app.request.get('/api/platform-settings')).body.data;
  const first = await open();
  const { id } = first.events[0] ?? (await first.next());
  const same = await open({ 'Last-Event-ID': id! });
  await eventually(() => same.comments.includes('ping'));
  expect(same.events).toEqual([]);
  // Behind, ahead (a restored database), another timeline's version, or a bare version
  // from before ids had an epoch: the full state.
  for (const lastSeen of [
    `${version - 1}.${id!.split('.')[1]}`,
    String(version + 10),
    `${version}.000000000000`,
    String(version),
  ]) {
    const behind = await open({ 'Last-Event-ID': lastSeen });
    const event = behind.events[0] ?? (await behind.next());
    expect(event.id).toBe(id);
  }
});

it('answers CORS as the GET does', async () => {
  const allowed = await open({ Origin: 'https://site.example' });
  expect(allowed.headers['access-control-allow-origin']).toBe('https://site.example');
  const foreign = await open({ Origin: 'https://evil.example' });
  expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
});

it('refuses streams over the caps with 503 and Retry-After', async () => {
  const restore = config({ maxStreams: 2 });
  try {
    await open();
    await open();
    const refused = await open();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
  } finally {
    restore();
  }
  opened.splice(0).forEach((stream) => stream.close());
  await eventually(() => app.strapi.plugin('platform-settings').service('events').open() === 0);
  const restorePerClient = config({ maxStreamsPerClient: 1 });
  try {
    await open();
    expect((await open()).status).toBe(503);
  } finally {
    restorePerClient();
  }
});

it('drops a client that does not read, instead of buffering for it', async () => {
  // A stream nobody reads: loopback sockets would absorb megabytes first, so the
  // stuck client is a writable that never drains, attached the way a response is.
  const stuck = Object.assign(new PassThrough({ highWaterMark: 256 }), {
    writeHead: () => undefined,
    socket: null,
  });
  const events = app.strapi.plugin('platform-settings').service('events');
  const restore = config({ maxPendingBytes: 4096 });
  const dropped = await metric('settings_event_streams_dropped_total', { reason: 'slow' });
  try {
    events.attach(stuck, 'stuck-client', undefined);
    let largest = 0;
    for (let index = 0; index < 20 && !stuck.destroyed; index += 1) {
      await put({ heroSubtitle: `Subtitle ${index} ${'x'.repeat(300)}` });
      largest = Math.max(largest, stuck.writableLength);
    }
    expect(stuck.destroyed).toBe(true);
    // What waited for it never grew past the limit and one more event.
    expect(largest).toBeLessThan(4096 + 2048);
    expect(await metric('settings_event_streams_dropped_total', { reason: 'slow' })).toBe(
      dropped + 1
    );
  } finally {
    restore();
  }
});

it('counts open streams and events sent', async () => {
  const sent = await metric('settings_events_sent_total');
  const stream = await open();
  if (stream.events.length === 0) await stream.next();
  expect(await metric('settings_event_streams')).toBeGreaterThanOrEqual(1);
  const next = stream.next();
  await put({ ctaLabel: 'Counted' });
  await next;
  expect(await metric('settings_events_sent_total')).toBeGreaterThan(sent);
  expect(await metric('settings_event_delivery_seconds_count')).toBeGreaterThan(0);
});

// Last: it stops the app.
it('closes every stream when the server stops', async () => {
  const streams = [await open(), await open()];
  const stopping = app;
  app = undefined as unknown as TestApp;
  await stopping.stop();
  await Promise.all(streams.map((stream) => stream.ended));
});
