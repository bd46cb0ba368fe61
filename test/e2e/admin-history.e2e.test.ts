/**
 * The admin experience end to end, in a real browser against the real app:
 * sign in, edit `heroTitle` in the Content Manager, find the new version in
 * "Settings history", open its diff, roll back to the previous version, and
 * check the public API, in Chromium (admin-smoke.e2e.test.ts covers the other engines).
 * Screenshots go to test-artifacts/admin/.
 */
import { copyFileSync } from 'node:fs';
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

const ADMIN = { email: 'founder@example.com', password: 'E2e-password-1', name: 'Fay Founder' };
const SETTINGS_UID = 'plugin::platform-settings.setting';
const NEW_TITLE = 'Launch week: everything ships safely';

let app: RunningApp;
let browser: Browser;
let page: Page;

const api = jsonApi(() => app.url);
const founder = () => ({ 'X-Founder-Key': app.founderKey });

/** Set UPDATE_DOCS_SCREENSHOTS=1 to refresh the README's pictures from this run. */
const DOCS_SCREENSHOTS: Record<string, string> = {
  'history-after-rollback': 'admin-history.png',
  'diff-v1-vs-live': 'admin-diff.png',
};

const screenshot = async (name: string) => {
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' && DOCS_SCREENSHOTS[name]) {
    copyFileSync(file, path.join(ROOT, 'docs', DOCS_SCREENSHOTS[name]));
  }
};

/** Screenshots without a toast or a hover tooltip in the way. */
const settle = async (toast?: string) => {
  await page.mouse.move(1000, 990);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await page
    .locator('[data-radix-popper-content-wrapper]')
    .waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
  if (toast) await page.getByText(toast).waitFor({ state: 'hidden', timeout: 15_000 });
};

/** When a step fails, the page as it was is the quickest explanation. */
const screenshotOnFailure = (run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    await screenshot('failure').catch(() => undefined);
    throw error;
  }
};

/** A few earlier versions, so the history looks like one a team would have. */
const seedHistory = async (token: string) => {
  await api(
    'PUT',
    '/api/platform-settings',
    { data: { primaryColor: '#2563EB', accentColor: '#F59E0B' }, note: 'Brand refresh' },
    founder()
  );
  await api(
    'PUT',
    '/api/platform-settings',
    {
      data: {
        tagline: 'Versioned settings for fast-moving teams',
        heroSubtitle:
          'Every change is a new version with its author, its diff and a one-click rollback — so the founder can move fast and editors can undo safely.',
      },
    },
    founder()
  );
  await api(
    'POST',
    '/platform-settings/history/3/pin',
    { label: 'Launch copy' },
    {
      Authorization: `Bearer ${token}`,
    }
  );
  await api(
    'PUT',
    '/api/platform-settings',
    { data: { hero3dDensity: 1800, hero3dSpeed: 1.5 }, note: 'Denser hero animation' },
    founder()
  );
};

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing browser fails at once
  buildAdminIfStale();
  app = await startApp();
  const registered = await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Fay',
    lastname: 'Founder',
  });
  await seedHistory(registered.data.token);
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

