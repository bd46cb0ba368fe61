/**
 * The launch rehearsal: the topology users deploy — real nginx in front as
 * reverse proxy and shared cache, two CMS instances in production mode, one
 * PostgreSQL — and the five things that must hold there: guessing is limited
 * per client across instances, a change reaches every cached copy within a
 * second (the settings', and the home page's after Strapi's own PUT with an
 * API token), a rolling restart loses nothing, a database outage keeps the
 * site up, and a spike causes no errors. Figures go to the test output and to
 * test-artifacts/stack/figures.json.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { startStack, type Stack } from '../../scripts/lib/stack.cjs';
import { openStream } from '../helpers/event-stream';
import {
  createPostgresDatabase,
  POSTGRES_ADMIN_URL,
  ROOT,
  type TestDatabase,
} from '../helpers/database';

jest.setTimeout(600_000);

const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'stack');
const figures: Record<string, unknown> = {};
let database: TestDatabase;
let stack: Stack;
let webRoot: string;

const record = (scenario: string, values: Record<string, unknown>) => {
  figures[scenario] = values;
  console.log(`${scenario}: ${JSON.stringify(values)}`);
};

beforeAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // The site's files are not under test here: a stand-in web root.
  webRoot = path.join(ROOT, '.tmp', 'stack-test-web');
  fs.mkdirSync(path.join(webRoot, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>site</title>');
  fs.writeFileSync(path.join(webRoot, 'assets', 'app-0123abcd.js'), 'console.log(1);');
  database = await createPostgresDatabase();
  stack = await startStack({
    dir: path.join(ROOT, '.tmp', 'stack-test'),
    databaseUrl: database.location,
    serveAdmin: false,
    webRoot,
    corsOrigins: ['https://one.example', 'https://two.example'],
  });
}, 300_000);

afterAll(async () => {
  fs.writeFileSync(path.join(ARTIFACTS, 'figures.json'), JSON.stringify(figures, null, 2));
  await stack?.stop();
  await database?.drop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request through nginx from a chosen loopback address (a distinct client to nginx). */
