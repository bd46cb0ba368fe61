/**
 * The settings in zod, one rule per field, built from the content-type declaration
 * (the constraints Strapi enforces on every write path, so the API and the Content
 * Manager agree). The same objects validate requests (validation/settings.ts) and,
 * declared on the routes, describe them in docs/openapi.json.
 */
import { z } from 'zod';
import settingSchema, { CTA_URL_PATTERN, HEX_COLOR_PATTERN } from '../content-types/setting/schema';
import { MAX_NOTE_LENGTH } from '../utils/constants';
import { DECIMAL_PLACES, fieldSpecsOf, type FieldSpec } from '../utils/fields';

const PATTERN_MESSAGES: Record<string, string> = {
  [HEX_COLOR_PATTERN]: 'must be a colour in #RRGGBB form',
  [CTA_URL_PATTERN]: 'must be an http(s):// URL or a path starting with /',
};

// PostgreSQL cannot store it in text or JSON; everywhere else it only hides content.
const NUL = '\u0000';
const noNul = { error: 'must not contain the NUL character (\\u0000)' };
export const withoutNul = (value: string) => !value.includes(NUL);

// Strapi stores decimals as decimal(10, 2): more places would be rounded away silently.
const hasAtMostDecimalPlaces = (value: number) =>
  Math.abs(value * 10 ** DECIMAL_PLACES - Math.round(value * 10 ** DECIMAL_PLACES)) < 1e-9;

const stringRule = (spec: FieldSpec) => {
  let rule = z.string({ error: 'must be a string' }).refine(withoutNul, { ...noNul, abort: true });
  if (spec.required) {
    rule = rule.refine((value) => value.trim().length > 0, {
      error: 'must not be empty',
      abort: true,
    });
  }
  if (spec.minLength) {
    rule = rule.min(spec.minLength, { error: `must be at least ${spec.minLength} characters` });
  }
  if (spec.maxLength) {
    rule = rule.max(spec.maxLength, { error: `must be at most ${spec.maxLength} characters` });
  }
  if (spec.regex) {
    // Empty optional strings are allowed, as Strapi allows them.
    const pattern = spec.required ? spec.regex : `^$|${spec.regex}`;
    rule = rule.regex(new RegExp(pattern), {
      error: PATTERN_MESSAGES[spec.regex] ?? `must match ${spec.regex}`,
    });
  }
  return rule;
};

const numberRule = (spec: FieldSpec) => {
  let rule = z.number({ error: 'must be a number' });
  if (spec.type === 'integer' || spec.type === 'biginteger') {
    rule = rule.int({ error: 'must be a whole number', abort: true });
  }
  if (spec.type === 'decimal') {
    rule = rule
      .refine(hasAtMostDecimalPlaces, {
        error: `must have at most ${DECIMAL_PLACES} decimal places`,
      })
      .meta({ description: `At most ${DECIMAL_PLACES} decimal places.` });
  }
  if (spec.min !== undefined) rule = rule.min(spec.min, { error: `must be at least ${spec.min}` });
  if (spec.max !== undefined) rule = rule.max(spec.max, { error: `must be at most ${spec.max}` });
  return rule;
};

const fieldRule = (spec: FieldSpec): z.ZodType => {
  let rule: z.ZodType;
  switch (spec.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'email':
      rule = stringRule(spec);
      break;
    case 'enumeration':
      rule = z.enum((spec.enum ?? []) as [string, ...string[]], {
        error: `must be one of ${(spec.enum ?? []).join(', ')}`,
      });
      break;
    case 'integer':
    case 'biginteger':
    case 'decimal':
    case 'float':
      rule = numberRule(spec);
      break;
    case 'boolean':
      rule = z.boolean({ error: 'must be true or false' });
      break;
    default:
      rule = z.unknown();
  }
  return spec.required ? rule : rule.nullable();
};

const fieldSpecs = fieldSpecsOf(settingSchema.attributes);

/** Every editable field's rule, in schema order; optional fields may be null. */
export const fieldRules: Readonly<Record<string, z.ZodType>> = Object.fromEntries(
  fieldSpecs.map((spec) => [spec.name, fieldRule(spec)])
);

/** Names of the fields a client must never leave empty. */
export const requiredFields: readonly string[] = fieldSpecs
  .filter((spec) => spec.required)
  .map((spec) => spec.name);

export const versionNumber = z.number().int().min(1);

export const note = z
  .string({ error: 'must be a string' })
  .refine(withoutNul, noNul)
  .max(MAX_NOTE_LENGTH, { error: `must be at most ${MAX_NOTE_LENGTH} characters` })
  .nullable()
  .optional()
  .meta({ description: 'Why: kept with the version in the history.' });

/** Some fields to change; any other key (unknown or server-managed) is refused. */
export const settingsChanges = z
  .strictObject(
    Object.fromEntries(Object.entries(fieldRules).map(([name, rule]) => [name, rule.optional()])),
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? 'is not a settings field'
          : 'must be an object of settings fields',
    }
  )
  .refine((data) => Object.keys(data).length > 0, { error: 'must contain at least one field' })
  // What the refinement above checks, for the document.
  .meta({ minProperties: 1 });

export const updateSettingsBody = z.strictObject(
  { data: settingsChanges, note },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? 'is not allowed; send fields inside "data"'
        : 'must be a JSON object like { "data": { ... } }',
  }
);

/** The live settings as the API serves them. */
export const settings = z
  .object({
    version: versionNumber,
    updatedAt: z.iso.datetime({ offset: true }),
    ...fieldRules,
  })
  .meta({ id: 'Settings', description: 'The live settings: every field, and the version.' });

export const getSettingsResponse = z.object({ data: settings, meta: z.object({}) });

export const updateSettingsResponse = z.object({
  data: settings,
  meta: z.object({
    changed: z.boolean().meta({ description: 'False when the change changed nothing' }),
    changedFields: z.array(z.string()),
  }),
});
