import { readFileSync } from 'node:fs';
import type { BrowserSession, DriverPage } from '../../../scripts/lib/browsers.cjs';

const openPages = new Set<DriverPage>();

/** Closes every page opened by openPage or openWindow (call in afterEach: a live 3D page eats
 * CPU), newest first, so a second window goes before the page that opened it. */
export async function closePages(): Promise<void> {
  for (const page of [...openPages].reverse()) await page.close();
  openPages.clear();
}

/** A fresh page (own cache and storage) at `url`; its errors are read with page.errors(). */
export async function openPage(browser: BrowserSession, url: string): Promise<DriverPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  openPages.add(page);
  await page.goto(url);
  return page;
}

/** A second window of the same visitor as `page` (shared storage, cache and Web Locks) at `url`. */
export async function openWindow(page: DriverPage, url: string): Promise<DriverPage> {
  const other = await page.newWindow();
  openPages.add(other);
  await other.goto(url);
  return other;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Trimmed text of the first element matching `selector`, or null. */
export const textOf = (page: DriverPage, selector: string) =>
  page.evaluate(
    (sel: string) => document.querySelector(sel)?.textContent?.trim() ?? null,
    selector
  );

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core in the page against WCAG 2.0/2.1 A and AA. */
export async function axeViolations(page: DriverPage): Promise<AxeViolation[]> {
  // A <script> element rather than eval'd source: axe registers itself on window either way.
  await page.evaluate((source: string) => {
    const script = document.createElement('script');
    script.textContent = source;
    document.head.appendChild(script);
  }, AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as { violations: AxeViolation[] };
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target }) => ({ target })),
    }));
  });
}

/** Milliseconds from navigation start to first contentful paint, and to a resource's request. */
export async function paintAndResourceTimes(
  page: DriverPage,
  resourcePart: string
): Promise<{ fcp: number | null; resourceStart: number | null }> {
  return page.evaluate((part: string) => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const resource = performance
      .getEntriesByType('resource')
      .find((entry) => entry.name.includes(part));
    return { fcp: fcp ? fcp.startTime : null, resourceStart: resource ? resource.startTime : null };
  }, resourcePart);
}
