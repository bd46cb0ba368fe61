import type { SettingsFields } from './contracts/settings';

/** What a fresh install starts with (version 1). */
export const DEFAULT_SETTINGS: SettingsFields = {
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
};
