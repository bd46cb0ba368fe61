/**
 * Live updates in the admin, in Chromium against the real app, without any reload or click:
 * two tabs on the history page; a schedule made in one tab (and one made through the API)
 * appears in the other; a pin made through the API shows; a version written over REST appears
 * at the top of the open history, also when it comes while the list is being fetched again for
 * another reason; a version of the home page written over Strapi's REST appears in its open
 * history. The settings' versions come over the public event stream; schedules, pins and other
 * types' versions over the admin's authenticated one (hooks/useLiveUpdates.ts); nothing polls.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../web/scripts/lib/browsers.cjs';
import { ARTIFACTS_DIR, buildAdminIfStale, startApp, type RunningApp } from './support/strapi-app';
import { dismissMediaLibraryBanner, jsonApi } from './support/admin-helpers';

const ADMIN = { email: 'live@example.com', password: 'E2e-password-1' };
const HISTORY_PATH = '/admin/plugins/platform-settings';

let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let first: Page;
let second: Page;
let adminToken: string;

const api = jsonApi(() => app.url);
const asAdmin = () => ({ Authorization: `Bearer ${adminToken}` });

beforeAll(async () => {
  browser = await launchChromium(); // first: a missing browser fails at once
  buildAdminIfStale();
  app = await startApp();
  const registered = await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Liv',
    lastname: 'Updates',
  });
  adminToken = registered.data.token;
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  first = await context.newPage();
  await first.goto(`${app.url}/admin/auth/login`);
  await first.locator('input[name="email"]').fill(ADMIN.email);
  await first.locator('input[name="password"]').fill(ADMIN.password);
  await first.getByRole('button', { name: 'Login' }).click();
  await first.waitForURL(/\/admin(\/)?$/);
  await dismissMediaLibraryBanner(first);
  // The second tab shares the session.
  second = await context.newPage();
  for (const page of [first, second]) {
    await page.goto(`${app.url}${HISTORY_PATH}`);
    await page.getByTestId('schedules-panel').getByText('Nothing scheduled.').waitFor();
  }
}, 600_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await app?.stop();
});

const onFailure = (run: () => Promise<void>) => async () => {
  try {
    await run();
  } catch (error) {
    await second
      .screenshot({ path: path.join(ARTIFACTS_DIR, 'live-updates-failure.png') })
      .catch(() => undefined);
    throw error;
  }
};

it(
  'a schedule made in one tab, and one made through the API, appear in the other tab',
  onFailure(async () => {
    const note = 'Made in the first tab';
    const panel = first.getByTestId('schedules-panel');
    await panel.getByRole('button', { name: 'Schedule a change' }).click();
    const dialog = first.getByRole('dialog', { name: 'Schedule a change' });
    await dialog.getByLabel('Note').fill(note);
    await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });

    const other = second.getByTestId('schedules-panel');
    await other.locator('li[data-status="pending"]', { hasText: note }).waitFor();

    const apiNote = 'Made through the API';
    await api(
      'POST',
      '/platform-settings/schedules',
      { kind: 'publish', runAt: new Date(Date.now() + 7200_000).toISOString(), note: apiNote },
      asAdmin()
    );
    await other.locator('li[data-status="pending"]', { hasText: apiNote }).waitFor();
    await first
      .getByTestId('schedules-panel')
      .locator('li[data-status="pending"]', { hasText: apiNote })
      .waitFor();
  })
);

it(
  'a pin made through the API shows on the open history page',
  onFailure(async () => {
    await api('POST', '/platform-settings/history/1/pin', { label: 'Known good' }, asAdmin());
    await second.locator('tr[data-version="1"]', { hasText: 'Known good' }).waitFor();
  })
);

it(
  'a version written over REST appears at the top of the open history',
  onFailure(async () => {
    const title = 'Written over REST while the page is open';
    const written = await api(
      'PUT',
      '/api/platform-settings',
      { data: { heroTitle: title } },
      { 'X-Founder-Key': app.founderKey }
    );
    const version = written.data.version as number;
    for (const page of [first, second]) {
      await page.locator(`tr[data-version="${version}"]`).waitFor();
      await page.getByText(`version ${version} is live`).waitFor();
    }
  })
);

it(
  'a version written while the open history is being fetched again still appears',
  onFailure(async () => {
    // The list's next answer is held in the browser: the server answers it now, before the write
    // below, and the page gets it only after it has heard of the new version on the stream. The
    // admin's data layer does not refetch a request in flight (RTK Query 1.9), so this is the
    // case services/live-version.ts exists for; under load it happened by itself.
    let answered!: () => void;
    const answeredBeforeWrite = new Promise<void>((resolve) => (answered = resolve));
    let deliver!: () => void;
    const delivery = new Promise<void>((resolve) => (deliver = resolve));
    await second.route(
      (url) => url.pathname.endsWith('/platform-settings/types/settings/history'),
      async (route) => {
        const response = await route.fetch();
        answered();
        await delivery;
        await route.fulfill({ response });
      },
      { times: 1 }
    );
    // A pin makes the open list fetch again (the admin stream's `pins`).
    await api(
      'POST',
      '/platform-settings/history/2/pin',
      { label: 'Pinned while open' },
      asAdmin()
    );
    await answeredBeforeWrite;

    // The stream's event also refreshes the schedules: their request says the page heard it.
    const heard = second.waitForRequest((request) =>
      new URL(request.url()).pathname.endsWith('/platform-settings/types/settings/schedules')
    );
    const written = await api(
      'PUT',
      '/api/platform-settings',
      { data: { heroTitle: 'Written while the list was in flight' } },
      { 'X-Founder-Key': app.founderKey }
    );
    const version = written.data.version as number;
    await heard;
    deliver();
    await second.locator(`tr[data-version="${version}"]`).waitFor();
    await second.getByText(`version ${version} is live`).waitFor();
  })
);

it(
  "another type's version written over Strapi's REST appears at the top of its open history",
  onFailure(async () => {
    await second.goto(`${app.url}${HISTORY_PATH}/types/home-page`);
    await second.locator('tr[data-version="1"]').waitFor();
    const token = await api(
      'POST',
      '/admin/api-tokens',
      { name: 'e2e-live-home-page', type: 'full-access', lifespan: null },
      asAdmin()
    );
    const written = await api(
      'PUT',
      '/api/home-page',
      { data: { seo: { title: 'Written while its history is open' } } },
      { Authorization: `Bearer ${token.data.accessKey}` }
    );
    const version = written.data.version as number;
    expect(version).toBeGreaterThan(1);
    // The admin stream's `versions`: the home page's public GET is not what the page listens to.
    await second.locator(`tr[data-version="${version}"]`).waitFor();
  })
);
