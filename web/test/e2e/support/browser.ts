/** One browser per describe block, and what to do when an engine stops answering altogether. */
import { appendFileSync } from 'node:fs';
import {
  launchBrowser,
  type BrowserSession,
  type LaunchOptions,
} from '../../../scripts/lib/browsers.cjs';
import { ENGINE } from './engine';

export interface UsedBrowser {
  (): BrowserSession;
  /** Closes this browser (stopping its processes even if it hung) and launches a fresh one. */
  relaunch(): Promise<void>;
}

/** Launches a browser before the describe block's tests and closes it (with its Xvfb and
 * profile) after them. */
export function useBrowser(options: LaunchOptions): UsedBrowser {
  let browser: BrowserSession | undefined;
  const launch = async () => {
    browser = await launchBrowser(ENGINE, options);
    console.log(`[${ENGINE}] ${browser.version} via ${browser.protocol}`);
  };
  beforeAll(launch, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  const current = () => {
    if (!browser) throw new Error(`${ENGINE} was not launched`);
    return browser;
  };
  return Object.assign(current, {
    async relaunch() {
      await browser?.close();
      await launch();
    },
  });
}

/** The browser gave no answer at all in time: not a failed check, a hung engine. */
export class BrowserHang extends Error {}

/** `work`'s result, or BrowserHang once `ms` have passed without one. */
export async function withinDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BrowserHang(`${ENGINE} gave no answer within ${ms / 1000} s (${what})`)),
      ms
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `attempt` again, once, in a freshly launched browser when the first one hung (BrowserHang):
 * the page's own timeouts would have failed the check well before the deadline, so a hang means the
 * engine stopped, not that our code is slow. Seen in CI with WebKitGTK on llvmpipe during the 31
 * WebGL context create/release cycles (1 run in about 10); WebDriver cannot even time the script
 * out then. Printed, and listed as RETRIED at the end of `npm test`; any other failure fails at
 * once.
 */
export async function retryOnceIfBrowserHangs<T>(
  browser: UsedBrowser,
  attempt: () => Promise<T>
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof BrowserHang)) throw error;
    const line = `BROWSER HANG: ${error.message}; tried once more in a fresh browser`;
    console.log(`[${ENGINE}] ${line}`);
    // scripts/test.mjs lists these as RETRIED at the end of the run.
    if (process.env.TEST_RETRIES_FILE) appendFileSync(process.env.TEST_RETRIES_FILE, `${line}\n`);
    await browser.relaunch();
    return attempt();
  }
}