const request = (
  pathname: string,
  {
    method = 'GET',
    headers = {},
    body,
    from = '127.0.0.1',
  }: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    from?: string;
  } = {}
) =>
  new Promise<Answer>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${stack.url}${pathname}`,
      {
        method,
        localAddress: from,
        agent: false,
        headers: {
          ...(payload
            ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
            : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
      }
    );
    req.on('error', reject);
    req.end(payload);
  });

const founder = () => ({ 'X-Founder-Key': stack.env.FOUNDER_KEY });
const put = (data: Record<string, unknown>, from?: string) =>
  request('/api/platform-settings', { method: 'PUT', headers: founder(), body: { data }, from });
const json = (answer: Answer) => {
  try {
    return JSON.parse(answer.body);
  } catch {
    return { notJson: answer.body.slice(0, 200) };
  }
};

/** Sum of a counter on every instance, read from each one's /metrics directly (as Prometheus would, with the token). */
const counterByInstance = async (name: string, labels: string) =>
  Promise.all(
    stack.instances.map(async (instance) => {
      const text = await (
        await fetch(`${instance.url}/metrics`, {
          headers: { Authorization: `Bearer ${stack.env.METRICS_TOKEN}` },
        })
      ).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
      return line ? Number(line.split(' ').pop()) : 0;
    })
  );

/** Reads through nginx that reach the instances: a refresh from the CMS hosts bypasses the cache. */
const REACH_INSTANCES = { 'X-Settings-Refresh': '1' };

/** A load that runs for `duration` seconds, or until stopped; resolves with autocannon's result. */
const startLoad = (options: autocannon.Options) => {
  let instance!: autocannon.Instance;
  const result = new Promise<autocannon.Result>((resolve, reject) => {
    // autocannon ignores `Connection: close` and writes its next request on the closing
    // socket, which nginx sends after `keepalive_requests` (1000) on one connection: that
    // shows as a socket error no browser would see. Reconnecting sooner keeps clear of it.
    instance = autocannon({ reconnectRate: 500, ...options }, (error, outcome) =>
      error ? reject(error) : resolve(outcome)
    );
  });
  return {
    result,
    stop: () => {
      instance.stop();
      return result;
    },
  };
};

const historyVersions = async () => {
  const client = new Client({ connectionString: database.location });
  await client.connect();
  try {
    const { rows } = await client.query(
      'select version, data from platform_settings_history order by version'
    );
    return rows.map((row) => ({ version: Number(row.version), data: row.data }));
  } finally {
    await client.end();
  }
};

const verify = async () =>
  json(await request('/api/platform-settings/history/verify', { headers: founder() })).data;

it('1. guessing: one client is limited, others are not, a spoofed X-Forwarded-For is not believed, across both instances', async () => {
  const guesser = '127.0.0.2';
  const founderClient = '127.0.0.3';
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 10; attempt += 1) {
    statuses.push(
      (
        await request('/api/platform-settings/history/versions', {
          headers: { 'X-Founder-Key': `guess-${attempt}` },
          from: guesser,
        })
      ).status
    );
  }
  expect(statuses).toEqual(Array(10).fill(403));
  const failures = await counterByInstance('founder_key_auth_failures_total', 'reason="wrong"');
  // nginx spread the guesses over both instances, and the budget is shared all the same.
  expect(failures.every((count) => count > 0)).toBe(true);
  expect(failures.reduce((a, b) => a + b, 0)).toBe(10);

  const limited = await request('/api/platform-settings/history/versions', {
    headers: { 'X-Founder-Key': 'guess-11' },
    from: guesser,
  });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  // More wrong keys from that client, on either instance: 429, never judged.
  for (let attempt = 0; attempt < 4; attempt += 1) {
    expect(
      (
        await request('/api/platform-settings/history/versions', {
          headers: { 'X-Founder-Key': `more-${attempt}` },
          from: guesser,
        })
      ).status
    ).toBe(429);
  }
  // But the right key from the guesser's address (a shared NAT) is accepted, on either instance.
  for (let attempt = 0; attempt < 4; attempt += 1) {
    expect(
      (
        await request('/api/platform-settings/history/versions', {
          headers: founder(),
          from: guesser,
        })
      ).status
    ).toBe(200);
  }
  // Claiming to be someone else does not help: nginx appends the address it saw.
  expect(
    (
      await request('/api/platform-settings/history/versions', {
        headers: { 'X-Founder-Key': 'guess-12', 'X-Forwarded-For': founderClient },
        from: guesser,
      })
    ).status
  ).toBe(429);
  // The founder, from another address, switches on maintenance mode during the incident.
  const maintenance = await put({ maintenanceMode: true }, founderClient);
  expect(maintenance.status).toBe(200);
  // And a client claiming the guesser's address is not charged with its failures.
  expect(
    (
      await request('/api/platform-settings/history/versions', {
        headers: { 'X-Founder-Key': 'typo', 'X-Forwarded-For': guesser },
        from: '127.0.0.4',
      })
    ).status
  ).toBe(403);
  record('guessing', {
    wrongKeysBeforeLimit: 10,
    failuresCountedByInstance: failures,
    guesserWithRightKey: 200,
    otherClientWithRightKey: 200,
  });
  await put({ maintenanceMode: false }, founderClient);
});

it('2. cache and purge: a HIT at nginx, and after a PUT the new version within 1 s for every Origin', async () => {
  const variants: Array<[string, Record<string, string>]> = [
    ['no Origin', {}],
    ['https://one.example', { Origin: 'https://one.example' }],
    ['https://two.example', { Origin: 'https://two.example' }],
  ];
  for (const [, headers] of variants) {
    await request('/api/platform-settings', { headers });
    const second = await request('/api/platform-settings', { headers });
    expect(second.headers['x-cache-status']).toBe('HIT');
  }
  const committed = json(await put({ heroTitle: 'Through the cache' })).data.version;
  const delays: Record<string, number> = {};
  const started = Date.now();
  for (const [name, headers] of variants) {
    for (;;) {
      const answer = await request('/api/platform-settings', { headers });
      if (json(answer).data.version === committed) {
        delays[name] = Date.now() - started;
        expect(json(answer).data.heroTitle).toBe('Through the cache');
        if (headers.Origin)
          expect(answer.headers['access-control-allow-origin']).toBe(headers.Origin);
        // Strapi sends an empty one without an Origin; either way no other site may read it.
        else expect(answer.headers['access-control-allow-origin'] || undefined).toBeUndefined();
        break;
      }
      if (Date.now() - started > 1000)
        throw new Error(`${name} still served the old version after 1 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  // Served from the cache again, with the new version.
  expect((await request('/api/platform-settings')).headers['x-cache-status']).toBe('HIT');
  record('cache and purge', { newVersionSeenAfterMs: delays });
});

it('2b. live settings through nginx: an event stream gets a change within 1 s, unbuffered', async () => {
  const stream = await openStream(stack.url, { Origin: 'https://one.example' });
  try {
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers['access-control-allow-origin']).toBe('https://one.example');
    if (stream.events.length === 0) await stream.next();
    const next = stream.next(1000);
    const started = Date.now();
    const version = json(await put({ heroTitle: 'Streamed through nginx' })).data.version;
    const event = await next;
    // `<version>.<epoch>`: the epoch tells a restored timeline's same version apart.
    expect(event.id).toMatch(new RegExp(`^${version}\\.[0-9a-f]{12}$`));
    record('live settings through nginx', { eventAfterMs: Date.now() - started });
  } finally {
    stream.close();
  }
});

