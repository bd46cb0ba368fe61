/**
 * Real-browser tests of the production build, served locally, talking to a local stub of
 * GET /api/platform-settings (no CMS needed). One suite for every engine: E2E_BROWSER picks
 * chromium (the default), firefox or webkit, launched by web/scripts/lib/browsers.cjs and driven
 * through its small driver interface. Screenshots go to test-artifacts/web/<engine>/; with
 * UPDATE_DOCS_SCREENSHOTS=1 the Chromium ones also refresh docs/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hero3DStats } from '../../src/diagnostics/hero3dDiagnostics';
import type { DriverPage } from '../../scripts/lib/browsers.cjs';
import { retryOnceIfBrowserHangs, useBrowser, withinDeadline } from './support/browser';
import { ENGINE, itCannot, SOFTWARE_WEBGL } from './support/engine';
import { expectNoFrameLoop, sceneStats, waitForMounted } from './support/hero3d';
import {
  axeViolations,
  closePages,
  openPage,
  paintAndResourceTimes,
  sleep,
  textOf,
} from './support/page';
import { ARTIFACTS_DIR, REPO_ROOT, startSiteAndApi, type BuiltSite } from './support/site';
import { STUB_SETTINGS, type StubApi } from './support/stubApi';

// Building, launching browsers and software rendering are slow on small CI machines.
jest.setTimeout(120_000);

const LAZY_CHUNK = 'HeroBackground3D';
/** JS heap growth allowed from the 10th to the 30th remount. Measured in Chromium: about 0.1 MB
 * as is; about 1.6 MB with one ResizeObserver (and so its whole scene) leaked per mount. */
const HEAP_GROWTH_LIMIT = 1_000_000;
const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, ENGINE);
/** Why an engine cannot force a GC and read the JS heap from a test. */
const NO_HEAP_API: Record<string, string> = {
  firefox: 'Firefox has no CDP, and WebDriver BiDi has no GC or heap command',
  webkit: 'classic WebDriver has no GC or heap command',
};

let api: StubApi;
let site: BuiltSite;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  ({ api, site } = await startSiteAndApi());
}, 180_000);

afterEach(closePages);

afterAll(async () => {
  await site?.close();
  await api?.close();
});

async function screenshot(page: DriverPage, name: string, docsName: string): Promise<void> {
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot(file);
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1' && ENGINE === 'chromium') {
    copyFileSync(file, path.join(REPO_ROOT, 'docs', docsName));
  }
}

const heroMode = (page: DriverPage) =>
  page.evaluate(() => {
    const el = document.querySelector('[data-testid="hero-background"]');
    return {
      mode: el?.getAttribute('data-hero-mode'),
      reason: el?.getAttribute('data-fallback-reason'),
    };
  });

const motionToggleText = (page: DriverPage) => textOf(page, '.motion-toggle');

async function expectHeroText(page: DriverPage): Promise<void> {
  await page.waitForSelector('.hero__panel[aria-busy="false"]');
  expect(await textOf(page, 'h1')).toBe(STUB_SETTINGS.heroTitle);
  expect(await textOf(page, '.hero__subtitle')).toBe(STUB_SETTINGS.heroSubtitle);
  const cta = await page.evaluate(() => {
    const link = document.querySelector('a.cta');
    return { text: link?.textContent?.trim(), href: link?.getAttribute('href') };
  });
  expect(cta).toEqual({ text: STUB_SETTINGS.ctaLabel, href: STUB_SETTINGS.ctaUrl });
}

/** Keyboard reaches the CTA first, and its focus ring is drawn. */
async function expectKeyboardCta(page: DriverPage): Promise<void> {
  await page.press('Tab');
  const focused = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const style = getComputedStyle(el);
    return { text: el.textContent?.trim(), outline: style.outlineStyle, width: style.outlineWidth };
  });
  expect(focused.text).toBe(STUB_SETTINGS.ctaLabel);
  expect(focused.outline).toBe('solid');
  expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
  await page.press('Shift+Tab');
}

it('does not preload the three.js chunk from index.html', () => {
  const html = readFileSync(path.join(site.outDir, 'index.html'), 'utf8');
  expect(html).toMatch(/assets\/index-[\w-]+\.js/);
  expect(html).not.toContain(LAZY_CHUNK);
});

