#!/usr/bin/env node
// `npm run bench`: requests/s and latency of the settings API against a bare
// node:http server sending the same bytes, measured in one run on loopback with
// autocannon. Runs on SQLite, and on PostgreSQL when it answers on
// 127.0.0.1:5432 (BENCH_DATABASES=sqlite,postgres to choose).
// BENCH_DURATION (s, default 10) and BENCH_CONNECTIONS (default 50) tune it.
import { fork, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const duration = Number(process.env.BENCH_DURATION ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const writeConnections = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 10);
const historyRows = 10_000;
const founderKey = randomBytes(32).toString('hex');
const signingKey = randomBytes(32).toString('hex');
const postgresAdmin =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
const freePort = () =>
  new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const reachable = (url) =>
  new Promise((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const startStrapi = async (env) => {
  const port = await freePort();
  const child = fork(path.join(root, 'scripts/bench/strapi-server.cjs'), {
    cwd: root,
    // Production writes a JSON line per request to stdout; a pipe nobody reads would stall it,
    // and keeping it would cost the load generator CPU. Keep stderr for start-up errors.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      ...env,
      NODE_ENV: 'production',
      STRAPI_TELEMETRY_DISABLED: 'true',
      FOUNDER_KEY: founderKey,
      HISTORY_SIGNING_KEY: signingKey,
      HOST: '127.0.0.1',
      PORT: String(port),
    },
  });
  let output = '';
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`Strapi exited:\n${output}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // starting
    }
    if (attempt > 400) throw new Error(`Strapi did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
};

const startBaseline = async (body) => {
  const port = await freePort();
  const child = fork(path.join(root, 'scripts/bench/baseline-server.cjs'), {
    env: { ...process.env, BENCH_BODY: body, BENCH_PORT: String(port) },
  });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
};

const load = (options) =>
  new Promise((resolve, reject) => {
    autocannon({ duration, connections, ...options }, (error, result) =>
      error ? reject(error) : resolve(result)
    );
  });

/** Versions 2..10,001 written straight into the tables, with the live row moved to match. */
const seedHistory = async (database) => {
  const rows = [];
  for (let version = 2; version <= historyRows + 1; version += 1) rows.push(version);
  const historyRow = (version) => ({
    document_id: `bench-${version}`,
    version,
    change_type: 'update',
    data: JSON.stringify({ heroTitle: `Bench ${version}` }),
    changed_fields: JSON.stringify(['heroTitle']),
    author: JSON.stringify({ kind: 'system' }),
    schema_version: 1,
    hash: 'seeded',
    pinned: false,
    created_at: new Date().toISOString(),
  });
  if (database.client === 'sqlite') {
    const db = new Database(database.file);
    const insert = db.prepare(
      'insert into platform_settings_history (document_id, version, change_type, data, changed_fields, author, schema_version, hash, pinned, created_at) values (@document_id, @version, @change_type, @data, @changed_fields, @author, @schema_version, @hash, 0, @created_at)'
    );
    db.transaction(() => rows.forEach((version) => insert.run(historyRow(version))))();
    db.prepare('update platform_settings set version = ?').run(historyRows + 1);
    db.close();
    return;
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(
    `insert into platform_settings_history (document_id, version, change_type, data, changed_fields, author, schema_version, hash, pinned, created_at)
     select 'bench-' || v, v, 'update', json_build_object('heroTitle', 'Bench ' || v), '["heroTitle"]', '{"kind":"system"}', 1, 'seeded', false, now()
     from generate_series(2, $1::int) as v`,
    [historyRows + 1]
  );
  await client.query('update platform_settings set version = $1', [historyRows + 1]);
  await client.end();
};

const prepareDatabase = async (client) => {
  if (client === 'sqlite') {
    const file = path.join(os.tmpdir(), `bench-${process.pid}.db`);
    fs.rmSync(file, { force: true });
    return {
      client,
      file,
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
      drop: async () => fs.rmSync(file, { force: true }),
    };
  }
  const name = `ps_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresAdmin });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdmin);
  url.pathname = `/${name}`;
  return {
    client,
    url: url.toString(),
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    drop: async () => {
      const again = new pg.Client({ connectionString: postgresAdmin });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
};

const summarize = (name, result, extra = '') => ({
  scenario: name,
  'req/s': Math.round(result.requests.average),
  'p50 ms': result.latency.p50,
  'p99 ms': result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
  note: extra,
});

const benchDatabase = async (client) => {
  const database = await prepareDatabase(client);
  // First boot creates the schema and version 1; then the history is seeded.
  let strapi = await startStrapi(database.env);
  await strapi.stop();
  await seedHistory(database);
  strapi = await startStrapi(database.env);

  const first = await fetch(`${strapi.url}/api/platform-settings`);
  const body = await first.text();
  const etag = first.headers.get('etag');
  const baseline = await startBaseline(body);
  const rows = [];
  try {
    const bare = await load({ url: baseline.url });
    rows.push(summarize('(a) bare node:http, same body', bare));
    const get = await load({ url: `${strapi.url}/api/platform-settings` });
    rows.push(
      summarize(
        '(b) GET /api/platform-settings',
        get,
        `${((get.requests.average / bare.requests.average) * 100).toFixed(1)} % of (a)`
      )
    );
    const notModified = await load({
      url: `${strapi.url}/api/platform-settings`,
      headers: { 'if-none-match': etag },
    });
    rows.push(summarize('(c) GET with If-None-Match (304)', notModified));
    let counter = 0;
    const put = await load({
      url: `${strapi.url}/api/platform-settings`,
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
      summarize(
        `(d) PUT with the founder key (${writeConnections} conns)`,
        put,
        'each request a new version'
      )
    );
    const history = await load({
      url: `${strapi.url}/api/platform-settings/history/versions?page=1&pageSize=25`,
      connections: writeConnections,
      headers: { 'x-founder-key': founderKey },
    });
    rows.push(
      summarize(
        `(e) GET history, ${historyRows.toLocaleString('en')} rows (${writeConnections} conns)`,
        history
      )
    );
  } finally {
    baseline.stop();
    await strapi.stop();
    await database.drop();
  }
  return rows;
};

run('npx', ['tsc', '-p', 'cms/server/tsconfig.build.json']);
run('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', 'dist']);

const wanted = (process.env.BENCH_DATABASES ?? 'sqlite,postgres').split(',');
console.log(
  `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0].model}, ${duration} s per scenario, ${connections} connections for reads`
);
for (const client of wanted) {
  if (client === 'postgres' && !(await reachable(postgresAdmin))) {
    console.log(`\npostgres: not reachable at ${new URL(postgresAdmin).host}, skipped`);
    continue;
  }
  console.log(`\n${client}`);
  console.table(await benchDatabase(client));
}
