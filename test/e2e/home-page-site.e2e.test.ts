/**
 * The home page's sections end to end, with nothing stubbed: the real app (production mode,
 * SQLite) seeding its home page on first start, the site's production build pointed at it,
 * Debian's Chromium. The sections render from the CMS's `GET /api/home-page` below the hero; once
 * an operator revokes the Public role's read (Users & Permissions, here through its admin API),
 * the CMS answers 403 and the page renders the hero alone, with nothing for visitors to see.
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
import { HOME_PAGE_LAUNCH_COPY } from '../../src/seed/home-page-launch-copy';
import { jsonApi } from './support/admin-helpers';
import { ROOT, startApp, type RunningApp } from './support/strapi-app';

jest.setTimeout(180_000);

const ADMIN = { email: 'home-page@example.com', password: 'E2e-password-1' };

let app: RunningApp;
let site: StaticServer;
let siteDir: string;
let browser: BrowserSession;
let page: DriverPage;

const api = jsonApi(() => app.url);

beforeAll(async () => {
  browser = await launchBrowser('chromium', { webgl: false }); // first: a missing browser fails at once
  const sitePort = await freePort();
  const siteOrigin = `http://127.0.0.1:${sitePort}`;
  app = await startApp({ env: { CORS_ORIGINS: siteOrigin } });
  siteDir = mkdtempSync(path.join(tmpdir(), 'home-page-site-'));
  const built = spawnSync(
    process.execPath,
    ['web/scripts/build.mjs', '--out-dir', siteDir, '--api-url', app.url],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VITE_ALLOW_SOFTWARE_WEBGL: '' } }
  );
  if (built.status !== 0) throw new Error(`site build failed:\n${built.stdout}${built.stderr}`);
  site = await startStaticServer({
    root: siteDir,
    port: sitePort,
    headScript: ERROR_CAPTURE_SCRIPT,
  });
}, 600_000);

afterAll(async () => {
  await page?.close();
  await browser?.close();
  await site?.close();
  if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  await app?.stop();
});

const waitForHomePage = (state: 'shown' | 'none') =>
  page.waitForFunction(
    (want: string) => document.querySelector('.site')?.getAttribute('data-home-page') === want,
    state,
    { timeout: 15_000 }
  );

const shown = () =>
  page.evaluate(() => ({
    hero: document.querySelector('h1')?.textContent ?? null,
    heroCta: document.querySelector('.hero a.cta')?.textContent ?? null,
    features: Array.from(document.querySelectorAll('.home-features li')).map((item) => ({
      title: item.querySelector('h2')?.textContent ?? null,
      text: item.querySelector('p')?.textContent ?? null,
      icon: item.getAttribute('data-icon'),
    })),
    closing: document.querySelector('.home-closing h2')?.textContent ?? null,
    closingLink: document.querySelector('.home-closing a')?.getAttribute('href') ?? null,
    title: document.title,
    description:
      document.querySelector('meta[name="description"]')?.getAttribute('content') ?? null,
  }));

it("renders the seeded home page's sections below the hero, from the real CMS", async () => {
  const settings = await api('GET', '/api/platform-settings');
  page = await browser.newPage();
  await page.goto(site.url);
  await waitForHomePage('shown');
  const { seo, features, closingCta } = HOME_PAGE_LAUNCH_COPY;
  expect(await shown()).toEqual({
    hero: settings.data.heroTitle,
    heroCta: settings.data.ctaLabel,
    features,
    closing: closingCta.heading,
    closingLink: closingCta.url,
    title: seo.title,
    description: seo.description,
  });
  // The one stream, asked for both documents (`?types=settings,home-page`), is open.
  await page.waitForFunction(
    () => document.querySelector('.site')?.getAttribute('data-live') === 'stream'
  );
  expect(await page.errors()).toEqual([]);
});

it('renders the hero alone once the Public role may no longer read the home page (403)', async () => {
  const { data } = await api('POST', '/admin/register-admin', {
    email: ADMIN.email,
    password: ADMIN.password,
    firstname: 'Opal',
    lastname: 'Operator',
  });
  const asAdmin = { Authorization: `Bearer ${data.token as string}` };
  const { roles } = await api('GET', '/users-permissions/roles', undefined, asAdmin);
  const publicRole = (roles as { id: number; type: string }[]).find((r) => r.type === 'public')!;
  const { role } = await api(
    'GET',
    `/users-permissions/roles/${publicRole.id}`,
    undefined,
    asAdmin
  );
  const homePage = role.permissions['api::home-page'].controllers['home-page'];
  expect(homePage.find.enabled).toBe(true); // the grant made on first start
  homePage.find.enabled = false;
  await api(
    'PUT',
    `/users-permissions/roles/${publicRole.id}`,
    { name: role.name, description: role.description, permissions: role.permissions },
    asAdmin
  );
  const refused = await fetch(`${app.url}/api/home-page`);
  expect(refused.status).toBe(403);

  await page.close();
  page = await browser.newPage(); // a fresh cache: the earlier 200 is not reused
  await page.goto(site.url);
  await waitForHomePage('none');
  // Nor does the stream bring it: a home page the public may not read is not sent there either.
  await page.waitForFunction(
    () => document.querySelector('.site')?.getAttribute('data-live') === 'stream'
  );
  const settings = await api('GET', '/api/platform-settings');
  expect(await shown()).toMatchObject({
    hero: settings.data.heroTitle,
    heroCta: settings.data.ctaLabel,
    features: [],
    closing: null,
    title: `${settings.data.siteName} · ${settings.data.tagline}`,
  });
  // Chromium's own report of the refused request; the page itself logs no error.
  const errors = await page.errors();
  expect(errors.filter((text) => !/Failed to load resource: .* 403/.test(text))).toEqual([]);
});