/**
 * An API token for Strapi's own routes, made the way an operator makes one: the first
 * admin registers through nginx (the stack's database is fresh), then creates a
 * full-access token with the admin API.
 */
const apiToken = async () => {
  const registered = await request('/admin/register-admin', {
    method: 'POST',
    body: {
      email: 'operator@example.com',
      firstname: 'Ops',
      lastname: 'Operator',
      password: 'Stack-password-1',
    },
  });
  expect(registered.status).toBe(200);
  const created = await request('/admin/api-tokens', {
    method: 'POST',
    headers: { Authorization: `Bearer ${json(registered).data.token}` },
    body: { name: 'Stack rehearsal', type: 'full-access', lifespan: null },
  });
  expect(created.status).toBe(201);
  return json(created).data.accessKey as string;
};

it('2c. the home page: a HIT at nginx, and after a PUT with an API token the new version within 1 s for every Origin', async () => {
  const variants: Array<[string, Record<string, string>]> = [
    ['no Origin', {}],
    ['https://one.example', { Origin: 'https://one.example' }],
    ['https://two.example', { Origin: 'https://two.example' }],
  ];
  for (const [, headers] of variants) {
    await request('/api/home-page', { headers });
    const second = await request('/api/home-page', { headers });
    expect(second.status).toBe(200);
    expect(second.headers['x-cache-status']).toBe('HIT');
    expect(second.headers['cache-control']).toBe(
      'public, max-age=30, s-maxage=30, stale-while-revalidate=30, stale-if-error=86400'
    );
    // A browser revalidating its copy gets a 304 from the cache.
    const revalidated = await request('/api/home-page', {
      headers: { ...headers, 'If-None-Match': second.headers.etag! },
    });
    expect(revalidated.status).toBe(304);
  }
  const before = json(await request('/api/home-page')).data.version;

  const token = await apiToken();
  const heading = `Through the cache ${Date.now()}`;
  const written = await request('/api/home-page', {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}` },
    body: { data: { closingCta: { heading, label: 'Start', url: '/start' } } },
  });
  expect(written.status).toBe(200);
  const committed = json(written).data.version;
  expect(committed).toBe(before + 1);

  const delays: Record<string, number> = {};
  const started = Date.now();
  for (const [name, headers] of variants) {
    for (;;) {
      const answer = await request('/api/home-page', { headers });
      if (json(answer).data.version === committed) {
        delays[name] = Date.now() - started;
        expect(json(answer).data.closingCta.heading).toBe(heading);
        expect(answer.headers['x-version']).toBe(String(committed));
        if (headers.Origin)
          expect(answer.headers['access-control-allow-origin']).toBe(headers.Origin);
        else expect(answer.headers['access-control-allow-origin'] || undefined).toBeUndefined();
        break;
      }
      if (Date.now() - started > 1000)
        throw new Error(`${name} still served home page version ${before} after 1 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  // Served from the cache again, with the new version.
  const again = await request('/api/home-page');
  expect(again.headers['x-cache-status']).toBe('HIT');
  expect(json(again).data.version).toBe(committed);
  // A read with the token is its own: neither served from nor stored in the shared copy.
  const credentialed = await request('/api/home-page', {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(credentialed.headers['x-cache-status']).toBe('BYPASS');
  record('home page cache and purge', { newVersionSeenAfterMs: delays });
});

it('3. rolling restart under load: 0 failed requests, contiguous versions, every acknowledged write kept', async () => {
  const before = json(await request('/api/platform-settings')).data.version;
  const acknowledged: Array<{ status: number; version?: number; title: string; answer?: string }> =
    [];
  let writing = true;
  let counter = 0;
  const writer = (async () => {
    while (writing) {
      const title = `Rolling ${(counter += 1)}`;
      const answer = await put({ heroTitle: title }).catch(
        () => ({ status: 0, body: '{}' }) as Answer
      );
      acknowledged.push({
        status: answer.status,
        version: json(answer).data?.version,
        title,
        ...(answer.status === 200 ? {} : { answer: answer.body.slice(0, 300) }),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const reads = startLoad({
    url: `${stack.url}/api/platform-settings`,
    connections: 20,
    duration: 600,
    headers: REACH_INSTANCES,
  });
  const timings: Record<string, number | string> = {};
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const instance of stack.instances) {
    const started = Date.now();
    const exit = await instance.stop();
    timings[`${instance.name} stopped after ms`] = Date.now() - started;
    timings[`${instance.name} exit`] = JSON.stringify(exit) as never;
    await instance.start();
    const ready = await fetch(`${instance.url}/api/platform-settings/health`);
    expect(ready.status).toBe(200);
    timings[`${instance.name} back after ms`] = Date.now() - started;
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const result = await reads.stop();
  writing = false;
  await writer;

  expect({ non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }).toEqual({
    non2xx: 0,
    errors: 0,
    timeouts: 0,
  });
  expect(acknowledged.filter((write) => write.status !== 200)).toEqual([]);
  const history = await historyVersions();
  expect(history.map((row) => row.version)).toEqual(
    Array.from({ length: history.length }, (_, index) => index + 1)
  );
  for (const write of acknowledged) {
    expect(history[write.version! - 1].data.heroTitle).toBe(write.title);
  }
  expect(await verify()).toMatchObject({ ok: true, versions: history.length });
  record('rolling restart', {
    reads: result.requests.total,
    readsPerSecond: Math.round(result.requests.average),
    readP99Ms: result.latency.p99,
    failedReads: result.non2xx + result.errors + result.timeouts,
    writes: acknowledged.length,
    failedWrites: acknowledged.filter((write) => write.status !== 200).length,
    versions: `${before + 1}…${history.length}`,
    ...timings,
  });
});

const admin = async (sql: string, params: unknown[] = []) => {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql, params);
  } finally {
    await client.end();
  }
};

it('4. database outage under load: 0 failed reads (flagged stale), writes 503, instances stay in rotation, recovery without restarts', async () => {
  const name = new URL(database.location).pathname.slice(1);
  const before = json(await request('/api/platform-settings')).data.version;
  // An instance answers the home page from memory once it has served it since its start
  // (the first answer comes through Strapi, which needs the database); restarted above.
  for (const instance of stack.instances) {
    expect((await fetch(`${instance.url}/api/home-page`)).status).toBe(200);
  }
  const reads = startLoad({
    url: `${stack.url}/api/platform-settings`,
    connections: 20,
    duration: 600,
    headers: REACH_INSTANCES,
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await admin(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS false`);
  await admin(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [name]
  );
  const outageStarted = Date.now();
  try {
    // Every instance notices (readiness pings the database) and stays ready, serving stale.
    for (const instance of stack.instances) {
      const readiness = await (await fetch(`${instance.url}/api/platform-settings/health`)).json();
      expect(readiness).toMatchObject({
        status: 'ready',
        checks: { database: 'down', settings: 'stale' },
      });
    }
    const stale = await request('/api/platform-settings', { headers: REACH_INSTANCES });
    expect(stale.status).toBe(200);
    expect(stale.headers['x-settings-stale']).toBe('true');
    // The home page too, from the cache and from the instances' memory.
    expect((await request('/api/home-page')).status).toBe(200);
    expect((await request('/api/home-page', { headers: REACH_INSTANCES })).status).toBe(200);
    const refused = await put({ heroTitle: 'During the outage' });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    await admin(`ALTER DATABASE "${name}" WITH ALLOW_CONNECTIONS true`);
  }
  const outageMs = Date.now() - outageStarted;
  // Recovered without restarts: fresh again, and the next write is the next version.
  const deadline = Date.now() + 15_000;
  for (const instance of stack.instances) {
    for (;;) {
      const readiness = await (await fetch(`${instance.url}/api/platform-settings/health`)).json();
      if (readiness.checks.settings === 'fresh') break;
      if (Date.now() > deadline) throw new Error(`${instance.name} did not recover`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  const recoveredAfterMs = Date.now() - outageStarted - outageMs;
  const after = await put({ heroTitle: 'After the outage' });
  expect(after.status).toBe(200);
  expect(json(after).data.version).toBe(before + 1);
  const result = await reads.stop();
  expect({ non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }).toEqual({
    non2xx: 0,
    errors: 0,
    timeouts: 0,
  });
  record('database outage', {
    outageMs,
    recoveredAfterMs,
    reads: result.requests.total,
    failedReads: result.non2xx + result.errors + result.timeouts,
    readP99Ms: result.latency.p99,
    writeDuringOutage: 503,
    nextVersion: before + 1,
  });
});

it('5. spike: 500 connections for 10 s through nginx, no 5xx', async () => {
  const cached = await startLoad({
    url: `${stack.url}/api/platform-settings`,
    connections: 500,
    duration: 10,
  }).result;
  const reaching = await startLoad({
    url: `${stack.url}/api/platform-settings`,
    connections: 500,
    duration: 10,
    headers: REACH_INSTANCES,
  }).result;
  const summary = (result: autocannon.Result) => ({
    requests: result.requests.total,
    perSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    '5xx': result['5xx'],
    errors: result.errors + result.timeouts,
  });
  record('spike, cache HIT', summary(cached));
  record('spike, reaching the instances', summary(reaching));
  for (const result of [cached, reaching]) {
    expect(result['5xx']).toBe(0);
    expect(result.errors + result.timeouts).toBe(0);
  }
});
