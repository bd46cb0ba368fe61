/**
 * Request validation for the REST API. The rules are built from the live
 * content-type schema (the same constraints Strapi enforces on every write
 * path), so the API and the Content Manager can never disagree, and every
 * offending field is reported at once with its path and reason.
 */
import { z } from 'zod';
import type { Core } from '@strapi/strapi';
import { MAX_NOTE_LENGTH, SERVER_MANAGED_FIELDS } from '../utils/constants';
import { fieldError, type FieldError, unprocessable } from '../utils/errors';
import { settingsFieldSpecs, type FieldSpec } from '../utils/fields';
import { CTA_URL_PATTERN, HEX_COLOR_PATTERN } from '../content-types/setting/schema';

const PATTERN_MESSAGES: Record<string, string> = {
  [HEX_COLOR_PATTERN]: 'must be a colour in #RRGGBB form',
  [CTA_URL_PATTERN]: 'must be an http(s):// URL or a path starting with /',
};

// PostgreSQL cannot store it in text or JSON; everywhere else it only hides content.
const NUL = '\u0000';
const noNul = { error: 'must not contain the NUL character (\\u0000)' };
export const withoutNul = (value: string) => !value.includes(NUL);

// Strapi stores decimals as decimal(10, 2): more places would be rounded away silently.
const DECIMAL_PLACES = 2;
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
    const pattern = new RegExp(spec.regex);
    const message = PATTERN_MESSAGES[spec.regex] ?? `must match ${spec.regex}`;
    // Empty optional strings are allowed, as Strapi allows them.
    rule = rule.refine((value) => (value === '' && !spec.required) || pattern.test(value), {
      error: message,
    });
  }
  return rule;
};

const numberRule = (spec: FieldSpec) => {
  let rule = z
    .number({ error: 'must be a number' })
    .refine(Number.isFinite, { error: 'must be a finite number' });
  if (spec.type === 'integer' || spec.type === 'biginteger') {
    rule = rule.refine(Number.isInteger, { error: 'must be a whole number' });
  }
  if (spec.type === 'decimal') {
    rule = rule.refine(hasAtMostDecimalPlaces, {
      error: `must have at most ${DECIMAL_PLACES} decimal places`,
    });
  }
  if (spec.min !== undefined)
    rule = rule.refine((value) => value >= spec.min!, { error: `must be at least ${spec.min}` });
  if (spec.max !== undefined)
    rule = rule.refine((value) => value <= spec.max!, { error: `must be at most ${spec.max}` });
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

const toFieldErrors = (issues: z.core.$ZodIssue[], prefix: string[]): FieldError[] =>
  issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)],
    message: issue.message,
    name: 'ValidationError',
  }));

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const managed = new Set<string>(SERVER_MANAGED_FIELDS);

const noteRule = z
  .string({ error: 'must be a string' })
  .refine(withoutNul, noNul)
  .max(MAX_NOTE_LENGTH, { error: `must be at most ${MAX_NOTE_LENGTH} characters` })
  .nullable()
  .optional();

/** Field values checked one by one; unknown and server-managed fields are errors. */
export const checkSettingsData = (
  strapi: Core.Strapi,
  data: Record<string, unknown>,
  prefix: string[]
): FieldError[] => {
  const specs = new Map(settingsFieldSpecs(strapi).map((spec) => [spec.name, spec]));
  const fieldErrors: FieldError[] = [];
  for (const [name, value] of Object.entries(data)) {
    const spec = specs.get(name);
    if (managed.has(name)) {
      fieldErrors.push({
        ...fieldError(name, 'is managed by the server and cannot be set'),
        path: [...prefix, name],
      });
    } else if (!spec) {
      fieldErrors.push({ ...fieldError(name, 'is not a settings field'), path: [...prefix, name] });
    } else {
      const parsed = fieldRule(spec).safeParse(value);
      if (!parsed.success)
        fieldErrors.push(...toFieldErrors(parsed.error.issues, [...prefix, name]));
    }
  }
  return fieldErrors;
};

/** Required fields must hold a value in the settings that would result. */
export const checkComplete = (
  strapi: Core.Strapi,
  merged: Record<string, unknown>,
  prefix: string[]
): FieldError[] =>
  settingsFieldSpecs(strapi)
    .filter(
      (spec) => spec.required && (merged[spec.name] === null || merged[spec.name] === undefined)
    )
    .map((spec) => ({ ...fieldError(spec.name, 'is required'), path: [...prefix, spec.name] }));

export interface UpdateInput {
  data: Record<string, unknown>;
  note: string | null;
}

