// Production build through Vite's JS API. Used by the e2e tests (to build against a stub API)
// and by bench.mjs. CLI: node scripts/build.mjs [--out-dir DIR] [--api-url URL]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'vite';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {{ outDir?: string, apiUrl?: string, logLevel?: 'info' | 'warn' | 'error' | 'silent' }} [options]
 * @returns {Promise<string>} the output directory
 */
export async function buildSite({
  outDir = path.join(webDir, 'dist'),
  apiUrl,
  logLevel = 'warn',
} = {}) {
  // VITE_* variables in process.env take precedence over .env files.
  if (apiUrl) process.env.VITE_API_URL = apiUrl;
  // Vite keeps an inherited NODE_ENV (Jest sets "test"), which would ship React's dev build.
  process.env.NODE_ENV = 'production';
  await build({
    root: webDir,
    mode: 'production',
    configFile: path.join(webDir, 'vite.config.ts'),
    logLevel,
    build: { outDir: path.resolve(outDir), emptyOutDir: true },
  });
  return path.resolve(outDir);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  buildSite({ outDir: option('--out-dir'), apiUrl: option('--api-url'), logLevel: 'info' }).catch(
    (error) => {
      console.error(error);
      process.exit(1);
    }
  );
}
