import type { PlatformSettings, PlatformSettingsResponse } from '../../src/settings/types';

/** A CMS answer deliberately different from the built-in defaults. */
export const apiSettings: PlatformSettings = {
  siteName: 'Nimbus Cloud',
  tagline: 'Config without the chaos',
  heroTitle: 'Ship every setting with confidence',
  heroSubtitle: 'Preview, publish and roll back in one click.',
  ctaLabel: 'Start free trial',
  ctaUrl: 'https://nimbus.example/trial',
  primaryColor: '#7C3AED',
  accentColor: '#F472B6',
  backgroundColor: '#0F0A1F',
  hero3dEnabled: true,
  hero3dDensity: 800,
  hero3dSpeed: 1.5,
  maintenanceMode: false,
};

export function apiBody(overrides: Partial<Record<keyof PlatformSettings, unknown>> = {}) {
  return {
    data: { version: 7, updatedAt: '2025-01-01T00:00:00.000Z', ...apiSettings, ...overrides },
    meta: {},
  } as unknown as PlatformSettingsResponse;
}

/** A fetch double answering like the CMS (or failing like a down one). */
export function fakeFetch(answer: { status?: number; body?: unknown } | Error): jest.Mock {
  return jest.fn(() => {
    if (answer instanceof Error) return Promise.reject(answer);
    const status = answer.status ?? 200;
    return Promise.resolve({
      ok: status >= 200 && status < 300,
      status,
      json: () => Promise.resolve(answer.body),
    } as Response);
  });
}

/** Makes `matchMedia('(prefers-reduced-motion: reduce)')` answer `reduce`. */
export function mockReducedMotion(reduce: boolean): void {
  Object.defineProperty(window, 'matchMedia', {
    configurable: true,
    writable: true,
    value: jest.fn((query: string) => ({
      matches: reduce && query.includes('prefers-reduced-motion'),
      media: query,
      addEventListener: jest.fn(),
      removeEventListener: jest.fn(),
    })),
  });
}
