import type { PlatformSettings } from '../settings/types';
import { blend, contrastRatio, extremes, hexToRgb, type Rgb } from './contrast';

/** AA for normal text is 4.5:1; aim a little higher to absorb anti-aliasing and rounding. */
export const TARGET_CONTRAST = 4.7;

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];
const INK: Rgb = [11, 15, 26];

export interface Theme {
  /** Colour of all text over the hero background. */
  text: Rgb;
  /** Colour and opacity of the panel behind text; opacity 0 means no scrim is needed. */
  scrim: { color: Rgb; alpha: number };
  /** Label colour on the solid `primaryColor` CTA button. */
  ctaText: Rgb;
  /** CSS custom properties for the page root. */
  cssVars: Record<string, string>;
}

/**
 * Picks a text colour and the lightest scrim that keep text at AA contrast whatever the colours.
 * The hero background (CSS gradient or 3D scene) only ever shows mixes of the three theme colours,
 * so every pixel lies between their channel-wise darkest and lightest mix; checking those two
 * bounds covers every pixel.
 */
export function buildTheme(settings: PlatformSettings): Theme {
  const bg = hexToRgb(settings.backgroundColor);
  const primary = hexToRgb(settings.primaryColor);
  const accent = hexToRgb(settings.accentColor);
  const { lightest, darkest } = extremes([bg, primary, accent]);

  // Light text must survive the lightest pixel, dark text the darkest; keep the better one.
  const lightWorst = contrastRatio(WHITE, lightest);
  const darkWorst = contrastRatio(INK, darkest);
  const text = lightWorst >= darkWorst ? WHITE : INK;
  const worst = text === WHITE ? lightest : darkest;

  // A scrim in the site's own background colour looks best; use pure black/white only when the
  // background itself would not give enough contrast at full opacity.
  const scrimColor = contrastRatio(text, bg) >= 7 ? bg : text === WHITE ? BLACK : WHITE;
  const alpha = minimumScrimAlpha(text, worst, scrimColor);

  // Pure black or white: for any colour one of them reaches at least 4.58:1.
  const bestOn = (c: Rgb): Rgb =>
    contrastRatio(WHITE, c) >= contrastRatio(BLACK, c) ? WHITE : BLACK;
  const ctaText = bestOn(primary);

  const rgb = (c: Rgb) => c.map((v) => Math.round(v)).join(' ');
  return {
    text,
    scrim: { color: scrimColor, alpha },
    ctaText,
    cssVars: {
      '--color-bg': settings.backgroundColor,
      '--color-primary': settings.primaryColor,
      '--color-accent': settings.accentColor,
      '--color-text': `rgb(${rgb(text)})`,
      '--color-cta-text': `rgb(${rgb(ctaText)})`,
      '--color-on-bg': `rgb(${rgb(bestOn(bg))})`,
      '--scrim': `rgb(${rgb(scrimColor)} / ${alpha})`,
      // Controls need a solid-looking surface even when the text panel needs no scrim.
      '--scrim-strong': `rgb(${rgb(scrimColor)} / ${Math.max(alpha, 0.72)})`,
    },
  };
}

/** Smallest opacity (2 decimals, rounded up) at which `text` over the scrimmed `worst` passes. */
export function minimumScrimAlpha(text: Rgb, worst: Rgb, scrim: Rgb): number {
  if (contrastRatio(text, worst) >= TARGET_CONTRAST) return 0;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 20; i += 1) {
    const mid = (low + high) / 2;
    if (contrastRatio(text, blend(worst, scrim, mid)) >= TARGET_CONTRAST) high = mid;
    else low = mid;
  }
  return Math.min(1, Math.ceil(high * 100) / 100);
}
