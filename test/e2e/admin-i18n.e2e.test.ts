/**
 * The plugin's admin in the admin's language, in Chromium against the real app: an admin
 * whose interface language is French (Strapi keeps it per user, `preferedLanguage`) sees the
 * history page, the schedules panel and the Content Manager side panel in French, with dates
 * in French; switched back to English, the same pages read in English. The browser itself
 * stays en-US, so what changes is the admin's choice, not the browser's.
 * Screenshots go to test-artifacts/admin/; UPDATE_DOCS_SCREENSHOTS=1 also copies them to
 * docs/screenshots/ (history-fr.png, schedules-fr.png, history-en.png, schedules-en.png).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../web/scripts/lib/browsers.cjs';
import {
  ARTIFACTS_DIR,
  ROOT,
  buildAdminIfStale,
  startApp,
  type RunningApp,
} from './support/strapi-app';
import { dismissMediaLibraryBanner, jsonApi } from './support/admin-helpers';

const ADMIN = { email: 'polyglot@example.com', password: 'E2e-password-1' };
const HISTORY_PATH = '/admin/plugins/platform-settings';
const SETTINGS_UID = 'plugin::platform-settings.setting';
const DOCS_DIR = path.join(ROOT, 'docs', 'screenshots');

let app: RunningApp;
let browser: Browser;
let page: Page;
let adminToken: string;

const api = jsonApi(() => app.url);
const founder = () => ({ 'X-Founder-Key': app.founderKey });
const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

const screenshot = async (name: string, target: Page | ReturnType<Page['locator']> = page) => {
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.mouse.move(1200, 890);
  await target.screenshot({ path: file });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    mkdirSync(DOCS_DIR, { recursive: true });
    copyFileSync(file, path.join(DOCS_DIR, `${name}.png`));
  }
};

const screenshotOnFailure = (run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    await page
      .screenshot({ path: path.join(ARTIFACTS_DIR, 'i18n-failure.png') })
      .catch(() => undefined);
    throw error;
  }
};

/** The interface language is the admin's own setting, read by the admin panel on sign-in. */
const useLanguage = async (language: string) => {
  await api('PUT', '/admin/users/me', { preferedLanguage: language }, asAdmin());
  await page.context().clearCookies();
  await page.goto(`${app.url}/admin/auth/login`);
  await page.evaluate(() => window.localStorage.clear());
  await page.goto(`${app.url}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill(ADMIN.password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/admin(\/)?$/);
  await dismissMediaLibraryBanner(page);
};

/** The history page with its pending schedule, settled for a screenshot. */
const openHistory = async (title: string) => {
  await page.goto(`${app.url}${HISTORY_PATH}`);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  const panel = page.getByTestId('schedules-panel');
  await panel.locator('li[data-status="pending"]').first().waitFor();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  return panel;
};

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing browser fails at once
  buildAdminIfStale();
  app = await startApp();
  const registered = await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Pat',
    lastname: 'Polyglot',
  });
  adminToken = registered.data.token;
  // A short history, a pinned version and one pending schedule, so every part has content.
  await api(
    'PUT',
    '/api/platform-settings',
    { data: { primaryColor: '#2563EB', accentColor: '#F59E0B' }, note: 'Brand refresh' },
    founder()
  );
  await api(
    'PUT',
    '/api/platform-settings',
    { data: { tagline: 'Versioned settings for fast-moving teams' } },
    founder()
  );
  await api('POST', '/platform-settings/history/2/pin', { label: 'Launch copy' }, asAdmin());
  await api(
    'POST',
    '/platform-settings/schedules',
    {
      kind: 'patch',
      runAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString(),
      data: { maintenanceMode: true },
      note: 'Maintenance window',
    },
    asAdmin()
  );
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'en-US' });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it(
  'shows the history, the schedules panel and the side panel in French',
  screenshotOnFailure(async () => {
    await useLanguage('fr');
    const panel = await openHistory('Historique des réglages');

    // Strings of the history page, the table and its plurals, in French.
    await page.getByRole('checkbox', { name: 'Versions épinglées uniquement' }).waitFor();
    await page.getByText('3 versions · la version 3 est en ligne').waitFor();
    const headers = await page.locator('thead th').allTextContents();
    expect(headers).toEqual(
      expect.arrayContaining(['Version', 'Date', 'Auteur', 'Modification', 'Champs modifiés'])
    );
    const liveRow = page.locator('tr[data-version="3"]');
    expect(await liveRow.getByText('En ligne', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Voir la version 2' }).count()).toBe(1);
    // Dates in the admin's locale: "12 janv. 2026, 14:30", not "Jan 12, 2026, 2:30 PM".
    const date = (await liveRow.locator('td').nth(1).textContent()) ?? '';
    expect(date).toMatch(/^\d{1,2} \p{L}+\.? \d{4}/u);
    // The schedules panel (its own translation): heading, actions, the pending list.
    await panel.getByRole('heading', { name: 'Modifications planifiées' }).waitFor();
    await panel.getByRole('button', { name: 'Planifier une modification' }).waitFor();
    await panel.getByRole('button', { name: 'Actualiser les planifications' }).waitFor();
    await panel.getByText('1 en attente', { exact: true }).waitFor();
    expect(await panel.getByText('par Pat', { exact: false }).count()).toBeGreaterThan(0);
    await screenshot('history-fr');
    await panel.scrollIntoViewIfNeeded();
    await screenshot('schedules-fr', panel);

    // The Content Manager's side panel.
    await page.goto(`${app.url}/admin/content-manager/single-types/${SETTINGS_UID}`);
    await page.getByText('Version en ligne', { exact: true }).first().waitFor();
    await page.getByRole('link', { name: 'Historique des réglages' }).last().waitFor();
  })
);

it(
  'reads in English again once the admin switches back',
  screenshotOnFailure(async () => {
    await useLanguage('en');
    const panel = await openHistory('Settings history');
    await page.getByRole('checkbox', { name: 'Pinned versions only' }).waitFor();
    await page.getByText('3 versions · version 3 is live').waitFor();
    await screenshot('history-en');
    await panel.scrollIntoViewIfNeeded();
    await screenshot('schedules-en', panel);
  })
);
