// One way to start the app as a process, for tests, browser tests, benchmarks
// and the local production stack: a free port, the environment, waiting for
// /_health, output kept (in memory or in a file), and a clean stop (SIGTERM,
// then SIGKILL after a grace period). Node built-ins only.
'use strict';

const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { freePort } = require('./free-port.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
const SERVER = path.join(__dirname, 'strapi-server.cjs');
const OUTPUT_LIMIT = 1_000_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** 32 random bytes as hex: the format production requires of every secret. */
const randomSecret = () => randomBytes(32).toString('hex');

/**
 * A fresh random value for every secret a production start requires (Strapi's,
 * the plugin's keys and METRICS_TOKEN), so no production start ever runs on a
 * development default.
 * @returns {import('./launcher.d.cts').ProductionSecrets}
 */
const productionSecrets = () => ({
  APP_KEYS: `${randomSecret()},${randomSecret()}`,
  ADMIN_JWT_SECRET: randomSecret(),
  API_TOKEN_SALT: randomSecret(),
  TRANSFER_TOKEN_SALT: randomSecret(),
  ENCRYPTION_KEY: randomSecret(),
  JWT_SECRET: randomSecret(),
  METRICS_TOKEN: randomSecret(),
  FOUNDER_KEY: randomSecret(),
  HISTORY_SIGNING_KEY: randomSecret(),
});

/**
 * Starts the compiled app in `cwd` (default: the repository) and resolves once
 * it answers `healthPath`. Options: env, port (default: a free one), host,
 * serveAdmin (default true), logFile (output appended there instead of kept in
 * memory), timeoutMs (default 120 s), command (a node script and its arguments to run
 * instead of strapi-server.cjs: another app's own `strapi start`).
 * @param {import('./launcher.d.cts').LaunchOptions} options
 * @returns {Promise<import('./launcher.d.cts').RunningStrapi>}
 */
const startStrapi = async (options = {}) => {
  const cwd = options.cwd ?? ROOT;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const timeoutMs = options.timeoutMs ?? 120_000;
  const env = {
    ...process.env,
    STRAPI_TELEMETRY_DISABLED: 'true',
    HOST: host,
    PORT: String(port),
    ...(options.serveAdmin === false ? { STRAPI_SERVE_ADMIN: 'false' } : {}),
    ...options.env,
  };
  let output = '';
  let stdio = ['ignore', 'pipe', 'pipe'];
  let logFd = null;
  if (options.logFile) {
    fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
    logFd = fs.openSync(options.logFile, 'a');
    stdio = ['ignore', logFd, logFd];
  }
  const command = options.command ?? [SERVER];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...command], {
    cwd,
    env,
    stdio,
  });
  if (logFd !== null) fs.closeSync(logFd);
  const keep = (chunk) => {
    output = (output + chunk).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal }))
  );
  const readOutput = () => (options.logFile ? fs.readFileSync(options.logFile, 'utf8') : output);
  const url = `http://${host}:${port}`;

  const stop = async ({ signal = 'SIGTERM', graceMs = 15_000 } = {}) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(killer);
      return result;
    }
    return exited;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `Strapi exited while starting (${child.exitCode ?? child.signalCode}):\n${readOutput().slice(-5000)}`
      );
    }
    try {
      const res = await fetch(`${url}${options.healthPath ?? '/_health'}`);
      if (res.status < 300) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop({ signal: 'SIGKILL' });
      throw new Error(
        `Strapi did not answer within ${timeoutMs} ms:\n${readOutput().slice(-5000)}`
      );
    }
    await sleep(200);
  }
  return { url, port, child, output: readOutput, exited, stop };
};

/**
 * Runs the app in `cwd` and waits for it to exit on its own (a start-up refusal),
 * killing it after `timeoutMs`.
 */
const runStrapiUntilExit = (options = {}) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', ...options.env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });

module.exports = {
  ROOT,
  productionSecrets,
  randomSecret,
  startStrapi,
  runStrapiUntilExit,
};
