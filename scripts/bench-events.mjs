#!/usr/bin/env node
// `npm run bench:events`: live settings at scale on one instance. Opens BENCH_SUBSCRIBERS
// (10,000) event streams from another process (scripts/bench/sse-clients.mjs) over loopback,
// from as many 127.1.x.y source addresses as the per-address cap (32) needs, then:
//   - commits BENCH_EVENTS_ROUNDS (5) versions by PUT and measures, per subscriber, the time from
//     sending the PUT (the commit is inside it, so this overstates) to the event's arrival:
//     p50/p99/max against the goal (p99 ≤ 1 s), and the instance's CPU during each fan-out;
//   - the instance's RSS before and with the streams open (per 1,000 streams);
//   - the GET's throughput (autocannon, 50 connections) without streams and with them all open;
//   - one stream over the cap: 503 with Retry-After.
// Production mode, SQLite, JSON request logs to a file (.tmp/bench-events). A benchmark, not a
// test: the figures go into the README.
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
const { ROOT, productionSecrets, startStrapi } = require('./lib/launcher.cjs');

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_EVENTS_ROUNDS ?? 5);
const PER_ADDRESS = 32; // the instance's default EVENTS_MAX_STREAMS_PER_CLIENT
const GET_SECONDS = 5;
const GOAL_P99_MS = 1000;
const DEADLINE_MS = 30_000;
const logDir = path.join(ROOT, '.tmp', 'bench-events');
// Fresh random values for every secret production requires (never a development default).
const secrets = productionSecrets();
const founderKey = secrets.FOUNDER_KEY;

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)];
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

/** The instance's resident memory (bytes) and CPU time used so far (ms), from /proc. */
const processStats = (pid) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return { rss, cpuMs: (ticks * 1000) / 100 };
};

const getThroughput = (url) =>
  new Promise((resolve, reject) =>
    autocannon({ url, duration: GET_SECONDS, connections: 50 }, (error, result) =>
      error ? reject(error) : resolve(result)
    )
  );

/** Talks to the subscribers' process: send a message, await the reply of `type`. */
const clientsProcess = () => {
  const child = fork(path.join(ROOT, 'scripts/bench/sse-clients.mjs'), {
    stdio: 'inherit',
    execArgv: ['--max-old-space-size=2048'],
  });
  const ask = (message, type) =>
    new Promise((resolve) => {
      const onMessage = (reply) => {
        if (reply.type !== type) return;
        child.off('message', onMessage);
        resolve(reply);
      };
      child.on('message', onMessage);
      child.send(message);
    });
  return { child, ask };
};

console.log('Building the plugin and the host app…');
run('npm', ['run', 'build', '-w', 'cms']);
run('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', 'dist']);
fs.mkdirSync(logDir, { recursive: true });
const dbFile = path.join(os.tmpdir(), `bench-events-${process.pid}.db`);
const removeDatabase = () => {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
};

const app = await startStrapi({
  env: {
    NODE_ENV: 'production',
    DATABASE_CLIENT: 'sqlite',
    DATABASE_FILENAME: dbFile,
    ...secrets,
    EVENTS_MAX_STREAMS: String(SUBSCRIBERS),
  },
  serveAdmin: false,
  logFile: path.join(logDir, 'strapi.log'),
  timeoutMs: 180_000,
});
const clients = clientsProcess();
const pid = app.child.pid;

const put = async (data) => {
  const response = await fetch(`${app.url}/api/platform-settings`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Founder-Key': founderKey },
    body: JSON.stringify({ data }),
  });
  if (response.status !== 200) throw new Error(`PUT answered ${response.status}`);
  return (await response.json()).data.version;
};

