import type { PlatformSettings } from './types';

/** What the page shows when the API is unreachable or a field is invalid. */
export const DEFAULT_SETTINGS: Readonly<PlatformSettings> = Object.freeze({
  siteName: 'Acme Platform',
  tagline: 'Settings that ship safely',
  heroTitle: 'Build on a platform you can trust',
  heroSubtitle: 'Every change versioned, every version restorable.',
  ctaLabel: 'Get started',
  ctaUrl: '/signup',
  primaryColor: '#4F46E5',
  accentColor: '#22D3EE',
  backgroundColor: '#0B1020',
  hero3dEnabled: true,
  hero3dDensity: 1200,
  hero3dSpeed: 1,
  maintenanceMode: false,
});
