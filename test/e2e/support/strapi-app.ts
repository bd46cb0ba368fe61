/**
 * The real app for the admin browser test: the admin panel built by
 * `strapi build` (rebuilt only when the plugin's admin build is newer), then
 * `strapi start` in production mode as a child process, on a free port and a
 * fresh SQLite file that is deleted afterwards.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { productionSecrets, startStrapi } from '../../../scripts/lib/launcher.cjs';
import { appendCapture } from '../../helpers/capture';

export const ROOT = path.resolve(__dirname, '../../..');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts', 'admin');
const STRAPI_BIN = path.join(ROOT, 'node_modules', '.bin', 'strapi');
const ADMIN_INDEX = path.join(ROOT, 'dist', 'build', 'index.html');
/**
 * What `strapi build` bundles into the admin panel: the plugin's admin build (its
 * `./strapi-admin` export, rebuilt from cms/admin/src by the global setup), config and the
 * host app's admin customisation (src/admin/app.tsx: its languages).
 */
const ADMIN_SOURCES = ['cms/dist/admin', 'cms/package.json', 'config/admin.ts', 'src/admin'];

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

export interface RunningApp {
  url: string;
  /** Sent to the app only; the test uses it for the REST API and never prints it. */
  founderKey: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment (plugin config such as PREVIEW_TOKEN_TTL_MS, PREVIEW_SITE_URL, CORS_ORIGINS). */
  env?: Record<string, string>;
  /** A port chosen beforehand (the site is built against the app's URL before it starts). */
  port?: number;
}

export const startApp = async (options: StartOptions = {}): Promise<RunningApp> => {
  const id = randomBytes(6).toString('hex');
  const dbDir = path.join(ROOT, '.tmp', 'e2e');
  fs.mkdirSync(dbDir, { recursive: true });
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const dbFile = path.join(dbDir, `${id}.db`);
  const logFile = path.join(ARTIFACTS_DIR, 'strapi.log');
  fs.rmSync(logFile, { force: true });
  // The runner's keys when it scans captures for leaks (see scripts/test.mjs), else fresh ones.
  const secrets = productionSecrets();
  const founderKey = process.env.TEST_FOUNDER_KEY ?? secrets.FOUNDER_KEY;
  const removeDatabase = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      fs.rmSync(`${dbFile}${suffix}`, { force: true });
    }
  };

  const running = await startStrapi({
    logFile,
    port: options.port,
    env: {
      ...options.env,
      NODE_ENV: 'production',
      DATABASE_CLIENT: 'sqlite',
      DATABASE_FILENAME: dbFile,
      // Production requires every secret: fresh random ones, never the development defaults.
      ...secrets,
      FOUNDER_KEY: founderKey,
      HISTORY_SIGNING_KEY: process.env.TEST_HISTORY_SIGNING_KEY ?? secrets.HISTORY_SIGNING_KEY,
    },
  }).catch((error) => {
    removeDatabase();
    throw error;
  });
  return {
    url: running.url,
    founderKey,
    logFile,
    async stop() {
      await running.stop();
      appendCapture('e2e-strapi-logs', fs.readFileSync(logFile, 'utf8'));
      removeDatabase();
    },
  };
};
