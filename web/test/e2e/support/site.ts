import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStaticServer, type StaticServer } from '../../../scripts/lib/static-server.cjs';

export const WEB_DIR = path.resolve(__dirname, '../../..');
export const REPO_ROOT = path.resolve(WEB_DIR, '..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'web');

export interface BuiltSite {
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/**
 * Production build pointed at `apiUrl` (VITE_API_URL is baked in at build time), served locally
 * like a CDN would. Vite is ESM-only, so its build() API runs in a child Node process
 * (scripts/build.mjs) rather than inside Jest's CommonJS module system.
 */
export async function buildAndServe(apiUrl: string): Promise<BuiltSite> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'web-e2e-'));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(
      process.execPath,
      [path.join(WEB_DIR, 'scripts/build.mjs'), '--out-dir', outDir, '--api-url', apiUrl],
      { cwd: WEB_DIR, env: { ...process.env, VITE_ALLOW_SOFTWARE_WEBGL: '' } }
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed (${code}):\n${output}`))
    );
  });
  const server: StaticServer = await startStaticServer({ root: outDir });
  return {
    url: server.url,
    outDir,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
