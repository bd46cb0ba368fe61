#!/usr/bin/env node
// `npm run bench`: the settings API in the configuration people deploy
// (production mode, JSON request logs written to a file, metrics on), measured
// with autocannon on loopback against a bare node:http server sending the same
// bytes — the baseline, in its own process, alternated with the API in the same
// run (BENCH_ROUNDS rounds; the ratio is the median of the rounds' ratios). The
// same for the home page's public GET (`GET /api/home-page`, a versioned type of
// the app, on the same fast path), against a baseline sending its body.
// Then: 304s, PUTs by 10 concurrent writers, a history page at 10,000 versions,
// verify of 10,000 versions (time, longest event-loop stall), and — with nginx
// and PostgreSQL — the GET through `npm run stack`'s nginx (cache HIT and MISS).
//   BENCH_DATABASES (sqlite,postgres)  BENCH_DURATION (s, 5)  BENCH_ROUNDS (3)
//   BENCH_CONNECTIONS (50)  BENCH_WRITE_CONNECTIONS (10)  BENCH_STACK (1; 0 skips nginx)
//   BENCH_LOG_FORMAT (json; pretty measures without per-request log lines)
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import knex from 'knex';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { freePort } = require('./lib/free-port.cjs');
const { ROOT, productionSecrets, startStrapi } = require('./lib/launcher.cjs');
const { missingTools, startStack } = require('./lib/stack.cjs');

const duration = Number(process.env.BENCH_DURATION ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const writeConnections = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 10);
const HISTORY_ROWS = 10_000;
// Fresh random values for every secret production requires (never a development default).
const secrets = productionSecrets();
const founderKey = secrets.FOUNDER_KEY;
const signingKey = secrets.HISTORY_SIGNING_KEY;
const postgresAdmin =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const logDir = path.join(ROOT, '.tmp', 'bench');
const GOALS = { ratio: 0.5, getP99: 10, putP99: 50, historyP99: 20, verifyStallMs: 50 };

