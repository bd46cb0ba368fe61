/** The 3D hero as the e2e tests see it, through the page's `?diagnostics=1` API (window.__hero3d). */
import type { DriverPage } from '../../../scripts/lib/browsers.cjs';
import { sleep } from './page';

/** Software WebGL can take a while to compile the scene's shaders on a small CI machine. */
export const waitForMounted = (page: DriverPage) =>
  page.waitForFunction(() => window.__hero3d?.stats().mounted === true, undefined, {
    timeout: 60_000,
  });

export const sceneStats = (page: DriverPage) => page.evaluate(() => window.__hero3d!.stats());

/**
 * Asserts the mounted scene runs no animation loop (paused, or a still frame on demand).
 * A paused scene may still redraw a couple of times just after `framesBefore` was read: a frame
 * already in flight when the pause landed (React applies it in an effect after its commit), and
 * a redraw for a resize (the toggle's new label or a notice can reflow the panel). Once that has
 * settled it must draw nothing for 600 ms, where a running loop draws ~5 frames even on the
 * slowest software renderer here (WebKit on llvmpipe) and ~30 elsewhere.
 */
export async function expectNoFrameLoop(page: DriverPage, framesBefore: number): Promise<void> {
  await sleep(500);
  const settled = (await sceneStats(page)).frames;
  expect(settled - framesBefore).toBeLessThanOrEqual(2);
  await sleep(600);
  expect((await sceneStats(page)).frames).toBe(settled);
}
