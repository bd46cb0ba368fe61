/**
 * The real app for the admin browser test: the admin panel built by
 * `strapi build` (rebuilt only when the plugin's admin sources are newer), then
 * `strapi start` in production mode as a child process, on a free port and a
 * fresh SQLite file that is deleted afterwards.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { appendCapture } from '../../helpers/capture';

export const ROOT = path.resolve(__dirname, '../../..');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts', 'admin');
const STRAPI_BIN = path.join(ROOT, 'node_modules', '.bin', 'strapi');
const ADMIN_INDEX = path.join(ROOT, 'dist', 'build', 'index.html');
/** Sources bundled into the admin panel by `strapi build`. */
const ADMIN_SOURCES = ['cms/admin/src', 'cms/shared', 'cms/package.json', 'config/admin.ts'];

const newestMtime = (target: string): number => {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(target)
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(target, name))), stat.mtimeMs);
};

export const adminBuildIsStale = (): boolean => {
  if (!fs.existsSync(ADMIN_INDEX)) return true;
  const builtAt = fs.statSync(ADMIN_INDEX).mtimeMs;
  return ADMIN_SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > builtAt);
};

export const buildAdminIfStale = () => {
  if (!adminBuildIsStale()) return false;
  execFileSync(STRAPI_BIN, ['build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: 'production' },
  });
  return true;
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface RunningApp {
  url: string;
  /** Sent to the app only; the test uses it for the REST API and never prints it. */
  founderKey: string;
  logFile: string;
  stop(): Promise<void>;
}

const waitForHealth = async (url: string, child: ChildProcess, logFile: string) => {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`strapi start exited with ${child.exitCode}; see ${logFile}`);
    }
    try {
      const res = await fetch(`${url}/_health`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`strapi start did not answer /_health within 2 minutes; see ${logFile}`);
};

export const startApp = async (): Promise<RunningApp> => {
  const id = randomBytes(6).toString('hex');
  const dbDir = path.join(ROOT, '.tmp', 'e2e');
  fs.mkdirSync(dbDir, { recursive: true });
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const dbFile = path.join(dbDir, `${id}.db`);
  const logFile = path.join(ARTIFACTS_DIR, 'strapi.log');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // The runner's key when it scans captures for leaks (see scripts/test.mjs), else a fresh one.
  const founderKey = process.env.TEST_FOUNDER_KEY ?? randomBytes(32).toString('hex');

  const log = fs.openSync(logFile, 'w');
  const child = spawn(STRAPI_BIN, ['start'], {
    cwd: ROOT,
    stdio: ['ignore', log, log],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      STRAPI_TELEMETRY_DISABLED: 'true',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: dbFile,
      FOUNDER_KEY: founderKey,
      HISTORY_SIGNING_KEY: process.env.TEST_HISTORY_SIGNING_KEY ?? randomBytes(32).toString('hex'),
    },
  });
  fs.closeSync(log);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    appendCapture('e2e-strapi-logs', fs.readFileSync(logFile, 'utf8'));
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      fs.rmSync(`${dbFile}${suffix}`, { force: true });
    }
  };

  try {
    await waitForHealth(url, child, logFile);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, founderKey, logFile, stop };
};
