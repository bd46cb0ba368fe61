import type { Browser } from 'playwright-core';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly Engine[];

/** Injected first into <head> of pages under test: records console/page errors for every engine. */
export const ERROR_CAPTURE_SCRIPT: string;

export interface LaunchOptions {
  /** WebGL on a software renderer (SwiftShader, Mesa llvmpipe); false: no WebGL at all. */
  webgl?: boolean;
  /** `prefers-reduced-motion: reduce` for every page of this browser. */
  reducedMotion?: boolean;
}

export interface Viewport {
  width: number;
  height: number;
}

export type Key = 'Tab' | 'Shift+Tab' | 'Enter' | 'Escape';

/** One tab with its own cache and storage. Functions passed to evaluate run in the page. */
export interface DriverPage {
  readonly engine: Engine;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  evaluate<R>(fn: () => R | Promise<R>): Promise<R>;
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  waitForFunction<A>(
    fn: (arg: A) => unknown,
    arg?: A,
    options?: { timeout?: number }
  ): Promise<unknown>;
  waitForSelector(selector: string, options?: { timeout?: number }): Promise<unknown>;
  click(selector: string, options?: { timeout?: number }): Promise<void>;
  fill(selector: string, value: string, options?: { timeout?: number }): Promise<void>;
  press(key: Key): Promise<void>;
  setViewport(size: Viewport): Promise<void>;
  screenshot(file: string): Promise<void>;
  /** console.error calls and uncaught errors since the page opened. */
  errors(): Promise<string[]>;
  /** Bytes of JS heap in use after a full GC; null where the engine cannot measure it. */
  jsHeapUsed(): Promise<number | null>;
  /**
   * Opens another window of the same visitor, at about:blank: it shares this page's cookies,
   * storage, HTTP cache, BroadcastChannels and Web Locks (a second tab of the site, but in its own
   * window, so both stay visible). Closing this page closes it too.
   */
  newWindow(): Promise<DriverPage>;
  close(): Promise<void>;
}

export interface BrowserSession {
  readonly engine: Engine;
  /** e.g. "Firefox 153.7.0esr". */
  readonly version: string;
  /** How it is driven, e.g. "WebDriver BiDi (puppeteer-core)". */
  readonly protocol: string;
  /** Defaults to a 1280×720 viewport. */
  newPage(options?: { viewport?: Viewport }): Promise<DriverPage>;
  /** Closes the browser and stops and removes everything its launch started or created. */
  close(): Promise<void>;
}

export function launchBrowser(engine: Engine, options?: LaunchOptions): Promise<BrowserSession>;

/** Why `engine` cannot run on this machine (naming the apt-get install command), or null. */
export function missingBrowser(engine: Engine): string | null;

/** Debian's Chromium as a playwright Browser, for tests written against playwright's API. */
export function launchChromium(options?: { webgl?: boolean }): Promise<Browser>;