describe(`hero [${ENGINE}] with WebGL (${SOFTWARE_WEBGL[ENGINE]})`, () => {
  const browser = useBrowser({ webgl: true });

  it('renders the 3D hero: a canvas that draws non-blank pixels, accessibly, without errors', async () => {
    const page = await openPage(browser(), `${site.url}/?webgl=force&diagnostics=1`);
    await expectHeroText(page);
    await waitForMounted(page);

    expect(await heroMode(page)).toEqual({ mode: '3d', reason: null });
    const layout = await page.evaluate(() => {
      const background = document.querySelector('[data-testid="hero-background"]')!;
      const canvases = document.querySelectorAll('canvas.hero-bg__canvas');
      const box = (el: Element) => {
        const { x, y, width, height } = el.getBoundingClientRect();
        return { x, y, width, height };
      };
      return {
        ariaHidden: background.getAttribute('aria-hidden'),
        canvases: canvases.length,
        pointerEvents: canvases[0] && getComputedStyle(canvases[0]).pointerEvents,
        canvasBox: canvases[0] && box(canvases[0]),
        backgroundBox: box(background),
      };
    });
    expect(layout.ariaHidden).toBe('true');
    expect(layout.canvases).toBe(1);
    expect(layout.pointerEvents).toBe('none');
    // The canvas covers the hero and follows it when the window resizes.
    expect(layout.canvasBox).toEqual(layout.backgroundBox);
    await page.setViewport({ width: 900, height: 700 });
    await page.waitForFunction(() => {
      const el = document.querySelector<HTMLCanvasElement>('canvas.hero-bg__canvas');
      return el?.width === el?.parentElement?.clientWidth;
    });
    await page.setViewport({ width: 1280, height: 720 });
    expect(await page.evaluate(() => window.__hero3d!.drawnPixels())).toBeGreaterThan(1000);

    // The chunk with three.js was requested only after the hero text had painted.
    const times = await paintAndResourceTimes(page, LAZY_CHUNK);
    expect(times.fcp).not.toBeNull();
    expect(times.resourceStart).not.toBeNull();
    expect(times.resourceStart!).toBeGreaterThan(times.fcp!);

    // Let the canvas fade in, and the scene draw again since the resizes (WebKit on llvmpipe
    // shows the background alone until then).
    const framesNow = (await sceneStats(page)).frames;
    await Promise.all([
      sleep(1200),
      page.waitForFunction((n: number) => window.__hero3d!.stats().frames > n + 10, framesNow),
    ]);
    await screenshot(page, 'hero-webgl', 'web-hero-webgl.png');
    expect(await motionToggleText(page)).toBe('Pause animation');
    await expectKeyboardCta(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.errors()).toEqual([]);
  });

  it('pauses rendering with the control and remembers it across reloads', async () => {
    const page = await openPage(browser(), `${site.url}/?webgl=force&diagnostics=1`);
    await waitForMounted(page);
    expect(await motionToggleText(page)).toBe('Pause animation');
    await page.click('.motion-toggle');
    await page.waitForFunction(
      () => document.querySelector('.motion-toggle')?.textContent === 'Play animation'
    );
    await expectNoFrameLoop(page, (await sceneStats(page)).frames);

    await page.reload();
    await waitForMounted(page);
    expect(await motionToggleText(page)).toBe('Play animation');
    const stillFrames = (await sceneStats(page)).frames;
    await expectNoFrameLoop(page, stillFrames); // a still frame, rendered on demand only

    await page.click('.motion-toggle');
    await page.waitForFunction((n: number) => window.__hero3d!.stats().frames > n + 3, stillFrames);
    expect(await page.evaluate(() => localStorage.getItem('hero-animation-paused'))).toBe('false');
    expect(await page.errors()).toEqual([]);
  });

  if (ENGINE === 'webkit') {
    itCannot(
      'refuses the software renderer unless ?webgl=force (or the build flag) allows it',
      'WebKit reports "Apple GPU" as the unmasked renderer of every WebGL context (anti-' +
        'fingerprinting) and creates one on llvmpipe despite failIfMajorPerformanceCaveat, so ' +
        'the page cannot tell software WebGL apart and runs the 3D hero on it'
    );
  } else {
    it('refuses the software renderer unless ?webgl=force (or the build flag) allows it', async () => {
      const page = await openPage(browser(), site.url);
      await expectHeroText(page);
      await page.waitForSelector('[data-hero-mode="fallback"]');
      expect(await heroMode(page)).toEqual({ mode: 'fallback', reason: 'no-webgl' });
      expect(await page.errors()).toEqual([]);
    });
  }

  it(`mounting/unmounting the 3D hero 30 times leaks no WebGL context or GPU memory${
    ENGINE === 'chromium' ? ', nor JS heap' : ''
  }`, async () => {
    // 30 unmount/mount cycles; the JS heap (where the engine can measure it) is compared between
    // cycle 10 and cycle 30, as the first cycles grow it by ~0.7 MB (JIT, inline caches) even
    // without a leak. About 10 s in every engine here.
    const remount = async () => {
      const page = await openPage(browser(), `${site.url}/?webgl=force&diagnostics=1`);
      await waitForMounted(page);
      const cycles = (n: number) =>
        page.evaluate(async (count: number) => {
          const hero = window.__hero3d!;
          const whileMounted: Hero3DStats[] = [];
          for (let i = 0; i < count; i += 1) {
            await hero.unmount();
            whileMounted.push(await hero.mount());
          }
          return whileMounted;
        }, n);
      const warmUp = await cycles(10);
      const heapBefore = await page.jsHeapUsed();
      const measured = await cycles(20);
      const result = await page.evaluate(async () => {
        const end = await window.__hero3d!.unmount();
        return { end, canvases: document.querySelectorAll('canvas').length };
      });
      const heapAfter = await page.jsHeapUsed();
      return { warmUp, measured, result, heapBefore, heapAfter, errors: await page.errors() };
    };
    const { warmUp, measured, result, heapBefore, heapAfter, errors } =
      await retryOnceIfBrowserHangs(browser, () =>
        withinDeadline(remount(), 100_000, '31 mount/unmount cycles of the 3D hero')
      );

    expect(heapBefore !== null).toBe(ENGINE === 'chromium'); // what the title and itCannot say
    expect(result.end.mounts).toBe(31);
    expect(result.end.unmounts).toBe(31);
    expect(result.end.mounted).toBe(false);
    expect(result.end.liveContexts).toBe(0);
    expect(result.end.lastDisposeMemory).toEqual({ geometries: 0, textures: 0 });
    expect(result.canvases).toBe(0);
    // Each mounted scene really held GPU resources and exactly one live context.
    for (const s of [...warmUp, ...measured]) {
      expect(s.liveContexts).toBe(1);
      expect(s.memory?.geometries).toBeGreaterThan(0);
      expect(s.memory?.textures).toBeGreaterThan(0);
    }
    if (heapBefore !== null) {
      console.log(
        `[${ENGINE}] JS heap after GC, cycle 10 → 30: ${heapBefore} → ${heapAfter} bytes`
      );
      expect(heapAfter! - heapBefore!).toBeLessThan(HEAP_GROWTH_LIMIT);
    }
    expect(errors).toEqual([]);
  }, 240_000);

  if (ENGINE !== 'chromium') {
    itCannot(
      'the JS heap after GC stays flat over the 30 mounts/unmounts',
      `${NO_HEAP_API[ENGINE]}; live WebGL contexts, canvases and three.js counters are checked instead`
    );
  }
});

