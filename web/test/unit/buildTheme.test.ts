import fc from 'fast-check';
import { DEFAULT_SETTINGS } from '../../src/settings/defaults';
import type { HexColor } from '../../src/settings/types';
import { buildTheme } from '../../src/theme/buildTheme';
import { blend, contrastRatio, hexToRgb, rgbToHex, type Rgb } from '../../src/theme/contrast';

const AA = 4.5;
const hex = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255))
  .map(([r, g, b]) => rgbToHex([r, g, b]) as HexColor);

/** A random convex mix of the three theme colours: what any background pixel can be. */
function mix(colors: Rgb[], weights: number[]): Rgb {
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return [0, 1, 2].map((i) =>
    colors.reduce((sum, c, k) => sum + c[i]! * (weights[k]! / total), 0)
  ) as unknown as Rgb;
}

describe('contrast maths', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([255, 255, 255], [255, 255, 255])).toBe(1);
    expect(contrastRatio(hexToRgb('#777777'), [255, 255, 255])).toBeCloseTo(4.48, 2);
  });

  it('round-trips hex colours', () => {
    expect(rgbToHex(hexToRgb('#4F46E5'))).toBe('#4F46E5');
  });
});

describe('buildTheme', () => {
  it('keeps the default palette readable with a light scrim', () => {
    const theme = buildTheme({ ...DEFAULT_SETTINGS });
    expect(theme.text).toEqual([255, 255, 255]);
    expect(theme.scrim.alpha).toBeGreaterThan(0);
    expect(theme.scrim.alpha).toBeLessThan(0.75);
  });

  it('needs no scrim when every theme colour is dark', () => {
    const theme = buildTheme({
      ...DEFAULT_SETTINGS,
      backgroundColor: '#000000',
      primaryColor: '#1E1B4B',
      accentColor: '#172554',
    });
    expect(theme.scrim.alpha).toBe(0);
  });

  it('meets AA for hero text, footer and CTA whatever the colours', () => {
    fc.assert(
      fc.property(
        hex,
        hex,
        hex,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 3, maxLength: 3 }),
        (backgroundColor, primaryColor, accentColor, weights) => {
          const theme = buildTheme({
            ...DEFAULT_SETTINGS,
            backgroundColor,
            primaryColor,
            accentColor,
          });
          const pixel = mix([backgroundColor, primaryColor, accentColor].map(hexToRgb), weights);
          const underText = blend(pixel, theme.scrim.color, theme.scrim.alpha);
          expect(contrastRatio(theme.text, underText)).toBeGreaterThanOrEqual(AA);
          expect(contrastRatio(theme.ctaText, hexToRgb(primaryColor))).toBeGreaterThanOrEqual(AA);
          const onBg = theme.cssVars['--color-on-bg']?.match(/\d+/g)?.map(Number) as unknown as Rgb;
          expect(contrastRatio(onBg, hexToRgb(backgroundColor))).toBeGreaterThanOrEqual(AA);
        }
      ),
      { numRuns: 2000 }
    );
  });
});
