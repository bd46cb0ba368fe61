import { DEFAULT_SETTINGS } from './defaults';
import { SETTINGS_FIELDS } from './fields.generated';
import type { HexColor, PlatformSettings } from './types';

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;
/** A colour field's check: the pattern the schema's list gives it (HEX_COLOR_PATTERN there). */
const matchesColor = (pattern: string) => {
  const regexp = new RegExp(pattern);
  return (v: unknown): v is HexColor => typeof v === 'string' && regexp.test(v);
};
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNumberIn =
  (min: number, max: number, integer = false) =>
  (v: unknown): v is number =>
    typeof v === 'number' &&
    Number.isFinite(v) &&
    v >= min &&
    v <= max &&
    (!integer || Number.isInteger(v));

/**
 * Only absolute http(s) URLs or site paths. Rejects `javascript:` and protocol-relative `//host`
 * so a bad value in the CMS can never turn the CTA into a script or an off-site redirect.
 */
export function isSafeCtaUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  if (v.startsWith('/')) return !v.startsWith('//') && !v.startsWith('/\\');
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

type FieldRules = (typeof SETTINGS_FIELDS)[keyof typeof SETTINGS_FIELDS];

/** The check for each field, from the schema's list (fields.generated.ts): its kind and range. */
const validatorFor = (name: string, field: FieldRules): ((v: unknown) => boolean) => {
  if (name === 'ctaUrl') return isSafeCtaUrl;
  switch (field.type) {
    case 'boolean':
      return isBool;
    case 'integer':
    case 'decimal':
      return isNumberIn(field.min, field.max, field.type === 'integer');
    default:
      return 'color' in field && field.color ? matchesColor(field.regex) : isText;
  }
};

const VALIDATORS = Object.fromEntries(
  Object.entries(SETTINGS_FIELDS).map(([name, field]) => [name, validatorFor(name, field)])
) as { [K in keyof PlatformSettings]: (v: unknown) => boolean };

export interface ParsedSettings {
  settings: PlatformSettings;
  /** Fields that were missing or invalid and were replaced by defaults. */
  invalid: (keyof PlatformSettings)[];
}

/**
 * Turns an untrusted API body into settings the page can render. Never throws: a field that is
 * missing or fails its check falls back to its default, so one bad value cannot break the page.
 */
export function parseSettingsBody(body: unknown): ParsedSettings | null {
  if (typeof body !== 'object' || body === null) return null;
  const data = (body as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;

  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  const invalid: (keyof PlatformSettings)[] = [];
  for (const key of Object.keys(VALIDATORS) as (keyof PlatformSettings)[]) {
    const value = record[key];
    if (VALIDATORS[key](value)) settings[key] = value;
    else invalid.push(key);
  }
  return { settings: settings as unknown as PlatformSettings, invalid };
}

/**
 * The version a settings body carries (`data.version`, a positive integer; a numeric string is
 * accepted too), or null. Live updates use it to apply only settings newer than those on screen.
 */
export function readSettingsVersion(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const data = (body as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const raw = (data as { version?: unknown }).version;
  const version = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof version === 'number' && Number.isSafeInteger(version) && version >= 0
    ? version
    : null;
}