describe(`hero [${ENGINE}] with reduced motion (WebGL available)`, () => {
  const browser = useBrowser({ webgl: true, reducedMotion: true });

  it('keeps the static CSS background: no 3D, no three.js download, nothing to pause', async () => {
    const page = await openPage(browser(), `${site.url}/?webgl=force`);
    await expectHeroText(page);
    await page.waitForSelector('[data-hero-mode="fallback"]');
    expect(await heroMode(page)).toEqual({ mode: 'fallback', reason: 'reduced-motion' });
    expect(await page.evaluate(() => document.querySelectorAll('canvas').length)).toBe(0);
    expect((await paintAndResourceTimes(page, LAZY_CHUNK)).resourceStart).toBeNull();
    expect(await motionToggleText(page)).toBeNull();
    expect(await page.errors()).toEqual([]);
  });
});

describe(`hero [${ENGINE}] without WebGL`, () => {
  const browser = useBrowser({ webgl: false });

  it('shows the CSS fallback with the hero text, accessibly, without errors', async () => {
    const page = await openPage(browser(), `${site.url}/?webgl=force`);
    await expectHeroText(page);
    await page.waitForSelector('[data-hero-mode="fallback"]');
    expect(await heroMode(page)).toEqual({ mode: 'fallback', reason: 'no-webgl' });
    const backgroundImage = await page.evaluate(
      () => getComputedStyle(document.querySelector('[data-hero-mode]')!).backgroundImage
    );
    expect(backgroundImage).toContain('radial-gradient');
    expect(await page.evaluate(() => document.querySelectorAll('canvas').length)).toBe(0);
    // No WebGL, no three.js download.
    expect((await paintAndResourceTimes(page, LAZY_CHUNK)).resourceStart).toBeNull();
    // Static background: nothing to pause.
    expect(await motionToggleText(page)).toBeNull();

    await screenshot(page, 'hero-fallback', 'web-hero-fallback.png');
    await expectKeyboardCta(page);
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.errors()).toEqual([]);
  });

  const cacheTitle =
    'respects the API cache headers: a second visit within max-age is served from cache';
  if (ENGINE === 'webkit') {
    itCannot(
      cacheTitle,
      "MiniBrowser's automation sessions are ephemeral (no disk HTTP cache), and WebKit does " +
        "not reuse a fetch() response from its memory cache on the next page (a page's <script> " +
        'is reused, its fetch() is not), so a second visit always asks the API again'
    );
  } else {
    it(cacheTitle, async () => {
      const page = await openPage(browser(), site.url);
      await page.waitForSelector('.hero__panel[aria-busy="false"]');
      // Full answers only: the live client may revalidate (If-None-Match → 304) when the
      // page becomes visible, which is not the settings load this is about.
      const fullAnswers = () => api.hits() - api.notModified();
      const before = fullAnswers();
      await page.goto(`${site.url}/?again=1`);
      await page.waitForSelector('.hero__panel[aria-busy="false"]');
      expect(await textOf(page, 'h1')).toBe(STUB_SETTINGS.heroTitle);
      expect(fullAnswers()).toBe(before);
      expect(await page.errors()).toEqual([]);
    });
  }
});
