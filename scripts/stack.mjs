#!/usr/bin/env node
// `npm run stack`: what a production deploy looks like, on this machine and
// without Docker — the local PostgreSQL, two CMS instances in production mode
// (built), and nginx in front as reverse proxy, shared cache of the settings and
// the home page (each refreshed by the CMS on every change of it) and web
// server. Ctrl-C stops everything it started.
//   STACK_PORT (8080)  STACK_DATABASE_URL (postgres://postgres@127.0.0.1:5432/platform_settings_stack)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { ROOT, productionSecrets } = require('./lib/launcher.cjs');
const { missingTools, startStack } = require('./lib/stack.cjs');

process.env.STRAPI_TELEMETRY_DISABLED = 'true';
const problem = missingTools();
if (problem) {
  console.error(`npm run stack: ${problem}`);
  process.exit(1);
}

const port = Number(process.env.STACK_PORT ?? 8080);
const url = `http://127.0.0.1:${port}`;
const databaseUrl =
  process.env.STACK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/platform_settings_stack';
const dir = path.join(ROOT, '.tmp', 'stack');

const run = (command, args, env = {}) => {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

/** The database, created on first use (the CMS creates its tables). */
const ensureDatabase = async () => {
  const target = new URL(databaseUrl);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(databaseUrl), { pathname: '/postgres' }).toString(),
  });
  try {
    await admin.connect();
  } catch (error) {
    console.error(
      `npm run stack: PostgreSQL is not reachable at ${target.host} (${error.message})`
    );
    process.exit(1);
  }
  const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`create database "${name}"`);
  await admin.end();
};

console.log('Building the plugin, the CMS, its admin panel and the site…');
run('npm', ['run', 'build', '-w', 'cms']);
run('npx', ['strapi', 'build'], { NODE_ENV: 'production' });
run('npm', ['run', 'build', '-w', 'web'], { VITE_API_URL: url });
await ensureDatabase();

const stack = await startStack({ dir, databaseUrl, port, instances: 2 });
const secrets = path.join(dir, 'secrets.env');
// Every generated secret (the instances' FOUNDER_KEY, METRICS_TOKEN, Strapi's own, …).
const generated = Object.keys(productionSecrets());
fs.writeFileSync(secrets, generated.map((name) => `${name}=${stack.env[name]}\n`).join(''), {
  mode: 0o600,
});
console.log(`
The stack is up:
  site and API through nginx  ${stack.url}   (admin: ${stack.url}/admin)
  cached by nginx             ${stack.url}/api/platform-settings, ${stack.url}/api/home-page (refreshed on each change)
  CMS instances               ${stack.instances.map((instance) => `${instance.name} ${instance.url}`).join(', ')}
  logs                        ${path.relative(ROOT, dir)}/ (nginx access.log shows cache=HIT/MISS)
  keys for this run           ${path.relative(ROOT, secrets)}
  metrics                     curl -H "Authorization: Bearer $METRICS_TOKEN" ${stack.instances[0].url}/metrics
Ctrl-C stops everything.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping nginx and the CMS instances…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
