// Measurement script (not a test): bundle sizes and hero frame timing.
//   npm run bench -w web            # builds web/dist first if it is missing
//   npm run bench -w web -- --build # forces a fresh build
//   npm run bench -w web -- --engine firefox # or webkit: frame timing in another engine
// Prints gzipped initial JS (everything index.html loads) vs the lazy three.js chunk, and the
// median frame time of the animated hero over 5 s on a software renderer (Chromium: SwiftShader;
// Firefox and WebKit: Mesa llvmpipe on Xvfb). page.evaluate() callbacks below run in the browser:
/* global document, requestAnimationFrame */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSite, webDir } from './build.mjs';

const require = createRequire(import.meta.url);
const { startStaticServer } = require('./lib/static-server.cjs');
const { ENGINES, launchBrowser } = require('./lib/browsers.cjs');

const INITIAL_JS_BUDGET = 80_000; // bytes, gzipped
const SAMPLE_MS = 5000;
const engineArg = process.argv.indexOf('--engine');
const ENGINE = engineArg >= 0 ? process.argv[engineArg + 1] : 'chromium';
const RENDERER = { chromium: 'SwiftShader', firefox: 'llvmpipe', webkit: 'llvmpipe' };

const distDir = path.join(webDir, 'dist');
const manifestPath = path.join(distDir, '.vite', 'manifest.json');

const gzipSize = (file) => gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** Splits the build's JS into what index.html loads up front and what is imported lazily. */
function bundleSizes() {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry);
  if (!entry) throw new Error('No entry chunk in the Vite manifest.');
  const initial = new Set();
  const visitStatic = (chunk) => {
    if (initial.has(chunk.file)) return;
    initial.add(chunk.file);
    for (const key of chunk.imports ?? []) visitStatic(manifest[key]);
  };
  visitStatic(entry);
  const lazy = new Set();
  const visitLazy = (chunk) => {
    if (initial.has(chunk.file) || lazy.has(chunk.file)) return;
    lazy.add(chunk.file);
    for (const key of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) {
      visitLazy(manifest[key]);
    }
  };
  for (const key of entry.dynamicImports ?? []) visitLazy(manifest[key]);
  const sum = (files) => [...files].reduce((total, file) => total + gzipSize(file), 0);
  return {
    initial: sum(initial),
    lazy: sum(lazy),
    initialFiles: [...initial],
    lazyFiles: [...lazy],
  };
}

/** Median/p95 time between animation frames while the 3D hero runs. */
async function frameTiming(url) {
  const browser = await launchBrowser(ENGINE, { webgl: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(`${url}/?webgl=force`);
    // The scene's canvas is in the page once it has drawn its first frame. (window.__hero3d is
    // not there: the bench measures the production build, which leaves the test seam out.)
    await page.waitForFunction(
      () => document.querySelector('.hero-bg__canvas') !== null,
      undefined,
      {
        timeout: 60_000,
      }
    );
    const source = await page.evaluate(() =>
      document.querySelector('.site')?.getAttribute('data-settings-source')
    );
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let shaders and first frames settle
    const deltas = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          const times = [];
          const start = performance.now();
          const tick = (now) => {
            times.push(now);
            if (now - start < ms) requestAnimationFrame(tick);
            else resolve(times.slice(1).map((t, i) => t - times[i]));
          };
          requestAnimationFrame(tick);
        }),
      SAMPLE_MS
    );
    const sorted = [...deltas].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return {
      frames: deltas.length,
      median: at(0.5),
      p95: at(0.95),
      source,
      version: browser.version,
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  if (!ENGINES.includes(ENGINE)) throw new Error(`--engine: one of ${ENGINES.join(', ')}`);
  if (process.argv.includes('--build') || !existsSync(manifestPath)) {
    console.log('Building web/dist …');
    await buildSite();
  }
  const sizes = bundleSizes();
  const server = await startStaticServer({ root: distDir });
  let timing;
  try {
    timing = await frameTiming(server.url);
  } finally {
    await server.close();
  }

  const within = sizes.initial <= INITIAL_JS_BUDGET;
  const rows = [
    ['Initial JS (gzip)', kb(sizes.initial), `≤ ${kb(INITIAL_JS_BUDGET)}`, within ? 'ok' : 'OVER'],
    ['three.js chunk (gzip, lazy)', kb(sizes.lazy), '-', ''],
    ['Hero frame time (median)', `${timing.median.toFixed(1)} ms`, '-', ''],
    ['Hero frame time (p95)', `${timing.p95.toFixed(1)} ms`, '-', ''],
    ['Hero FPS (median)', (1000 / timing.median).toFixed(1), '-', ''],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log();
  console.log(line(['Metric', 'Value', 'Budget', 'Status']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  rows.forEach((row) => console.log(line(row)));
  console.log();
  console.log(`initial: ${sizes.initialFiles.join(', ')}`);
  console.log(`lazy:    ${sizes.lazyFiles.join(', ')}`);
  console.log(
    `frames:  ${timing.frames} in ${SAMPLE_MS / 1000} s, 1280×720, ${timing.version} + ${RENDERER[ENGINE]} ` +
      `(settings: ${timing.source === 'api' ? 'from the API' : 'built-in defaults, API not reachable'})`
  );
  if (!within) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
