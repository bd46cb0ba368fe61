/**
 * Scheduled changes from the admin, in Chromium against the real app (schedules
 * checked every second): save a draft through the REST API, schedule "publish
 * the draft" for the next minute through the dialog, see it pending in the panel
 * with its diff, its time in the browser's zone (New York here, not the server's
 * UTC) and in UTC, then see it happen: a new version in the history with the
 * schedule's note and the Scheduled marker. Meanwhile a patch is scheduled and
 * cancelled, and one made "only if live is still version N" for the same minute
 * is skipped, visibly, because the publish moved live on. Screenshots go to
 * test-artifacts/admin/; the measured delay to test-artifacts/admin/schedules-timing.json.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../web/scripts/lib/browsers.cjs';
import {
  ARTIFACTS_DIR,
  ROOT,
  buildAdminIfStale,
  startApp,
  type RunningApp,
} from './support/strapi-app';
import { dismissMediaLibraryBanner, jsonApi } from './support/admin-helpers';

const ADMIN = { email: 'scheduler@example.com', password: 'E2e-password-1', name: 'Sol Scheduler' };
const HISTORY_PATH = '/admin/plugins/platform-settings';
const TIME_ZONE = 'America/New_York';
const DRAFT_TITLE = 'Launch day: doors open at nine';
const PUBLISH_NOTE = 'Launch: publish the new hero copy';
const CANCELLED_NOTE = 'Maintenance window (to be cancelled)';

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let adminToken: string;

const api = jsonApi(() => app.url);
const founder = () => ({ 'X-Founder-Key': app.founderKey });
const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

/** Set UPDATE_DOCS_SCREENSHOTS=1 to refresh the README's pictures from this run. */
const DOCS_SCREENSHOTS: Record<string, string> = {
  'schedules-panel': 'admin-schedules.png',
  'schedule-dialog': 'admin-schedule-dialog.png',
};

/** Without a hover tooltip in the way. */
const screenshot = async (name: string) => {
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.mouse.move(1200, 890);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' && DOCS_SCREENSHOTS[name]) {
    copyFileSync(file, path.join(ROOT, 'docs', DOCS_SCREENSHOTS[name]));
  }
};

/** The "Scheduled" toasts gone (before any version carries the Scheduled marker). Cosmetic. */
const noToasts = () =>
  page
    .getByText('Scheduled', { exact: true })
    .first()
    .waitFor({ state: 'hidden', timeout: 15_000 })
    .catch(() => undefined);

const screenshotOnFailure = (run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    await screenshot('schedules-failure').catch(() => undefined);
    throw error;
  }
};

/** Date and "HH:mm" of an instant in the browser's zone, as the dialog's pickers show them. */
const inZone = (date: Date) => {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value])
  );
  return {
    day: `${parts.month}/${parts.day}/${parts.year}`,
    time: `${parts.hour}:${parts.minute}`,
  };
};

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing browser fails at once
  buildAdminIfStale();
  app = await startApp({ env: { SCHEDULE_CHECK_MS: '1000' } });
  const registered = await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Sol',
    lastname: 'Scheduler',
  });
  adminToken = registered.data.token;
  // The launch copy waits in the draft; nothing public changes yet.
  await api(
    'PUT',
    '/api/platform-settings?status=draft',
    { data: { heroTitle: DRAFT_TITLE } },
    founder()
  );
  // 1280 px wide, in a zone that is not the server's, so local time and UTC differ.
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: TIME_ZONE,
    locale: 'en-US',
  });
  page = await context.newPage();
}, 600_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

