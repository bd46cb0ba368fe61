// Measurement script (not a test): Lighthouse's four category scores for the production build.
//   npm run lighthouse -w web             # builds web/dist first if it is missing
//   npm run lighthouse -w web -- --build  # forces a fresh build
// Serves web/dist as bench.mjs does, with no CMS behind it: the page renders its built-in
// settings and the CSS hero (Lighthouse's Chromium has no WebGL here). Runs Debian's Chromium
// (CHROME_PATH, default /usr/bin/chromium) with Lighthouse's default mobile emulation and
// simulated throttling, three times, and prints the median of each score next to its budget.
// Scores vary with the machine's load: compare runs made the same way, on a quiet machine.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { buildSite, webDir } from './build.mjs';

const require = createRequire(import.meta.url);
const { startStaticServer } = require('./lib/static-server.cjs');

const RUNS = 3;
/** The launch checklist's budgets (scores out of 100). */
const BUDGETS = { performance: 90, accessibility: 95, 'best-practices': 95, seo: 95 };
/** The performance metrics behind the score (simulated mobile: slow 4G, 4× CPU slowdown). */
const METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
  'speed-index',
];
const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const distDir = path.join(webDir, 'dist');

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  if (!existsSync(CHROME_PATH)) {
    console.log(`NOT RUN: no Chromium at ${CHROME_PATH} (set CHROME_PATH)`);
    return;
  }
  if (process.argv.includes('--build') || !existsSync(path.join(distDir, 'index.html'))) {
    console.log('Building web/dist …');
    await buildSite();
  }
  const server = await startStaticServer({ root: distDir });
  const chrome = await chromeLauncher.launch({
    chromePath: CHROME_PATH,
    chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const scores = Object.fromEntries(Object.keys(BUDGETS).map((category) => [category, []]));
  const metrics = Object.fromEntries(METRICS.map((id) => [id, []]));
  let version = '';
  try {
    for (let run = 0; run < RUNS; run += 1) {
      const result = await lighthouse(`${server.url}/`, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: Object.keys(BUDGETS),
      });
      version = result.lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? '';
      for (const category of Object.keys(BUDGETS)) {
        scores[category].push(Math.round((result.lhr.categories[category].score ?? 0) * 100));
      }
      for (const id of METRICS) metrics[id].push(result.lhr.audits[id].numericValue ?? 0);
    }
  } finally {
    await chrome.kill();
    await server.close();
  }

  console.log(
    `\nLighthouse ${require('lighthouse/package.json').version}, ${version}, ${RUNS} runs`
  );
  let over = false;
  for (const [category, budget] of Object.entries(BUDGETS)) {
    const value = median(scores[category]);
    const ok = value >= budget;
    over ||= !ok;
    console.log(
      `${category.padEnd(15)} ${String(value).padStart(3)}  (runs ${scores[category].join(', ')})  budget ≥ ${budget}  ${ok ? 'ok' : 'UNDER'}`
    );
  }
  for (const id of METRICS) {
    const unit = id === 'cumulative-layout-shift' ? '' : ' ms';
    const digits = id === 'cumulative-layout-shift' ? 3 : 0;
    console.log(`${id.padEnd(26)} ${median(metrics[id]).toFixed(digits)}${unit} (median)`);
  }
  process.exitCode = over ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
