import type { SETTINGS_FIELDS } from './fields.generated';

/** A colour as the CMS stores it: `#RRGGBB`. */
export type HexColor = `#${string}`;

/** The public, visitor-facing settings the site renders (the API's `data` minus bookkeeping). */
export interface PlatformSettings {
  siteName: string;
  tagline: string;
  heroTitle: string;
  heroSubtitle: string;
  ctaLabel: string;
  /** `http(s)://…` or a site path starting with `/`. */
  ctaUrl: string;
  primaryColor: HexColor;
  accentColor: HexColor;
  backgroundColor: HexColor;
  hero3dEnabled: boolean;
  /** Number of particles, integer 0–5000. */
  hero3dDensity: number;
  /** Animation speed multiplier, 0–10 (0 = still). */
  hero3dSpeed: number;
  maintenanceMode: boolean;
}

/** Body of `GET /api/platform-settings` (200). */
export interface PlatformSettingsResponse {
  data: PlatformSettings & {
    version: string | number;
    updatedAt: string;
  };
  meta: Record<string, unknown>;
}

/** Where the settings on screen came from. */
export type SettingsSource = 'api' | 'defaults';

export type SettingsState =
  | { status: 'loading' }
  | {
      status: 'ready';
      settings: PlatformSettings;
      source: SettingsSource;
      /** Version on screen; null for the built-in defaults. */
      version: number | null;
      /** ETag of the first load, for live updates' conditional polls; null if none. */
      etag: string | null;
    };

/** Fails the typecheck when the schema's list of fields (fields.generated.ts) and this type disagree. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? true
  : never;
export const fieldsMatchSchema: SameKeys<PlatformSettings, typeof SETTINGS_FIELDS> = true;