try {
  const settingsUrl = `${app.url}/api/platform-settings`;
  let version = await put({ heroTitle: 'Bench: first version' });
  await getThroughput(settingsUrl); // warm-up
  const bare = await getThroughput(settingsUrl);
  await sleep(1000);
  const before = processStats(pid);

  console.log(
    `Opening ${SUBSCRIBERS} streams from ${Math.ceil(SUBSCRIBERS / PER_ADDRESS)} source addresses…`
  );
  const opened = await clients.ask(
    {
      type: 'open',
      url: `${app.url}/api/platform-settings/events`,
      count: SUBSCRIBERS,
      perAddress: PER_ADDRESS,
      concurrency: 200,
    },
    'opened'
  );
  console.log(
    `  open ${opened.open}, refused ${opened.refused}, failed ${opened.failed} in ${(opened.ms / 1000).toFixed(1)} s`
  );
  if (opened.open !== SUBSCRIBERS) throw new Error('not every stream opened');
  await sleep(2000);
  const withStreams = processStats(pid);

  const overCap = await fetch(`${app.url}/api/platform-settings/events`);
  const overCapStatus = `${overCap.status}, Retry-After: ${overCap.headers.get('retry-after')}`;
  await overCap.body?.cancel();

  const fanOuts = [];
  const delays = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const expected = version + 1;
    const received = clients.ask({ type: 'expect', version: expected }, 'received');
    const cpuBefore = processStats(pid).cpuMs;
    const sentAt = performance.timeOrigin + performance.now();
    version = await put({ heroTitle: `Bench: round ${round}` });
    if (version !== expected) throw new Error(`expected version ${expected}, got ${version}`);
    const timer = setTimeout(
      () => clients.child.send({ type: 'report', version: expected }),
      DEADLINE_MS
    );
    const { times, partial } = await received;
    clearTimeout(timer);
    const cpuAfter = processStats(pid).cpuMs;
    const roundDelays = times.map((t) => t - sentAt).sort((a, b) => a - b);
    const lastMs = roundDelays[roundDelays.length - 1];
    delays.push(...roundDelays);
    fanOuts.push({
      round,
      received: `${times.length}/${SUBSCRIBERS}${partial ? ' (deadline)' : ''}`,
      'p50 ms': Math.round(percentile(roundDelays, 0.5)),
      'p99 ms': Math.round(percentile(roundDelays, 0.99)),
      'last ms': Math.round(lastMs),
      'instance CPU ms': Math.round(cpuAfter - cpuBefore),
      'CPU % of the fan-out': Math.round(((cpuAfter - cpuBefore) / lastMs) * 100),
    });
    await sleep(1500);
  }

  await getThroughput(settingsUrl);
  const busy = await getThroughput(settingsUrl);
  const after = processStats(pid);

  console.log(`\nFan-out of one version to ${SUBSCRIBERS} streams (PUT sent → event received)`);
  console.table(fanOuts);
  delays.sort((a, b) => a - b);
  const p99 = percentile(delays, 0.99);
  console.log(
    `All rounds: p50 ${Math.round(percentile(delays, 0.5))} ms, p99 ${Math.round(p99)} ms, ` +
      `max ${Math.round(delays[delays.length - 1])} ms — goal p99 ≤ ${GOAL_P99_MS} ms: ` +
      `${p99 <= GOAL_P99_MS ? 'met' : 'NOT met'}`
  );
  console.log(
    `\nInstance RSS: ${mb(before.rss)} MB without streams, ${mb(withStreams.rss)} MB with ` +
      `${SUBSCRIBERS} open → ${mb(((withStreams.rss - before.rss) / SUBSCRIBERS) * 1000)} MB per ` +
      `1,000 streams (${mb(after.rss)} MB after the rounds)`
  );
  console.log(`Stream over the cap: ${overCapStatus}`);
  console.log('\nGET /api/platform-settings (autocannon, 50 connections, 5 s)');
  console.table([
    { streams: 0, 'req/s': Math.round(bare.requests.average), 'p99 ms': bare.latency.p99 },
    {
      streams: SUBSCRIBERS,
      'req/s': Math.round(busy.requests.average),
      'p99 ms': busy.latency.p99,
    },
  ]);
  console.log(
    `Throughput with the streams open: ${((busy.requests.average / bare.requests.average) * 100).toFixed(0)} % of without`
  );
  console.log(`\nNode ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}`);
} finally {
  await clients.ask({ type: 'close' }, 'closed').catch(() => undefined);
  clients.child.kill();
  await app.stop();
  removeDatabase();
}
