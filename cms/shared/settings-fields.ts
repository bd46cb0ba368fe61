/**
 * The settings' fields, listed once: each field's type, rules, default, and the
 * label, help text and group the founder sees. The content type, the API's
 * types and validation, the defaults, the admin's labels and the Content
 * Manager's form layout are all derived from this list, and the web app gets a
 * generated copy of it (`npm run fields` writes web/src/settings/fields.generated.ts).
 * Adding a field means adding it here.
 */

export const HEX_COLOR_PATTERN = '^#[0-9A-Fa-f]{6}$';
const HEX_COLOR = new RegExp(HEX_COLOR_PATTERN);
/** A colour as the settings hold it: `#RRGGBB`, either case. */
export const isHexColor = (value: unknown): boolean =>
  typeof value === 'string' && HEX_COLOR.test(value);

// An absolute http(s) URL, or a site path that is not protocol-relative ("//host").
export const CTA_URL_PATTERN = '^(https?://[^\\s/?#]+[^\\s]*|/(?!/)[^\\s]*)$';

export const FIELD_GROUPS = [
  { id: 'brand', label: 'Brand' },
  { id: 'hero', label: 'Hero copy' },
  { id: 'cta', label: 'Call to action' },
  { id: 'hero3d', label: '3D hero' },
  { id: 'operations', label: 'Operations' },
] as const;

export type FieldGroup = (typeof FIELD_GROUPS)[number]['id'];

interface FieldBase {
  label: string;
  help: string;
  group: FieldGroup;
}

export type FieldDefinition = FieldBase &
  (
    | {
        type: 'string' | 'text';
        default: string | null;
        required?: boolean;
        minLength?: number;
        maxLength?: number;
        regex?: string;
        color?: boolean;
      }
    | { type: 'boolean'; default: boolean }
    | { type: 'integer' | 'decimal'; default: number; min: number; max: number }
  );

export const SETTINGS_FIELDS = {
  siteName: {
    type: 'string',
    label: 'Site name',
    help: 'Shown in the browser tab and wherever the site names itself.',
    group: 'brand',
    required: true,
    minLength: 1,
    maxLength: 120,
    default: 'Acme Platform',
  },
  tagline: {
    type: 'string',
    label: 'Tagline',
    help: 'One short line under the site name.',
    group: 'brand',
    maxLength: 240,
    default: 'Settings that ship safely',
  },
  heroTitle: {
    type: 'string',
    label: 'Hero title',
    help: 'The big headline visitors see first.',
    group: 'hero',
    required: true,
    minLength: 1,
    maxLength: 120,
    default: 'Build on a platform you can trust',
  },
  heroSubtitle: {
    type: 'text',
    label: 'Hero subtitle',
    help: 'A sentence or two under the headline.',
    group: 'hero',
    maxLength: 400,
    default: 'Every change versioned, every version restorable.',
  },
  ctaLabel: {
    type: 'string',
    label: 'Button label',
    help: 'The words on the call-to-action button.',
    group: 'cta',
    maxLength: 60,
    default: 'Get started',
  },
  ctaUrl: {
    type: 'string',
    label: 'Button link',
    help: 'Where the button goes: a full http(s):// address, or a page of the site like /signup.',
    group: 'cta',
    maxLength: 2048,
    regex: CTA_URL_PATTERN,
    default: '/signup',
  },
  primaryColor: {
    type: 'string',
    label: 'Primary colour',
    help: 'Buttons and highlights, as #RRGGBB.',
    group: 'brand',
    regex: HEX_COLOR_PATTERN,
    color: true,
    default: '#4F46E5',
  },
  accentColor: {
    type: 'string',
    label: 'Accent colour',
    help: 'Secondary highlights and the 3D particles, as #RRGGBB.',
    group: 'brand',
    regex: HEX_COLOR_PATTERN,
    color: true,
    default: '#22D3EE',
  },
  backgroundColor: {
    type: 'string',
    label: 'Background colour',
    help: 'The page background behind the hero, as #RRGGBB.',
    group: 'brand',
    regex: HEX_COLOR_PATTERN,
    color: true,
    default: '#0B1020',
  },
  hero3dEnabled: {
    type: 'boolean',
    label: '3D background',
    help: 'The animated particle field behind the hero (visitors without WebGL see a gradient).',
    group: 'hero3d',
    default: true,
  },
  hero3dDensity: {
    type: 'integer',
    label: 'Particle count',
    help: 'How many particles, 0 to 5000. More looks richer and costs slower devices more.',
    group: 'hero3d',
    min: 0,
    max: 5000,
    default: 1200,
  },
  hero3dSpeed: {
    type: 'decimal',
    label: 'Animation speed',
    help: '0 (still) to 10, two decimals at most; 1 is the designed pace.',
    group: 'hero3d',
    min: 0,
    max: 10,
    default: 1,
  },
  maintenanceMode: {
    type: 'boolean',
    label: 'Maintenance mode',
    help: 'Replaces the button with a maintenance notice for every visitor, at once.',
    group: 'operations',
    default: false,
  },
} as const satisfies Record<string, FieldDefinition>;

export type SettingsFieldName = keyof typeof SETTINGS_FIELDS;

type ValueOf<F> = F extends { type: 'boolean' }
  ? boolean
  : F extends { type: 'integer' | 'decimal' }
    ? number
    : F extends { required: true }
      ? string
      : string | null;

/** Every field an editor or a script may change, with its value type. */
export type SettingsFieldValues = {
  -readonly [K in SettingsFieldName]: ValueOf<(typeof SETTINGS_FIELDS)[K]>;
};

export const SETTINGS_FIELD_NAMES = Object.keys(SETTINGS_FIELDS) as SettingsFieldName[];

/** What a fresh install starts with (version 1). */
export const DEFAULT_SETTINGS = Object.fromEntries(
  SETTINGS_FIELD_NAMES.map((name) => [name, SETTINGS_FIELDS[name].default])
) as SettingsFieldValues;

export const fieldDefinition = (name: string): FieldDefinition | undefined =>
  (SETTINGS_FIELDS as Record<string, FieldDefinition>)[name];
