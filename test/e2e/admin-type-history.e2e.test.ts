/**
 * The history page for a versioned type other than the settings, in a real browser
 * against the real app (Chromium): pick "Home page" in the type picker, see its
 * versions, read a component diff, roll back with the dry-run diff, see the new
 * version live (and on the public GET), verify the chain, and find the live version
 * in the home page's Content Manager side panel. Screenshots go to test-artifacts/admin/.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../web/scripts/lib/browsers.cjs';
import { ARTIFACTS_DIR, buildAdminIfStale, startApp, type RunningApp } from './support/strapi-app';
import { dismissMediaLibraryBanner, jsonApi } from './support/admin-helpers';

const ADMIN = { email: 'editor@example.com', password: 'E2e-password-1', name: 'Eddie Editor' };
const HOME_PAGE_UID = 'api::home-page.home-page';
const NEW_SEO_TITLE = 'Launch week: the home page ships too';

let app: RunningApp;
let browser: Browser;
let page: Page;
let adminToken: string;
let launchSeoTitle: string;

const api = jsonApi(() => app.url);
const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

const screenshot = (name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS_DIR, `type-history-${name}.png`) });

/** When a step fails, the page as it was is the quickest explanation. */
const screenshotOnFailure = (run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    await screenshot('failure').catch(() => undefined);
    throw error;
  }
};

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing browser fails at once
  buildAdminIfStale();
  app = await startApp();
  const registered = await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Eddie',
    lastname: 'Editor',
  });
  adminToken = registered.data.token;
  // The app seeded the home page (version 1); a script's edit makes version 2.
  launchSeoTitle = (await api('GET', '/api/home-page')).data.seo.title;
  const token = await api(
    'POST',
    '/admin/api-tokens',
    { name: 'e2e-home-page', type: 'full-access', lifespan: null },
    asAdmin()
  );
  await api(
    'PUT',
    '/api/home-page',
    { data: { seo: { title: NEW_SEO_TITLE, description: 'The launch week page' } } },
    { Authorization: `Bearer ${token.data.accessKey}` }
  );
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it(
  'picks the home page, reviews its versions, rolls back and verifies',
  screenshotOnFailure(async () => {
    const before = await api(
      'GET',
      '/platform-settings/types/home-page/history',
      undefined,
      asAdmin()
    );
    expect(before.meta.liveVersion).toBe(2);

    // Sign in, open the history page (the settings' first), pick the home page.
    await page.goto(`${app.url}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(/\/admin(\/)?$/);
    await dismissMediaLibraryBanner(page);
    await page.getByRole('link', { name: 'Settings history' }).first().click();
    await page.getByRole('heading', { name: 'Settings history' }).waitFor();
    await page.getByRole('combobox', { name: 'History of' }).click();
    await page.getByRole('option', { name: 'Home page' }).click();
    await page.waitForURL(/\/admin\/plugins\/platform-settings\/types\/home-page$/);
    await page.getByRole('heading', { name: 'Home page history' }).waitFor();
    await page.getByText('2 versions · version 2 is live').waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
    // Schedules and previews on the site are every type's: the home page's own schedules panel.
    expect(await page.getByTestId('schedules-panel').count()).toBe(1);
    expect(await page.getByRole('button', { name: /^Preview version/ }).count()).toBe(2);
    expect(await page.getByRole('button', { name: 'Preview draft on site' }).count()).toBe(1);
    await screenshot('list');

    // Version 1's diff against the live one: the SEO component, field by field.
    await page.getByRole('link', { name: 'View version 1' }).click();
    await page.waitForURL(/\/types\/home-page\/1$/);
    const diff = page.getByTestId('version-diff');
    await diff.waitFor();
    const seo = diff.locator('tr[data-field="seo"]');
    await seo.locator('[data-side="before"]').getByText(launchSeoTitle).waitFor();
    await seo.locator('[data-side="after"]').getByText(NEW_SEO_TITLE).waitFor();
    expect(await diff.getByText('[object Object]').count()).toBe(0);
    await screenshot('diff');

    // Roll back to version 1: the dry run's diff first, then a new version.
    await page.getByRole('button', { name: 'Roll back to this version' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('rollback-diff').locator('tr[data-field="seo"]').waitFor();
    await dialog.getByLabel('Note').fill('Back to the launch copy');
    await dialog.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByText('Version 3 is live, with the content of version 1.').waitFor();
    await page.waitForURL(/\/types\/home-page$/);
    await page.getByText('3 versions · version 3 is live').waitFor();
    const newRow = page.locator('tbody tr[data-version="3"]');
    await newRow.waitFor();
    expect(await newRow.getByText('Live', { exact: true }).isVisible()).toBe(true);
    expect(await newRow.getByText('Rolled back', { exact: true }).isVisible()).toBe(true);
    expect(await newRow.getByText('Back to the launch copy').isVisible()).toBe(true);
    await screenshot('after-rollback');

    const after = await api(
      'GET',
      '/platform-settings/types/home-page/history/3',
      undefined,
      asAdmin()
    );
    expect(after.data).toMatchObject({
      changeType: 'rollback',
      restoredFrom: 1,
      author: { kind: 'admin', name: ADMIN.name },
    });
    expect((await api('GET', '/api/home-page')).data.seo.title).toBe(launchSeoTitle);

    // The whole signed chain checks out.
    await page.getByRole('button', { name: 'Verify the history' }).click();
    const report = page.getByTestId('verify-report');
    await report.getByText('The history verifies').waitFor();
    await report.getByText(/^3 versions checked/).waitFor();

    // The Content Manager's side panel shows the home page's live version.
    await page.goto(`${app.url}/admin/content-manager/single-types/${HOME_PAGE_UID}`);
    await page.getByText('Version 3', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Home page history' }).waitFor();
    await screenshot('content-manager');
  })
);