it(
  'edits, reviews and rolls back the settings from the admin',
  screenshotOnFailure(async () => {
    const before = await api('GET', '/api/platform-settings');
    const previousTitle: string = before.data.heroTitle;
    const previousVersion: number = before.data.version;

    // Sign in.
    await page.goto(`${app.url}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(/\/admin(\/)?$/);
    await dismissMediaLibraryBanner(page);

    // Edit heroTitle in the Content Manager: Save keeps it as a draft (no version, nothing
    // public moves), Publish makes it the next version.
    await page.goto(`${app.url}/admin/content-manager/single-types/${SETTINGS_UID}`);
    const heroTitle = page.locator('input[name="heroTitle"]');
    await heroTitle.waitFor();
    expect(await page.locator('input[name="version"]').isDisabled()).toBe(true);
    await heroTitle.fill(NEW_TITLE);
    await page.getByRole('button', { name: 'Save' }).click();
    await settle('Saved document');
    const afterSave = await api('GET', '/api/platform-settings');
    expect(afterSave.data).toMatchObject({ version: previousVersion, heroTitle: previousTitle });
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(`Version ${previousVersion + 1}`, { exact: true }).waitFor();
    await page.getByText(`by ${ADMIN.name}`).first().waitFor();
    await settle('Published document');
    await screenshot('content-manager-panel');

    // The new version is live in "Settings history", with heroTitle among its changed fields.
    await page.getByRole('link', { name: 'Settings history' }).first().click();
    await page.waitForURL(/\/admin\/plugins\/platform-settings$/);
    const newRow = page.locator(`tr[data-version="${previousVersion + 1}"]`);
    await newRow.waitFor();
    expect(await newRow.getByText('Live', { exact: true }).isVisible()).toBe(true);
    expect(await newRow.getByTestId('changed-fields').textContent()).toContain('Hero title');
    expect(await newRow.textContent()).toContain(ADMIN.name);
    await settle();
    await screenshot('history');

    // Its diff shows the old and the new heroTitle.
    await newRow.getByRole('link', { name: `v${previousVersion + 1}` }).click();
    const diffRow = page.getByTestId('version-diff').locator('tr[data-field="heroTitle"]');
    await diffRow.waitFor();
    expect(await diffRow.locator('[data-side="before"]').textContent()).toContain(previousTitle);
    expect(await diffRow.locator('[data-side="after"]').textContent()).toContain(NEW_TITLE);
    await settle();
    await screenshot('diff');

    // Roll back to the previous version from the history table.
    await page.goto(`${app.url}/admin/plugins/platform-settings`);
    await page.getByRole('button', { name: `Roll back to version ${previousVersion}` }).click();
    const dialog = page.getByRole('dialog');
    const planned = dialog.getByTestId('rollback-diff').locator('tr[data-field="heroTitle"]');
    await planned.waitFor();
    expect(await planned.textContent()).toContain(previousTitle);
    await dialog.getByLabel('Note').fill('Back to the launch title');
    await screenshot('rollback-dialog');
    await dialog.getByRole('button', { name: `Roll back to v${previousVersion}` }).click();
    const toast = `Version ${previousVersion + 2} is live, with the settings of version ${previousVersion}.`;
    await page.getByText(toast).waitFor();

    // The table refreshes: a new rollback version is live, history kept.
    const rollbackRow = page.locator(`tr[data-version="${previousVersion + 2}"]`);
    await rollbackRow.waitFor();
    expect(await rollbackRow.textContent()).toContain('Rolled back');
    expect(await rollbackRow.textContent()).toContain('Back to the launch title');
    await page.locator(`tr[data-version="${previousVersion + 1}"]`).waitFor();
    await settle(toast);
    await screenshot('history-after-rollback');

    // Any version against the live one: colours as swatches, long text with its change marked.
    await page.goto(`${app.url}/admin/plugins/platform-settings/1?compare=live`);
    const colourRow = page.getByTestId('version-diff').locator('tr[data-field="primaryColor"]');
    await colourRow.waitFor();
    expect(await colourRow.getByTestId('color-swatch').count()).toBe(2);
    await page.getByTestId('version-diff').locator('tr[data-field="heroSubtitle"] ins').waitFor();
    await settle();
    await screenshot('diff-v1-vs-live');

    // Pinned versions can be filtered.
    await page.goto(`${app.url}/admin/plugins/platform-settings`);
    await page.getByRole('checkbox', { name: 'Pinned versions only' }).click();
    await page.waitForURL(/pinned=true/);
    await page.getByText('1 pinned version', { exact: false }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr').getAttribute('data-version')).toBe('3');

    // The public API serves the old heroTitle, under a higher version.
    const after = await api('GET', '/api/platform-settings');
    expect(after.data.heroTitle).toBe(previousTitle);
    expect(after.data.version).toBe(previousVersion + 2);
  })
);

it(
  'shows the page without its buttons to a reader, and not at all to a role without access',
  screenshotOnFailure(async () => {
    const superAdmin = await api('POST', '/admin/login', ADMIN);
    const headers = { Authorization: `Bearer ${superAdmin.data.token}` };
    const signInAs = async (key: string, actions: string[]) => {
      const role = await api(
        'POST',
        '/admin/roles',
        { name: `E2E ${key}`, description: key },
        headers
      );
      await api(
        'PUT',
        `/admin/roles/${role.data.id}/permissions`,
        {
          permissions: actions.map((action) => ({
            action,
            subject: null,
            properties: {},
            conditions: [],
          })),
        },
        headers
      );
      const email = `${key}@example.com`;
      const user = await api(
        'POST',
        '/admin/users',
        { email, firstname: key, lastname: 'Tester', roles: [role.data.id] },
        headers
      );
      await api('POST', '/admin/register', {
        registrationToken: user.data.registrationToken,
        userInfo: { firstname: key, lastname: 'Tester', password: ADMIN.password },
      });
      await page.context().clearCookies();
      await page.goto(`${app.url}/admin/auth/login`);
      await page.evaluate(() => window.localStorage.clear());
      await page.goto(`${app.url}/admin/auth/login`);
      await page.locator('input[name="email"]').fill(email);
      await page.locator('input[name="password"]').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Login' }).click();
      await page.waitForURL(/\/admin(\/)?$/);
    };

    // history.read only: the table, but no pin or roll-back buttons.
    await signInAs('reader', ['plugin::platform-settings.history.read']);
    await page.getByRole('link', { name: 'Settings history' }).first().waitFor();
    await page.goto(`${app.url}/admin/plugins/platform-settings`);
    await page.locator('tbody tr').first().waitFor();
    expect(await page.getByRole('link', { name: /^View version/ }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /^Roll back to version/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^(Pin|Unpin) version/ }).count()).toBe(0);

    // Neither action: no menu entry, and the page itself refuses.
    await signInAs('outsider', []);
    expect(await page.getByRole('link', { name: 'Settings history' }).count()).toBe(0);
    await page.goto(`${app.url}/admin/plugins/platform-settings`);
    await page
      .getByText(/permissions to access/i)
      .first()
      .waitFor();
    expect(await page.locator('tbody tr').count()).toBe(0);
  })
);
