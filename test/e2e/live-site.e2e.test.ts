/**
 * Live settings end to end, with nothing stubbed: the real app (production mode, SQLite), the
 * site's production build pointed at it, Debian's Chromium. A founder's PUT must be on the open
 * page within 2 s without a reload, through the real event stream and CORS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { freePort } from '../../scripts/lib/free-port.cjs';
import {
  ERROR_CAPTURE_SCRIPT,
  launchBrowser,
  type BrowserSession,
  type DriverPage,
} from '../../web/scripts/lib/browsers.cjs';
import { startStaticServer, type StaticServer } from '../../web/scripts/lib/static-server.cjs';
// For window.__hero3d (a VITE_HERO_DIAGNOSTICS=true build, diagnostics=1 in the URL).
import type {} from '../../web/src/diagnostics/hero3dDiagnostics';
import { ROOT, startApp, type RunningApp } from './support/strapi-app';

jest.setTimeout(180_000);

/** How soon a saved change must be on every open page. */
const LIVE_WITHIN_MS = 2000;
/** JS heap growth allowed from the 10th to the 30th update (the stub-API suite measures ~0.2 MB). */
const HEAP_GROWTH_LIMIT = 400_000;

let app: RunningApp;
let site: StaticServer;
let siteDir: string;
let browser: BrowserSession;
let page: DriverPage;

beforeAll(async () => {
  const sitePort = await freePort();
  const siteOrigin = `http://127.0.0.1:${sitePort}`;
  app = await startApp({ env: { CORS_ORIGINS: siteOrigin } });
  siteDir = mkdtempSync(path.join(tmpdir(), 'live-site-'));
  const built = spawnSync(
    process.execPath,
    ['web/scripts/build.mjs', '--out-dir', siteDir, '--api-url', app.url],
    {
      cwd: ROOT,
      encoding: 'utf8',
      // window.__hero3d (with ?diagnostics=1) shows the scene updated in place.
      env: { ...process.env, VITE_ALLOW_SOFTWARE_WEBGL: '', VITE_HERO_DIAGNOSTICS: 'true' },
    }
  );
  if (built.status !== 0) throw new Error(`site build failed:\n${built.stdout}${built.stderr}`);
  site = await startStaticServer({
    root: siteDir,
    port: sitePort,
    headScript: ERROR_CAPTURE_SCRIPT,
  });
  browser = await launchBrowser('chromium', { webgl: true }); // SwiftShader
}, 600_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await site?.close();
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  await app?.stop();
});

/** The founder's REST write; resolves to the new version. */
async function put(data: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${app.url}/api/platform-settings`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', 'X-Founder-Key': app.founderKey },
    body: JSON.stringify({ data }),
  });
  const body = (await response.json()) as { data?: { version?: number } };
  if (response.status !== 200 || typeof body.data?.version !== 'number') {
    throw new Error(`PUT answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.data.version;
}

const shownVersion = () =>
  page.evaluate(() => document.querySelector('.site')?.getAttribute('data-settings-version'));

/** PUTs `data` and waits until the page shows that version; resolves to the milliseconds taken. */
async function putAndWait(
  data: Record<string, unknown>,
  timeout = LIVE_WITHIN_MS
): Promise<number> {
  const started = Date.now();
  const version = await put(data);
  await page.waitForFunction(
    (v: string) => document.querySelector('.site')?.getAttribute('data-settings-version') === v,
    String(version),
    { timeout }
  );
  return Date.now() - started;
}

const text = (selector: string) =>
  page.evaluate(
    (sel: string) => document.querySelector(sel)?.textContent?.trim() ?? null,
    selector
  );

it('a PUT to the real app is on the open page within 2 s, without a reload', async () => {
  await put({ heroTitle: 'Before the page opened' });
  page = await browser.newPage();
  await page.goto(`${site.url}/?webgl=force&diagnostics=1`);
  await page.waitForFunction(() => window.__hero3d?.stats().mounted === true, undefined, {
    timeout: 60_000,
  });
  await page.waitForFunction(
    () => document.querySelector('.site')?.getAttribute('data-live') === 'stream'
  );
  expect(await text('h1')).toBe('Before the page opened');
  await page.evaluate(() => void ((window as unknown as { __same: boolean }).__same = true));

  const titleMs = await putAndWait({ heroTitle: 'Live from the real app' });
  expect(await text('h1')).toBe('Live from the real app');

  const maintenanceMs = await putAndWait({ maintenanceMode: true });
  expect(await text('.notice')).toMatch(/Down for maintenance/);
  expect(await page.evaluate(() => document.querySelector('a.cta'))).toBeNull();

  await putAndWait({ maintenanceMode: false });
  expect(await page.evaluate(() => document.querySelector('a.cta'))).not.toBeNull();
  console.log(`real app → page: title ${titleMs} ms, maintenance ${maintenanceMs} ms`);

  expect(await page.evaluate(() => (window as unknown as { __same?: boolean }).__same)).toBe(true);
  expect(await page.errors()).toEqual([]);
});

it('30 updates in a row: each shown, one WebGL context throughout, no heap growth from the 10th on', async () => {
  const scene = () => page.evaluate(() => window.__hero3d!.stats());
  const first = await scene();
  const times: number[] = [];
  const updates = async (count: number) => {
    for (let i = 0; i < count; i += 1) {
      const n = times.length + 1;
      times.push(
        // Each new density rebuilds the particles on SwiftShader's CPU: about 0.6 s here, so
        // this loop is about leaks, not the 2 s promise (the test above holds that).
        await putAndWait({ heroTitle: `Update ${n}`, hero3dDensity: 800 + (n % 5) * 600 }, 10_000)
      );
    }
  };
  await updates(10);
  const heapBefore = await page.jsHeapUsed();
  await updates(20);
  const heapAfter = await page.jsHeapUsed();
  expect(await text('h1')).toBe('Update 30');
  // The scene was updated in place for every new density: same scene, same context.
  expect(await scene()).toMatchObject({ mounted: true, mounts: first.mounts, liveContexts: 1 });
  expect(await page.evaluate(() => document.querySelectorAll('canvas').length)).toBe(1);
  expect(Number(await shownVersion())).toBeGreaterThan(30);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `30 updates: PUT → on screen p50 ${sorted[14]} ms, max ${sorted[29]} ms; ` +
      `heap ${heapBefore} → ${heapAfter} bytes`
  );
  expect(heapBefore).not.toBeNull();
  expect(heapAfter! - heapBefore!).toBeLessThan(HEAP_GROWTH_LIMIT);
  expect(await page.errors()).toEqual([]);
});
