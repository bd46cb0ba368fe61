/**
 * The admin's history page in one engine (E2E_BROWSER=chromium|firefox|webkit; scripts/test.mjs
 * runs each as its own group): sign in, open "Settings history" from the menu, open a version's
 * diff. Driven through the same small driver layer as the web e2e suite
 * (web/scripts/lib/browsers.cjs), against the real app. The full flow (edit, roll back, pins,
 * permissions) is admin-history.e2e.test.ts, in Chromium. Screenshots: test-artifacts/admin/<engine>/.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  launchBrowser,
  type BrowserSession,
  type DriverPage,
  type Engine,
} from '../../web/scripts/lib/browsers.cjs';
import { ARTIFACTS_DIR, buildAdminIfStale, startApp, type RunningApp } from './support/strapi-app';
import { jsonApi } from './support/admin-helpers';

const ENGINE = (process.env.E2E_BROWSER ?? 'chromium') as Engine;
const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, ENGINE);
const ADMIN = { email: 'smoke@example.com', password: 'E2e-password-1' };
const NEW_TITLE = 'Smoke test: one title, three engines';
const HISTORY_PATH = '/admin/plugins/platform-settings';

let app: RunningApp;
let browser: BrowserSession;
let page: DriverPage;
let previousTitle: string;
let liveVersion: number;

const api = jsonApi(() => app.url);

const screenshot = (name: string) => page.screenshot(path.join(SCREENSHOTS_DIR, `${name}.png`));

beforeAll(async () => {
  browser = await launchBrowser(ENGINE); // first: a missing browser fails at once
  console.log(`[${ENGINE}] ${browser.version} via ${browser.protocol}`);
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  buildAdminIfStale();
  app = await startApp();
  await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Sam',
    lastname: 'Smoke',
  });
  previousTitle = (await api('GET', '/api/platform-settings')).data.heroTitle;
  const saved = await api(
    'PUT',
    '/api/platform-settings',
    { data: { heroTitle: NEW_TITLE }, note: 'Smoke test' },
    { 'X-Founder-Key': app.founderKey }
  );
  liveVersion = saved.data.version;
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 600_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await app?.stop();
});

describe(`admin smoke [${ENGINE}]`, () => {
  it('signs in, opens Settings history from the menu, then a version diff', async () => {
    try {
      await page.goto(`${app.url}/admin/auth/login`);
      await page.fill('input[name="email"]', ADMIN.email, { timeout: 60_000 });
      await page.fill('input[name="password"]', ADMIN.password);
      await page.click('button[type="submit"]');
      await page.waitForFunction(() => /^\/admin\/?$/.test(location.pathname), undefined, {
        timeout: 60_000,
      });

      // The plugin's menu entry, then the live version's row.
      await page.click(`nav a[href="${HISTORY_PATH}"]`, { timeout: 60_000 });
      const row = `tr[data-version="${liveVersion}"]`;
      await page.waitForSelector(row);
      const rowInfo = await page.evaluate((selector: string) => {
        const tr = document.querySelector(selector)!;
        return {
          path: location.pathname,
          current: tr.getAttribute('aria-current'),
          text: tr.textContent,
          changed: tr.querySelector('[data-testid="changed-fields"]')?.textContent,
        };
      }, row);
      expect(rowInfo.path).toBe(HISTORY_PATH);
      expect(rowInfo.current).toBe('true');
      expect(rowInfo.text).toContain('Live');
      expect(rowInfo.changed).toContain('Hero title');
      await screenshot('history');

      // Its diff: the old and the new heroTitle side by side.
      await page.click(`${row} td:first-child a`);
      const diffRow = '[data-testid="version-diff"] tr[data-field="heroTitle"]';
      await page.waitForSelector(diffRow);
      const diff = await page.evaluate((selector: string) => {
        const tr = document.querySelector(selector)!;
        return {
          path: location.pathname,
          before: tr.querySelector('[data-side="before"]')?.textContent,
          after: tr.querySelector('[data-side="after"]')?.textContent,
        };
      }, diffRow);
      expect(diff.path).toBe(`${HISTORY_PATH}/${liveVersion}`);
      expect(diff.before).toContain(previousTitle);
      expect(diff.after).toContain(NEW_TITLE);
      await screenshot('diff');
    } catch (error) {
      await screenshot('failure').catch(() => undefined);
      throw error;
    }
  });
});
