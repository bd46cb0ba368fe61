/**
 * The editable fields are read from the live content-type schema rather than a
 * hard-coded list, so snapshots, diffs and restores follow schema changes.
 */
import type { Core } from '@strapi/strapi';
import { SERVER_MANAGED_FIELDS, SETTINGS_UID } from './constants';

export interface FieldSpec {
  name: string;
  type: string;
  required: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
  regex?: string;
  enum?: string[];
  default?: unknown;
}

const SCALAR_TYPES = new Set([
  'string',
  'text',
  'richtext',
  'email',
  'enumeration',
  'boolean',
  'integer',
  'biginteger',
  'decimal',
  'float',
  'json',
]);

const managed = new Set<string>(SERVER_MANAGED_FIELDS);

/** The editable fields among a content type's attributes (live model or declaration). */
export const fieldSpecsOf = (attributes: Record<string, Record<string, unknown>>): FieldSpec[] =>
  Object.entries(attributes)
    .filter(([name, attribute]) => !managed.has(name) && SCALAR_TYPES.has(attribute.type as string))
    .map(([name, attribute]) => ({
      name,
      type: attribute.type as string,
      required: attribute.required === true,
      minLength: attribute.minLength as number | undefined,
      maxLength: attribute.maxLength as number | undefined,
      min: attribute.min as number | undefined,
      max: attribute.max as number | undefined,
      regex: attribute.regex as string | undefined,
      enum: attribute.enum as string[] | undefined,
      default: attribute.default,
    }));

export const settingsFieldSpecs = (strapi: Core.Strapi): FieldSpec[] =>
  fieldSpecsOf(strapi.getModel(SETTINGS_UID).attributes as Record<string, Record<string, unknown>>);

export const editableFieldNames = (strapi: Core.Strapi): string[] =>
  settingsFieldSpecs(strapi).map((spec) => spec.name);

/** Decimal places of a `decimal` field: its column (decimal(10,2)) keeps no more. */
export const DECIMAL_PLACES = 2;
const DECIMAL_SCALE = 10 ** DECIMAL_PLACES;

/** Databases hand decimals back as strings on PostgreSQL; snapshots hold plain JSON values. */
export const normalizeValue = (
  spec: Pick<FieldSpec, 'type'> | undefined,
  value: unknown
): unknown => {
  if (value === undefined || value === null) return null;
  if (!spec) return value;
  switch (spec.type) {
    case 'decimal': {
      const number = typeof value === 'string' ? Number(value) : value;
      // What the column will read back, not a float a hair away from it (1.000000000001
      // passes the two-places check): otherwise the live row and its signed snapshot differ,
      // and the next write is refused as an edit behind the history.
      return typeof number === 'number'
        ? Math.round(number * DECIMAL_SCALE) / DECIMAL_SCALE
        : number;
    }
    case 'integer':
    case 'float':
      return typeof value === 'string' ? Number(value) : value;
    case 'boolean':
      return typeof value === 'number' ? value !== 0 : value;
    default:
      return value;
  }
};

/** Every editable field of a settings row, as plain JSON. */
export const snapshotOf = (
  strapi: Core.Strapi,
  row: Record<string, unknown>
): Record<string, unknown> => {
  const snapshot: Record<string, unknown> = {};
  for (const spec of settingsFieldSpecs(strapi)) {
    snapshot[spec.name] = normalizeValue(spec, row[spec.name]);
  }
  return snapshot;
};

export const valuesEqual = (a: unknown, b: unknown): boolean =>
  a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Names of the fields whose values differ, in schema order. */
export const changedFieldNames = (
  before: Record<string, unknown>,
  after: Record<string, unknown>
): string[] => Object.keys(after).filter((name) => !valuesEqual(before[name], after[name]));
