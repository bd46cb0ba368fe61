import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ERROR_CAPTURE_SCRIPT } from '../../../scripts/lib/browsers.cjs';
import { startStaticServer } from '../../../scripts/lib/static-server.cjs';
import { startStubApi, type StubApi } from './stubApi';

export const WEB_DIR = path.resolve(__dirname, '../../..');
export const REPO_ROOT = path.resolve(WEB_DIR, '..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'web');

export interface BuiltSite {
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/**
 * Production build pointed at `apiUrl` (VITE_API_URL is baked in at build time). Vite is ESM-only,
 * so its build() API runs in a child Node process (scripts/build.mjs) rather than inside Jest's
 * CommonJS module system. VITE_ALLOW_SOFTWARE_WEBGL is cleared: the tests check the default.
 * VITE_HERO_DIAGNOSTICS=true lets the tests' `?diagnostics=1` expose `window.__hero3d`.
 */
async function build(apiUrl: string): Promise<string> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'web-e2e-'));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(
      process.execPath,
      [path.join(WEB_DIR, 'scripts/build.mjs'), '--out-dir', outDir, '--api-url', apiUrl],
      {
        cwd: WEB_DIR,
        env: { ...process.env, VITE_ALLOW_SOFTWARE_WEBGL: '', VITE_HERO_DIAGNOSTICS: 'true' },
      }
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))
    );
  });
  return outDir;
}

/** Served locally like a CDN would, with the error-capture script first in every page's <head>. */
async function serve(outDir: string, ownsOutDir: boolean): Promise<BuiltSite> {
  const server = await startStaticServer({ root: outDir, headScript: ERROR_CAPTURE_SCRIPT });
  return {
    url: server.url,
    outDir,
    async close() {
      await server.close();
      if (ownsOutDir) rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * The stub API and the site built against it. `npm test` builds the site once for every engine's
 * group (WEB_E2E_PREBUILT_DIR, built for a stub on WEB_E2E_PREBUILT_API_URL); a file run on its
 * own, or whose prebuilt port was taken meanwhile, builds its own.
 */
export async function startSiteAndApi(): Promise<{ api: StubApi; site: BuiltSite }> {
  const prebuiltDir = process.env.WEB_E2E_PREBUILT_DIR;
  const prebuiltApi = process.env.WEB_E2E_PREBUILT_API_URL;
  if (prebuiltDir && prebuiltApi) {
    const api = await startStubApi({ port: Number(new URL(prebuiltApi).port) }).catch(() => null);
    if (api) return { api, site: await serve(prebuiltDir, false) };
  }
  const api = await startStubApi(); // port first, then build against it
  try {
    return { api, site: await serve(await build(api.url), true) };
  } catch (error) {
    await api.close();
    throw error;
  }
}