it(
  'schedules a publish of the draft from the admin and sees it happen; a patch is cancelled; a stale one is skipped',
  screenshotOnFailure(async () => {
    const liveBefore = (await api('GET', '/api/platform-settings')).data;
    expect(liveBefore.heroTitle).not.toBe(DRAFT_TITLE);

    await page.goto(`${app.url}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(ADMIN.email);
    await page.locator('input[name="password"]').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Login' }).click();
    await page.waitForURL(/\/admin(\/)?$/);
    await dismissMediaLibraryBanner(page);

    await page.goto(`${app.url}${HISTORY_PATH}`);
    const panel = page.getByTestId('schedules-panel');
    await panel.getByText('Nothing scheduled.').waitFor();

    // The next minute boundary at least 45 s away: the publish, through the dialog.
    const runAt = new Date(Math.ceil((Date.now() + 45_000) / 60_000) * 60_000);
    const local = inZone(runAt);
    await panel.getByRole('button', { name: 'Schedule a change' }).click();
    const dialog = page.getByRole('dialog', { name: 'Schedule a change' });
    await dialog.getByRole('radio', { name: 'Publish the current draft' }).check();
    const dateInput = dialog.getByRole('combobox', { name: 'Date' });
    await dateInput.fill(local.day);
    await dateInput.press('Tab');
    const timeInput = dialog.getByRole('combobox', { name: 'Time' });
    await timeInput.fill(local.time);
    await timeInput.press('Tab');
    await dialog.getByLabel('Note').fill(PUBLISH_NOTE);
    const summary = dialog.getByTestId('run-at-summary');
    const utc = `${runAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    await summary.getByText(utc, { exact: false }).waitFor();
    expect(await summary.textContent()).toContain(TIME_ZONE);
    expect(await dialog.textContent()).toContain(`Your time zone: ${TIME_ZONE}`);
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    // Pending, with the time in both zones, the note, the author and what it would publish.
    const publishCard = panel.locator('li[data-status="pending"]', { hasText: PUBLISH_NOTE });
    await publishCard.waitFor();
    const cardText = (await publishCard.textContent()) ?? '';
    expect(cardText).toContain('Publish the draft');
    expect(cardText).toContain(TIME_ZONE);
    expect(cardText).toContain(utc);
    expect(cardText).toContain(ADMIN.name);
    const draftRow = publishCard.locator('tr[data-field="heroTitle"]');
    expect(await draftRow.locator('[data-side="after"]').textContent()).toBe(DRAFT_TITLE);
    expect(await draftRow.locator('[data-side="before"]').textContent()).toBe(liveBefore.heroTitle);

    // For the same minute, through the API: maintenance on, only if live is still this version.
    // The publish runs first and moves live on, so this one must be skipped, visibly.
    await api(
      'POST',
      '/platform-settings/schedules',
      {
        kind: 'patch',
        runAt: runAt.toISOString(),
        data: { maintenanceMode: true },
        ifVersion: liveBefore.version,
        note: 'Maintenance on, unless someone published',
      },
      asAdmin()
    );

    // A patch through the dialog, with the condition, then cancelled.
    await panel.getByRole('button', { name: 'Refresh the schedules' }).click();
    await panel.locator('li[data-status="pending"]').nth(1).waitFor();
    await panel.getByRole('button', { name: 'Schedule a change' }).click();
    await dialog.getByRole('radio', { name: /^Set some fields/ }).check();
    await dialog.getByRole('combobox', { name: 'Add a field to set' }).click();
    await page.getByRole('option', { name: 'Maintenance mode' }).click();
    await dialog.getByRole('checkbox', { name: 'Maintenance mode' }).check();
    await dialog.getByRole('combobox', { name: 'Add a field to set' }).click();
    await page.getByRole('option', { name: 'Accent colour' }).click();
    await dialog.getByRole('textbox', { name: 'Accent colour', exact: true }).fill('#FF5500');
    await dialog.getByRole('checkbox', { name: /^Only if live is still version/ }).check();
    await dialog.getByLabel('Note').fill(CANCELLED_NOTE);
    // Tomorrow, whatever time the picker proposes.
    const tomorrow = inZone(new Date(Date.now() + 24 * 3600_000));
    await dateInput.fill(tomorrow.day);
    await dateInput.press('Tab');
    await dialog.getByTestId('patch-diff').locator('tr[data-field="accentColor"]').waitFor();
    // Tall enough to show the whole dialog in one picture.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await noToasts();
    await screenshot('schedule-dialog');
    await page.setViewportSize({ width: 1280, height: 900 });
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    const patchCard = panel.locator('li[data-status="pending"]', { hasText: CANCELLED_NOTE });
    await patchCard.waitFor();
    expect(await patchCard.textContent()).toContain(
      `Only if live is still version ${liveBefore.version}`
    );
    expect(await patchCard.textContent()).toContain('Patch: Maintenance mode, Accent colour');
    await patchCard.locator('tr[data-field="maintenanceMode"]').waitFor();

    // The panel fits a 1280 px screen.
    const box = await panel.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1280);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      1280
    );
    await noToasts();
    await page.setViewportSize({ width: 1280, height: 1400 });
    await screenshot('schedules-panel');
    await page.setViewportSize({ width: 1280, height: 900 });

    await patchCard.getByRole('button', { name: /^Cancel the schedule of/ }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('button', { name: 'Cancel the schedule' }).click();
    await patchCard.waitFor({ state: 'detached' });
    const afterCancel = (await api('GET', '/platform-settings/schedules', undefined, asAdmin()))
      .data;
    expect(
      afterCancel.past.map((s: { note: string; status: string }) => [s.note, s.status])
    ).toContainEqual([CANCELLED_NOTE, 'cancelled']);

    // It happens: the panel notices and the history shows the new version, unprompted.
    const newRow = page.locator(`tr[data-version="${liveBefore.version + 1}"]`);
    await newRow.waitFor({ timeout: 150_000 });
    const seenAt = Date.now();
    expect(await newRow.textContent()).toContain(PUBLISH_NOTE);
    expect(await newRow.getByTestId('scheduled-marker').isVisible()).toBe(true);
    expect(await newRow.textContent()).toContain(ADMIN.name);
    expect(await newRow.getByText('Live', { exact: true }).isVisible()).toBe(true);

    // The stale patch: skipped, with the reason, under "Recently finished".
    const skipped = panel.locator('li[data-status="skipped"]');
    await skipped.waitFor();
    expect(await skipped.textContent()).toContain(
      `Skipped: live is no longer version ${liveBefore.version}`
    );
    const done = panel.locator('li[data-status="done"]', { hasText: PUBLISH_NOTE });
    await done.waitFor();
    await panel.getByText('Nothing scheduled.').waitFor();

    const live = (await api('GET', '/api/platform-settings')).data;
    expect(live).toMatchObject({
      version: liveBefore.version + 1,
      heroTitle: DRAFT_TITLE,
      maintenanceMode: false,
    });
    const { past } = (await api('GET', '/platform-settings/schedules', undefined, asAdmin())).data;
    const ran = past.find((s: { note: string }) => s.note === PUBLISH_NOTE);
    const lateMs = Date.parse(ran.ranAt) - Date.parse(ran.runAt);
    const timing = {
      runAt: ran.runAt,
      ranAt: ran.ranAt,
      ranAfterMs: lateMs,
      seenInAdminAfterMs: seenAt - Date.parse(ran.runAt),
      scheduleCheckMs: 1000,
    };
    console.log(`Scheduled publish: ${JSON.stringify(timing)}`);
    writeFileSync(
      path.join(ARTIFACTS_DIR, 'schedules-timing.json'),
      `${JSON.stringify(timing, null, 2)}\n`
    );
    expect(lateMs).toBeGreaterThanOrEqual(0);
    expect(lateMs).toBeLessThan(5_000);
    await screenshot('schedules-after-run');
  })
);
