/**
 * The home page's sections below the hero in real browsers: the production build against the stub
 * API (support/stubApi.ts), which serves `GET /api/home-page` as the CMS's fast path does and
 * pushes `home-page` events on the one stream. One suite for every engine (E2E_BROWSER). The same
 * against the real CMS: test/e2e/home-page-site.e2e.test.ts at the repository root.
 */
import type { DriverPage } from '../../scripts/lib/browsers.cjs';
import { useBrowser } from './support/browser';
import { ENGINE } from './support/engine';
import { axeViolations, closePages, openPage, textOf } from './support/page';
import { startSiteAndApi, type BuiltSite } from './support/site';
import { STUB_HOME_PAGE, STUB_SETTINGS, type StubApi } from './support/stubApi';

jest.setTimeout(120_000);

/** The brief's promise for live changes: on screen this soon, without a reload. */
const LIVE_WITHIN_MS = 2000;

let api: StubApi;
let site: BuiltSite;

beforeAll(async () => {
  ({ api, site } = await startSiteAndApi());
}, 180_000);

afterEach(async () => {
  await closePages();
  api.reset();
});

afterAll(async () => {
  await site?.close();
  await api?.close();
});

const homePageState = (page: DriverPage) =>
  page.evaluate(() => document.querySelector('.site')?.getAttribute('data-home-page') ?? null);

const waitForHomePage = (page: DriverPage, state: 'shown' | 'none') =>
  page.waitForFunction(
    (want: string) => document.querySelector('.site')?.getAttribute('data-home-page') === want,
    state
  );

/** Each feature's title, text and icon, and the closing section, as the page shows them. */
const sections = (page: DriverPage) =>
  page.evaluate(() => {
    const items = Array.from(document.querySelectorAll('.home-features li'));
    const closing = document.querySelector('.home-closing');
    const link = closing?.querySelector('a');
    return {
      features: items.map((item) => ({
        title: item.querySelector('h2')?.textContent ?? null,
        text: item.querySelector('p')?.textContent ?? null,
        icon: item.getAttribute('data-icon'),
        drawn: item.querySelector('svg path') !== null,
      })),
      closing: closing
        ? {
            heading: closing.querySelector('h2')?.textContent ?? null,
            label: link?.textContent ?? null,
            href: link?.getAttribute('href') ?? null,
          }
        : null,
    };
  });

describe(`home page [${ENGINE}]`, () => {
  const browser = useBrowser({ webgl: false });

  it('renders the features and the closing call to action below the hero, accessibly', async () => {
    const page = await openPage(browser(), site.url);
    await page.waitForSelector('.hero__panel[aria-busy="false"]');
    await waitForHomePage(page, 'shown');
    expect(await textOf(page, 'h1')).toBe(STUB_SETTINGS.heroTitle);
    expect(await sections(page)).toEqual({
      features: STUB_HOME_PAGE.features.map(({ title, text, icon }) => ({
        title,
        text,
        icon,
        drawn: true,
      })),
      closing: {
        heading: STUB_HOME_PAGE.closingCta.heading,
        label: STUB_HOME_PAGE.closingCta.label,
        href: STUB_HOME_PAGE.closingCta.url,
      },
    });
    const layout = await page.evaluate(() => {
      const hero = document.querySelector('.hero')!.getBoundingClientRect();
      const home = document.querySelector('.home')!.getBoundingClientRect();
      return {
        below: home.top >= hero.bottom - 1,
        headings: Array.from(document.querySelectorAll('h1, h2, h3')).map((h) => h.tagName),
        title: document.title,
        description: document.querySelector('meta[name="description"]')?.getAttribute('content'),
      };
    });
    expect(layout.below).toBe(true);
    expect(layout.headings).toEqual(['H1', 'H2', 'H2', 'H2', 'H2']);
    expect(layout.title).toBe(STUB_HOME_PAGE.seo.title);
    expect(layout.description).toBe(STUB_HOME_PAGE.seo.description);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.errors()).toEqual([]);
  });

  it('renders the hero alone when the home page answers 500, with no error for visitors', async () => {
    api.failHomePage(500);
    const page = await openPage(browser(), site.url);
    await page.waitForSelector('.hero__panel[aria-busy="false"]');
    await waitForHomePage(page, 'none');
    // Still nothing once the stream is open too.
    await page.waitForFunction(
      () => document.querySelector('.site')?.getAttribute('data-live') === 'stream'
    );
    expect(await textOf(page, 'h1')).toBe(STUB_SETTINGS.heroTitle);
    expect(await textOf(page, 'a.cta')).toBe(STUB_SETTINGS.ctaLabel);
    expect(await page.evaluate(() => document.querySelector('.home'))).toBeNull();
    expect(await page.evaluate(() => document.title)).toBe(
      `${STUB_SETTINGS.siteName} · ${STUB_SETTINGS.tagline}`
    );
    expect(await axeViolations(page)).toEqual([]);
    // The only error is the browser's own report of the failed request (Chromium: "Failed to
    // load resource: … 500"); the page logs none (its warning is a console.warn).
    const errors = await page.errors();
    console.log(`[${ENGINE}] errors logged for the failing home page: ${JSON.stringify(errors)}`);
    expect(
      errors.filter((text) => !/Failed to load resource: .* 500|\/api\/home-page/.test(text))
    ).toEqual([]);
  });

  it('replaces the sections live from the one stream, without a reload', async () => {
    const page = await openPage(browser(), site.url);
    await waitForHomePage(page, 'shown');
    await page.waitForFunction(
      () => document.querySelector('.site')?.getAttribute('data-live') === 'stream'
    );
    await page.evaluate(() => void ((window as unknown as { __marked: boolean }).__marked = true));
    const started = Date.now();
    api.publishHomePage({
      features: [{ title: 'Pushed live', text: 'From the stream.', icon: 'shield' }],
      closingCta: { heading: 'Still here?', label: 'Write to us', url: 'https://example.com/' },
    });
    await page.waitForFunction(
      () => document.querySelector('.home-features h2')?.textContent === 'Pushed live',
      undefined,
      { timeout: LIVE_WITHIN_MS }
    );
    console.log(`[${ENGINE}] home page pushed → on screen in ${Date.now() - started} ms`);
    expect(await sections(page)).toEqual({
      features: [{ title: 'Pushed live', text: 'From the stream.', icon: 'shield', drawn: true }],
      closing: { heading: 'Still here?', label: 'Write to us', href: 'https://example.com/' },
    });
    expect(await homePageState(page)).toBe('shown');
    // One stream carries both documents.
    expect(api.streams()).toMatchObject({ open: 1, opened: 1 });
    expect(
      await page.evaluate(() => (window as unknown as { __marked?: boolean }).__marked === true)
    ).toBe(true);
    expect(await page.errors()).toEqual([]);
  });
});
