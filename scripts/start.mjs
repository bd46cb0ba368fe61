#!/usr/bin/env node
// `npm start`: the production server. Strapi falls back to development when
// NODE_ENV is unset, which would run a deploy on the public development secrets;
// here an unset NODE_ENV means production (set NODE_ENV to run anything else).
// Arguments go to `strapi start`.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const strapiBin = path.join(
  path.dirname(require.resolve('@strapi/strapi/package.json')),
  'bin',
  'strapi.js'
);

const child = spawn(process.execPath, [strapiBin, 'start', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production' },
});
// Signals reach the server (a container's SIGTERM starts its graceful shutdown).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
