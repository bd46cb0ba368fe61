import { appendFileSync } from 'node:fs';
import type { Engine } from '../../../scripts/lib/browsers.cjs';

/** The engine this run tests: E2E_BROWSER=chromium|firefox|webkit (scripts/test.mjs sets it). */
export const ENGINE = (process.env.E2E_BROWSER ?? 'chromium') as Engine;
if (!['chromium', 'firefox', 'webkit'].includes(ENGINE)) {
  throw new Error(`E2E_BROWSER must be chromium, firefox or webkit, not "${ENGINE}"`);
}

/** The software WebGL each engine renders with on a machine without a GPU. */
export const SOFTWARE_WEBGL: Record<Engine, string> = {
  chromium: 'SwiftShader',
  firefox: 'Mesa llvmpipe on Xvfb',
  webkit: 'Mesa llvmpipe on Xvfb',
};

/**
 * A check this engine cannot make. It shows as a skipped test named with the reason, and
 * scripts/test.mjs lists it under LIMITATION at the end of the run: never counted as passed.
 */
export function itCannot(title: string, reason: string): void {
  const text = `${title} — NOT CHECKED in ${ENGINE}: ${reason}`;
  it.skip(text, () => undefined);
  if (process.env.TEST_LIMITATIONS_FILE) {
    appendFileSync(process.env.TEST_LIMITATIONS_FILE, `${text}\n`);
  }
}