/** `{ data: { …some fields }, note? }` — anything else is a 422 naming each problem. */
export const parseUpdateBody = (strapi: Core.Strapi, body: unknown): UpdateInput => {
  if (!isPlainObject(body)) {
    throw unprocessable('The body must be a JSON object like { "data": { ... } }', [
      fieldError('data', 'is required'),
    ]);
  }
  const fieldErrors: FieldError[] = [];
  for (const key of Object.keys(body)) {
    if (key !== 'data' && key !== 'note')
      fieldErrors.push(fieldError(key, 'is not allowed; send fields inside "data"'));
  }
  const { data, note } = body;
  if (!isPlainObject(data)) {
    fieldErrors.push(fieldError('data', 'must be an object of settings fields'));
  } else {
    if (Object.keys(data).length === 0)
      fieldErrors.push(fieldError('data', 'must contain at least one field'));
    fieldErrors.push(...checkSettingsData(strapi, data, ['data']));
  }
  const parsedNote = noteRule.safeParse(note);
  if (!parsedNote.success) fieldErrors.push(...toFieldErrors(parsedNote.error.issues, ['note']));
  if (fieldErrors.length > 0) throw unprocessable('Invalid settings update', fieldErrors);
  return {
    data: data as Record<string, unknown>,
    note: (note as string | null | undefined) ?? null,
  };
};

/** `{ note? }` for a rollback; an empty body is fine. */
export const parseRollbackBody = (body: unknown): { note: string | null } => {
  if (
    body === undefined ||
    body === null ||
    (isPlainObject(body) && Object.keys(body).length === 0)
  ) {
    return { note: null };
  }
  if (!isPlainObject(body))
    throw unprocessable('The body must be a JSON object', [
      fieldError('note', 'must be inside an object'),
    ]);
  const fieldErrors: FieldError[] = Object.keys(body)
    .filter((key) => key !== 'note')
    .map((key) => fieldError(key, 'is not allowed; only "note" may be sent'));
  const parsedNote = noteRule.safeParse(body.note);
  if (!parsedNote.success) fieldErrors.push(...toFieldErrors(parsedNote.error.issues, ['note']));
  if (fieldErrors.length > 0) throw unprocessable('Invalid rollback request', fieldErrors);
  return { note: (body.note as string | null | undefined) ?? null };
};

const positiveInt = (
  name: string,
  raw: unknown,
  { max }: { max?: number } = {}
): number | FieldError => {
  const text = String(raw ?? '');
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return fieldError(name, 'must be a positive whole number');
  const value = Number(text);
  if (!Number.isSafeInteger(value)) return fieldError(name, 'is too large');
  if (max !== undefined && value > max) return fieldError(name, `must be at most ${max}`);
  return value;
};

export const parseVersionParam = (raw: unknown): number => {
  const parsed = positiveInt('version', raw);
  if (typeof parsed !== 'number') throw unprocessable('Invalid version', [parsed]);
  return parsed;
};

export const parsePaging = (
  query: Record<string, unknown>,
  { defaultPageSize, maxPageSize }: { defaultPageSize: number; maxPageSize: number }
): { page: number; pageSize: number; pinned?: boolean } => {
  const fieldErrors: FieldError[] = [];
  const read = (name: string, fallback: number, max?: number) => {
    if (query[name] === undefined) return fallback;
    const parsed = positiveInt(name, Array.isArray(query[name]) ? 'x' : query[name], { max });
    if (typeof parsed === 'number') return parsed;
    fieldErrors.push(parsed);
    return fallback;
  };
  const page = read('page', 1);
  const pageSize = read('pageSize', defaultPageSize, maxPageSize);
  let pinned: boolean | undefined;
  if (query.pinned !== undefined) {
    if (query.pinned === 'true') pinned = true;
    else if (query.pinned === 'false') pinned = false;
    else fieldErrors.push(fieldError('pinned', 'must be true or false'));
  }
  if (fieldErrors.length > 0) throw unprocessable('Invalid paging', fieldErrors);
  return { page, pageSize, pinned };
};

/** `?status=` on a write: `published` (the default) or `draft`. */
export const parseStatusQuery = (raw: unknown): 'draft' | 'published' => {
  if (raw === undefined || raw === 'published') return 'published';
  if (raw === 'draft') return 'draft';
  throw unprocessable('Invalid status', [fieldError('status', 'must be draft or published')]);
};

/** Optional `Idempotency-Key` header: 1–255 visible ASCII characters. */
export const parseIdempotencyKey = (raw: string | undefined): string | undefined => {
  if (raw === undefined || raw === '') return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(raw)) {
    throw unprocessable('Invalid Idempotency-Key header', [
      fieldError('Idempotency-Key', 'must be 1 to 255 visible ASCII characters'),
    ]);
  }
  return raw;
};
