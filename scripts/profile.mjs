#!/usr/bin/env node
// `npm run profile`: where the time goes on the GET and the PUT, in the
// configuration `npm run bench` measures (production mode, JSON request logs
// to a file, metrics on, SQLite). Each workload runs against a fresh process
// started with `node --cpu-prof`; the profile is written when the process
// exits and summarised here as the top frames by self time.
//   PROFILE_DURATION (s, 10)  PROFILE_TOP (15)
// The raw .cpuprofile files stay in .tmp/profile/ (open them in Chrome DevTools).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
const { ROOT, productionSecrets, startStrapi } = require('./lib/launcher.cjs');

const duration = Number(process.env.PROFILE_DURATION ?? 10);
const top = Number(process.env.PROFILE_TOP ?? 15);
const outDir = path.join(ROOT, '.tmp', 'profile');
// Fresh random values for every secret production requires (never a development default).
const secrets = productionSecrets();
const founderKey = secrets.FOUNDER_KEY;

const WORKLOADS = {
  get: { connections: 50, method: 'GET' },
  put: {
    connections: 10,
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'x-founder-key': founderKey },
    // Each request a new value, so each is a new version.
    setupClient: (client) => {
      let n = 0;
      client.setBody(JSON.stringify({ data: { heroTitle: `Profile ${(n += 1)}` } }));
      client.on('response', () =>
        client.setBody(JSON.stringify({ data: { heroTitle: `Profile ${(n += 1)}` } }))
      );
    },
  },
};

const put = WORKLOADS.put;
// The history page, read by 10 editors, with the history the PUT load leaves behind.
WORKLOADS.history = {
  connections: 10,
  path: '/history/versions?page=1&pageSize=25',
  headers: { 'x-founder-key': founderKey },
  seed: put,
};

const load = (options) =>
  new Promise((resolve, reject) =>
    autocannon({ duration, ...options }, (error, result) =>
      error ? reject(error) : resolve(result)
    )
  );

/** Now on the monotonic clock V8's profiles use (µs), which every process on the machine shares. */
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per frame (function, file, line), in ms, from a V8 .cpuprofile —
 * only the samples taken between `from` and `to` (µs), so the boot is left out.
 */
const summarise = (profile, from, to) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (at < from || at > to) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const frames = new Map();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id);
    const file = callFrame.url
      ? callFrame.url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '')
      : '(native)';
    const key = `${callFrame.functionName || '(anonymous)'}  ${file}:${callFrame.lineNumber + 1}`;
    frames.set(key, (frames.get(key) ?? 0) + us);
    total += us;
  }
  return [...frames]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, us]) => ({
      'self %': Number(((us / total) * 100).toFixed(1)),
      'self ms': Math.round(us / 1000),
      frame,
    }));
};

const profileWorkload = async (name) => {
  const dir = path.join(outDir, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const database = path.join(dir, 'data.db');
  const strapi = await startStrapi({
    env: {
      NODE_ENV: 'production',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: database,
      ...secrets,
      STRAPI_TELEMETRY_DISABLED: 'true',
    },
    serveAdmin: false,
    logFile: path.join(dir, 'server.log'),
    timeoutMs: 180_000,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  const { setupClient, seed, path: subPath = '', ...options } = WORKLOADS[name];
  const base = `${strapi.url}/api/platform-settings`;
  const url = `${base}${subPath}`;
  let result;
  let from;
  let to;
  try {
    if (seed) {
      const { setupClient: seedClient, ...seedOptions } = seed;
      await load({ url: base, ...seedOptions, setupClient: seedClient });
    }
    await load({ url, ...options, setupClient, duration: 2 }); // warm-up
    from = nowUs();
    result = await load({ url, ...options, setupClient });
    to = nowUs();
  } finally {
    await strapi.stop();
  }
  const file = fs.readdirSync(dir).find((entry) => entry.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  console.log(
    `\n${name.toUpperCase()}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ` +
      `${result.non2xx + result.errors} errors — top frames by self time (${path.join(dir, file)}):`
  );
  console.table(summarise(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), from, to));
};

const only = process.argv[2];
for (const name of Object.keys(WORKLOADS)) {
  if (!only || only === name) await profileWorkload(name);
}
