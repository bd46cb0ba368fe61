/**
 * Real-browser tests: Debian's Chromium (via playwright-core) against the production build,
 * served locally, talking to a local stub of GET /api/platform-settings. No CMS needed.
 * Screenshots go to test-artifacts/web/; set UPDATE_DOCS_SCREENSHOTS=1 to refresh docs/ too.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Hero3DStats } from '../../src/diagnostics/hero3dDiagnostics';
import { launchChromium } from '../../scripts/lib/chromium.cjs';
import { axeViolations, closePages, openPage, paintAndResourceTimes } from './support/page';
import { ARTIFACTS_DIR, buildAndServe, REPO_ROOT, type BuiltSite } from './support/site';
import { STUB_SETTINGS, startStubApi, type StubApi } from './support/stubApi';

// Building, launching Chromium and software rendering are slow on small CI machines.
jest.setTimeout(120_000);

const LAZY_CHUNK = 'HeroBackground3D';

let api: StubApi;
let site: BuiltSite;

beforeAll(async () => {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  api = await startStubApi(); // port first, then build against it
  site = await buildAndServe(api.url);
}, 180_000);

afterEach(closePages);

afterAll(async () => {
  await site?.close();
  await api?.close();
});

async function screenshot(page: Page, name: string, docsName: string): Promise<void> {
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
    copyFileSync(file, path.join(REPO_ROOT, 'docs', docsName));
  }
}

async function expectHeroText(page: Page): Promise<void> {
  await page.waitForSelector('.hero__panel[aria-busy="false"]');
  expect((await page.textContent('h1'))?.trim()).toBe(STUB_SETTINGS.heroTitle);
  expect(await page.textContent('.hero__subtitle')).toBe(STUB_SETTINGS.heroSubtitle);
  const cta = page.getByRole('link', { name: STUB_SETTINGS.ctaLabel });
  expect(await cta.getAttribute('href')).toBe(STUB_SETTINGS.ctaUrl);
}

/** Keyboard reaches the CTA first, and its focus ring is drawn. */
async function expectKeyboardCta(page: Page): Promise<void> {
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return { text: el.textContent?.trim(), outline: style.outlineStyle, width: style.outlineWidth };
  });
  expect(focused.text).toBe(STUB_SETTINGS.ctaLabel);
  expect(focused.outline).toBe('solid');
  expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
  await page.keyboard.press('Shift+Tab');
}

it('does not preload the three.js chunk from index.html', () => {
  const html = readFileSync(path.join(site.outDir, 'index.html'), 'utf8');
  expect(html).toMatch(/assets\/index-[\w-]+\.js/);
  expect(html).not.toContain(LAZY_CHUNK);
});

