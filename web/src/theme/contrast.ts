/** WCAG 2.x colour maths on `#RRGGBB` colours. */

export type Rgb = readonly [number, number, number];

export function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1, 7), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

export function rgbToHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`.toUpperCase();
}

function channelToLinear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * channelToLinear(r) + 0.7152 * channelToLinear(g) + 0.0722 * channelToLinear(b);
}

/** WCAG contrast ratio, 1 … 21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** `from` covered by `over` at opacity `alpha` (what a scrim does to the pixels beneath it). */
export function blend(from: Rgb, over: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((i) => from[i]! * (1 - alpha) + over[i]! * alpha) as unknown as Rgb;
}

/** Channel-wise lightest and darkest colours that any mix of `colors` can produce. */
export function extremes(colors: readonly Rgb[]): { lightest: Rgb; darkest: Rgb } {
  const pick = (fn: (...n: number[]) => number) =>
    [0, 1, 2].map((i) => fn(...colors.map((c) => c[i]!))) as unknown as Rgb;
  return { lightest: pick(Math.max), darkest: pick(Math.min) };
}