const run = (command, args, env = {}) => {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const reachable = async (url) => {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
};

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const load = (options) =>
  new Promise((resolve, reject) => {
    autocannon({ duration, connections, ...options }, (error, result) =>
      error ? reject(error) : resolve(result)
    );
  });

const startBaseline = async (body) => {
  const port = await freePort();
  const child = fork(path.join(ROOT, 'scripts/bench/baseline-server.cjs'), {
    env: { ...process.env, BENCH_BODY: body, BENCH_PORT: String(port) },
  });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
};

const productionEnv = (database) => ({
  ...database.env,
  NODE_ENV: 'production',
  ...secrets,
  // BENCH_LOG_FORMAT=pretty: what the request log lines cost (pretty logs have none per request).
  LOG_FORMAT: process.env.BENCH_LOG_FORMAT ?? 'json',
});

/** A fresh database; `drop()` removes it. */
const prepareDatabase = async (client) => {
  if (client === 'sqlite') {
    const file = path.join(os.tmpdir(), `bench-${process.pid}.db`);
    const drop = async () => {
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
    };
    await drop();
    return {
      client,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
      connect: () =>
        knex({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true }),
      drop,
    };
  }
  const name = `ps_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresAdmin });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdmin);
  url.pathname = `/${name}`;
  return {
    client,
    url: url.toString(),
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    connect: () => knex({ client: 'pg', connection: url.toString() }),
    drop: async () => {
      const again = new pg.Client({ connectionString: postgresAdmin });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
};

/** Versions 2..10,001, signed into a valid chain as the server would have, live row and head moved. */
const seedHistory = async (database) => {
  const { chain } = await import('./lib/chain.mjs');
  const db = database.connect();
  try {
    const keys = chain.keyRingOf(signingKey);
    const first = chain.rowFromDb(await db(chain.HISTORY_TABLE).where({ version: 1 }).first());
    let mac = first.hash;
    const rows = [];
    for (let version = 2; version <= HISTORY_ROWS + 1; version += 1) {
      const row = {
        ...first,
        version,
        changeType: 'update',
        data: { ...first.data, heroTitle: `Bench ${version}` },
        changedFields: ['heroTitle'],
        author: { kind: 'system' },
        note: null,
        createdAt: new Date().toISOString(),
        signedWith: keys.current.id,
      };
      mac = row.hash = chain.rowMac(keys.current.secret, mac, row);
      rows.push(chain.rowToDb(row));
    }
    await db.batchInsert(chain.HISTORY_TABLE, rows, 500);
    await db(chain.SETTINGS_TABLE).update({
      version: HISTORY_ROWS + 1,
      hero_title: `Bench ${HISTORY_ROWS + 1}`,
    });
    const head = await chain.readHead(db);
    // The head is signed (version, MAC, key, events): a head moved without a new signature is
    // what verify reports as tampering, and every later write is refused.
    await chain.writeHead(
      db,
      chain.signHead(keys.current, { ...head, version: HISTORY_ROWS + 1, mac })
    );
  } finally {
    await db.destroy();
  }
};

const eventLoopStallMs = async (url) => {
  const text = await (
    await fetch(`${url}/metrics`, {
      headers: { authorization: `Bearer ${secrets.METRICS_TOKEN}` },
    })
  ).text();
  return Number(/^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(text)?.[1] ?? NaN) * 1000;
};

const row = (scenario, result, extra = {}) => ({
  scenario,
  'req/s': Math.round(result.requests.average),
  'p50 ms': result.latency.p50,
  'p99 ms': result.latency.p99,
  // Answers of 400 and above, and socket errors or timeouts (a 304 is what (c) asks for).
  errors:
    Object.entries(result.statusCodeStats ?? {})
      .filter(([code]) => Number(code) >= 400)
      .reduce((sum, [, stats]) => sum + stats.count, 0) +
    result.errors +
    result.timeouts,
  ...extra,
});

const pick = (results) =>
  results.find((r) => r.requests.average === median(results.map((x) => x.requests.average)));

/**
 * A public GET against a bare node:http server sending the same bytes, alternated
 * for `rounds` rounds: the median of the rounds' ratios, and the median rounds.
 */
const versusBaseline = async (url) => {
  const first = await fetch(url);
  const body = await first.text();
  if (first.status !== 200) throw new Error(`${url} answered ${first.status}: ${body}`);
  const baseline = await startBaseline(body);
  const ratios = [];
  const bare = [];
  const gets = [];
  try {
    await load({ url, duration: 2 }); // warm-up: the fast path learns the headers
    for (let round = 0; round < rounds; round += 1) {
      const a = await load({ url: baseline.url });
      const b = await load({ url });
      bare.push(a);
      gets.push(b);
      ratios.push(b.requests.average / a.requests.average);
    }
  } finally {
    baseline.stop();
  }
  const ratio = median(ratios);
  const get = pick(gets);
  return {
    bare: pick(bare),
    get,
    ratio,
    met: ratio >= GOALS.ratio && get.latency.p99 <= GOALS.getP99 ? 'yes' : 'NO',
  };
};

const benchDatabase = async (client) => {
  const database = await prepareDatabase(client);
  const logFile = path.join(logDir, `${client}.log`);
  fs.rmSync(logFile, { force: true });
  const start = () =>
    startStrapi({ env: productionEnv(database), serveAdmin: false, logFile, timeoutMs: 180_000 });
  // First boot creates the schema and version 1; then the history is seeded.
  let strapi = await start();
  await strapi.stop();
  await seedHistory(database);
  strapi = await start();
  const url = `${strapi.url}/api/platform-settings`;
  const rows = [];
  try {
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    await first.arrayBuffer();
    const settings = await versusBaseline(url);
    rows.push(row('(a) bare node:http, same body', settings.bare));
    rows.push(
      row('(b) GET /api/platform-settings', settings.get, {
        ratio: settings.ratio.toFixed(2),
        goal: `≥ ${GOALS.ratio}×, p99 ≤ ${GOALS.getP99} ms`,
        met: settings.met,
      })
    );
    const home = await versusBaseline(`${strapi.url}/api/home-page`);
    rows.push(row('(a2) bare node:http, the home page body', home.bare));
    rows.push(
      row('(b2) GET /api/home-page', home.get, {
        ratio: home.ratio.toFixed(2),
        goal: `≥ ${GOALS.ratio}×, p99 ≤ ${GOALS.getP99} ms`,
        met: home.met,
      })
    );
    rows.push(
      row(
        '(c) GET with If-None-Match (304)',
        await load({ url, headers: { 'if-none-match': etag } })
      )
    );
    let counter = 0;
    const put = await load({
      url,
      connections: writeConnections,
      requests: [
        {
          method: 'PUT',
          headers: { 'content-type': 'application/json', 'x-founder-key': founderKey },
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ data: { heroTitle: `Bench write ${(counter += 1)}` } }),
          }),
        },
      ],
    });
    rows.push(
      row(`(d) PUT, ${writeConnections} writers, each a version`, put, {
        goal: `p99 ≤ ${GOALS.putP99} ms`,
        met: put.latency.p99 <= GOALS.putP99 ? 'yes' : 'NO',
      })
    );
    const history = await load({
      url: `${url}/history/versions?page=1&pageSize=25`,
      connections: writeConnections,
      headers: { 'x-founder-key': founderKey },
    });
    rows.push(
      row(`(e) history page at ${HISTORY_ROWS.toLocaleString('en')} versions`, history, {
        goal: `p99 ≤ ${GOALS.historyP99} ms`,
        met: history.latency.p99 <= GOALS.historyP99 ? 'yes' : 'NO',
      })
    );
    // Verify: how long it takes, and the longest the event loop stalled meanwhile.
    const times = [];
    let stall = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await eventLoopStallMs(strapi.url);
      const started = performance.now();
      const res = await fetch(`${url}/history/verify`, {
        headers: { 'x-founder-key': founderKey },
      });
      const report = await res.json();
      times.push(performance.now() - started);
      stall = Math.max(stall, await eventLoopStallMs(strapi.url));
      if (!report.data.ok) throw new Error(`verify failed: ${JSON.stringify(report.data)}`);
    }
    rows.push({
      scenario: `(f) verify ${(HISTORY_ROWS + counter).toLocaleString('en')} versions`,
      'req/s': '',
      'p50 ms': Math.round(median(times)),
      'p99 ms': Math.round(Math.max(...times)),
      errors: 0,
      goal: `longest stall ≤ ${GOALS.verifyStallMs} ms`,
      met: `${stall.toFixed(0)} ms ${stall <= GOALS.verifyStallMs ? 'yes' : 'NO'}`,
    });
  } finally {
    await strapi.stop();
    await database.drop();
  }
  const lines = fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"http.request"')).length;
  console.log(
    `  request log lines written to ${path.relative(ROOT, logFile)}: ${lines.toLocaleString('en')}`
  );
  return rows;
};

const benchThroughNginx = async () => {
  const database = await prepareDatabase('postgres');
  const stack = await startStack({
    dir: path.join(logDir, 'stack'),
    databaseUrl: database.url,
    serveAdmin: false,
    webRoot: path.join(ROOT, 'web'),
  });
  try {
    const url = `${stack.url}/api/platform-settings`;
    await fetch(url);
    // autocannon ignores nginx's `Connection: close` after `keepalive_requests` (1000) and
    // would count the next request on that socket as an error: reconnect before then.
    const hit = await load({ url, reconnectRate: 500 });
    const miss = await load({ url, reconnectRate: 500, headers: { 'x-settings-refresh': '1' } });
    const homeUrl = `${stack.url}/api/home-page`;
    await fetch(homeUrl);
    const homeHit = await load({ url: homeUrl, reconnectRate: 500 });
    return [
      row('(g) GET through nginx, cache HIT', hit),
      row('(h) GET through nginx, cache MISS (2 instances)', miss),
      row('(g2) GET /api/home-page through nginx, cache HIT', homeHit),
    ];
  } finally {
    await stack.stop();
    await database.drop();
  }
};

console.log('Building the plugin and the host app…');
run('npm', ['run', 'build', '-w', 'cms']);
run('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', 'dist']);
fs.mkdirSync(logDir, { recursive: true });

const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
console.log(
  `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}; ${rounds} rounds of ${duration} s, ${connections} connections for reads, ${writeConnections} for writes; production mode, JSON request logs to a file`
);
const hasPostgres = await reachable(postgresAdmin);
for (const client of wanted) {
  if (client === 'postgres' && !hasPostgres) {
    console.log(`\npostgres: not reachable at ${new URL(postgresAdmin).host}, skipped`);
    continue;
  }
  console.log(`\n${client}`);
  console.table(await benchDatabase(client));
}
if (process.env.BENCH_STACK !== '0') {
  const missing = missingTools();
  if (missing || !hasPostgres) {
    console.log(`\nthrough nginx: skipped (${missing ?? 'PostgreSQL is not reachable'})`);
  } else {
    console.log('\nthrough nginx (npm run stack), PostgreSQL');
    console.table(await benchThroughNginx());
  }
}