describe('with WebGL (SwiftShader)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgl: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the 3D hero: a canvas that draws non-blank pixels, accessibly, without errors', async () => {
    const { page, errors } = await openPage(browser, `${site.url}/?webgl=force&diagnostics=1`);
    await expectHeroText(page);
    await page.waitForFunction(() => window.__hero3d?.stats().mounted === true, null, {
      timeout: 60_000,
    });

    const background = page.locator('[data-testid="hero-background"]');
    expect(await background.getAttribute('data-hero-mode')).toBe('3d');
    expect(await background.getAttribute('aria-hidden')).toBe('true');
    const canvas = page.locator('canvas.hero-bg__canvas');
    expect(await canvas.count()).toBe(1);
    expect(await canvas.evaluate((el) => getComputedStyle(el).pointerEvents)).toBe('none');
    // The canvas covers the hero and follows it when the window resizes.
    expect(await canvas.boundingBox()).toEqual(await background.boundingBox());
    await page.setViewportSize({ width: 900, height: 700 });
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLCanvasElement>('canvas.hero-bg__canvas');
      return el?.width === el?.parentElement?.clientWidth;
    });
    await page.setViewportSize({ width: 1280, height: 720 });
    expect(await page.evaluate(() => window.__hero3d!.drawnPixels())).toBeGreaterThan(1000);

    // The chunk with three.js was requested only after the hero text had painted.
    const times = await paintAndResourceTimes(page, LAZY_CHUNK);
    expect(times.fcp).not.toBeNull();
    expect(times.resourceStart).not.toBeNull();
    expect(times.resourceStart!).toBeGreaterThan(times.fcp!);

    await page.waitForTimeout(1200); // let the canvas fade in for the screenshot
    await screenshot(page, 'hero-webgl', 'web-hero-webgl.png');
    expect(await page.getByRole('button', { name: 'Pause animation' }).isVisible()).toBe(true);
    await expectKeyboardCta(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('pauses rendering with the control and remembers it across reloads', async () => {
    const frames = (page: Page) => page.evaluate(() => window.__hero3d!.stats().frames);
    const { page, errors } = await openPage(browser, `${site.url}/?webgl=force&diagnostics=1`);
    await page.getByRole('button', { name: 'Pause animation' }).click({ timeout: 60_000 });
    const pausedAt = await frames(page);
    await page.waitForTimeout(600);
    expect(await frames(page)).toBe(pausedAt); // no frame loop while paused

    await page.reload();
    const play = page.getByRole('button', { name: 'Play animation' });
    await play.waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => window.__hero3d?.stats().mounted === true);
    const stillFrames = await frames(page);
    await page.waitForTimeout(600);
    expect(await frames(page)).toBe(stillFrames); // a still frame, rendered on demand only

    await play.click();
    await page.waitForFunction((n) => window.__hero3d!.stats().frames > n + 3, stillFrames);
    expect(await page.evaluate(() => localStorage.getItem('hero-animation-paused'))).toBe('false');
    expect(errors).toEqual([]);
  });

  it('refuses the software renderer unless ?webgl=force (or the build flag) allows it', async () => {
    const { page, errors } = await openPage(browser, site.url);
    await expectHeroText(page);
    const background = page.locator('[data-hero-mode="fallback"]');
    await background.waitFor();
    expect(await background.getAttribute('data-fallback-reason')).toBe('no-webgl');
    expect(errors).toEqual([]);
  });

  it('mounting/unmounting the 3D hero 30 times leaks no WebGL context or GPU memory', async () => {
    const { page, errors } = await openPage(browser, `${site.url}/?webgl=force&diagnostics=1`);
    await page.waitForFunction(() => window.__hero3d?.stats().mounted === true, null, {
      timeout: 60_000,
    });
    const result = await page.evaluate(async () => {
      const hero = window.__hero3d!;
      const whileMounted: Hero3DStats[] = [];
      for (let i = 0; i < 30; i += 1) {
        await hero.unmount();
        whileMounted.push(await hero.mount());
      }
      const end = await hero.unmount();
      return { whileMounted, end, canvases: document.querySelectorAll('canvas').length };
    });

    expect(result.end.mounts).toBe(31);
    expect(result.end.unmounts).toBe(31);
    expect(result.end.mounted).toBe(false);
    expect(result.end.liveContexts).toBe(0);
    expect(result.end.lastDisposeMemory).toEqual({ geometries: 0, textures: 0 });
    expect(result.canvases).toBe(0);
    // Each mounted scene really held GPU resources and exactly one live context.
    for (const s of result.whileMounted) {
      expect(s.liveContexts).toBe(1);
      expect(s.memory?.geometries).toBeGreaterThan(0);
      expect(s.memory?.textures).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
  }, 240_000);
});

describe('without WebGL (--disable-webgl --disable-3d-apis)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium({ webgl: false });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the CSS fallback with the hero text, accessibly, without errors', async () => {
    const { page, errors } = await openPage(browser, `${site.url}/?webgl=force`);
    await expectHeroText(page);
    const background = page.locator('[data-hero-mode="fallback"]');
    await background.waitFor();
    expect(await background.getAttribute('data-fallback-reason')).toBe('no-webgl');
    const backgroundImage = await background.evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(backgroundImage).toContain('radial-gradient');
    expect(await page.locator('canvas').count()).toBe(0);
    // No WebGL, no three.js download.
    expect((await paintAndResourceTimes(page, LAZY_CHUNK)).resourceStart).toBeNull();
    // Static background: nothing to pause.
    expect(await page.getByRole('button', { name: /animation/i }).count()).toBe(0);

    await screenshot(page, 'hero-fallback', 'web-hero-fallback.png');
    await expectKeyboardCta(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('respects the API cache headers: a second visit within max-age is served from cache', async () => {
    const { page, errors } = await openPage(browser, site.url);
    await page.waitForSelector('.hero__panel[aria-busy="false"]');
    const hits = api.hits();
    await page.goto(`${site.url}/?again=1`);
    await page.waitForSelector('.hero__panel[aria-busy="false"]');
    expect((await page.textContent('h1'))?.trim()).toBe(STUB_SETTINGS.heroTitle);
    expect(api.hits()).toBe(hits);
    expect(errors).toEqual([]);
  });
});
