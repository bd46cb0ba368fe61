/**
 * Request validation for the REST API, with the zod schemas the routes declare
 * (schemas/*.ts), so what is documented is what is checked. Every offending field
 * is reported at once, in Strapi's 422 body, with its path and reason.
 */
import { z } from 'zod';
import { idempotencyKeySchema } from '../schemas/headers';
import { versionParam } from '../schemas/history';
import { rollbackBody } from '../schemas/rollback';
import { fieldRules, requiredFields, updateSettingsBody } from '../schemas/settings';
import { SERVER_MANAGED_FIELDS } from '../utils/constants';
import { fieldError, type FieldError, unprocessable } from '../utils/errors';

export { withoutNul } from '../schemas/settings';

const managed = new Set<string>(SERVER_MANAGED_FIELDS);

/** A key zod does not know is named on its own; server-managed fields say so. */
const unknownKeyMessage = (issue: z.core.$ZodIssue, key: string) =>
  issue.path.length === 1 && issue.path[0] === 'data' && managed.has(key)
    ? 'is managed by the server and cannot be set'
    : issue.message;

const toFieldErrors = (issues: z.core.$ZodIssue[], prefix: string[] = []): FieldError[] =>
  issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map(String)];
    return issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...path, key],
          message: unknownKeyMessage(issue, key),
          name: 'ValidationError',
        }))
      : [{ path, message: issue.message, name: 'ValidationError' }];
  });

/** Errors in the order the client sent the fields; fields it did not send come last. */
const inInputOrder = (input: unknown, fieldErrors: FieldError[]): FieldError[] => {
  const position = (path: string[]) =>
    path.map((key, depth) => {
      let value: unknown = input;
      for (const step of path.slice(0, depth)) value = (value as Record<string, unknown>)?.[step];
      const keys = value && typeof value === 'object' ? Object.keys(value) : [];
      const index = keys.indexOf(key);
      return index === -1 ? Infinity : index;
    });
  const compare = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  return fieldErrors
    .map((error) => ({ error, at: position(error.path) }))
    .sort((a, b) => compare(a.at, b.at))
    .map(({ error }) => error);
};

/** The parsed value, or a 422 naming every problem (paths under `prefix`). */
export const parseOrRefuse = <T extends z.ZodType>(
  schema: T,
  input: unknown,
  message: string,
  prefix: string[] = []
): z.output<T> => {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw unprocessable(message, inInputOrder(input, toFieldErrors(parsed.error.issues, prefix)));
};

/** Field values checked one by one; unknown and server-managed fields are errors. */
export const checkSettingsData = (data: Record<string, unknown>, prefix: string[]): FieldError[] =>
  Object.entries(data).flatMap(([name, value]): FieldError[] => {
    const at = (message: string) => [{ ...fieldError(name, message), path: [...prefix, name] }];
    if (managed.has(name)) return at('is managed by the server and cannot be set');
    const rule = fieldRules[name];
    if (!rule) return at('is not a settings field');
    const parsed = rule.safeParse(value);
    return parsed.success ? [] : toFieldErrors(parsed.error.issues, [...prefix, name]);
  });

/** Required fields must hold a value in the settings that would result. */
export const checkComplete = (merged: Record<string, unknown>, prefix: string[]): FieldError[] =>
  requiredFields
    .filter((name) => merged[name] === null || merged[name] === undefined)
    .map((name) => ({ ...fieldError(name, 'is required'), path: [...prefix, name] }));

const querySchemas = new WeakMap<object, z.ZodType>();

/** A route's `request.query` (one schema per parameter), checked as a whole. */
export const parseQuery = <Shape extends Record<string, z.ZodType>>(
  shape: Shape,
  query: unknown,
  message: string
): z.output<z.ZodObject<Shape>> => {
  let schema = querySchemas.get(shape);
  if (!schema) querySchemas.set(shape, (schema = z.object(shape)));
  return parseOrRefuse(schema, query, message) as z.output<z.ZodObject<Shape>>;
};

export interface UpdateInput {
  data: Record<string, unknown>;
  note: string | null;
}

/** `{ data: { …some fields }, note? }` — anything else is a 422 naming each problem. */
export const parseUpdateBody = (body: unknown): UpdateInput => {
  const { note } = parseOrRefuse(updateSettingsBody, body, 'Invalid settings update');
  // The input's own data, not zod's copy: the fields in the order they were sent.
  return { data: (body as { data: Record<string, unknown> }).data, note: note ?? null };
};

/** `{ note? }` for a rollback; an empty body is fine. */
export const parseRollbackBody = (body: unknown): { note: string | null } => {
  const parsed = parseOrRefuse(rollbackBody, body, 'Invalid rollback request');
  return { note: parsed?.note ?? null };
};

export const parseVersionParam = (raw: unknown): number =>
  parseOrRefuse(versionParam, raw, 'Invalid version', ['version']);

/** Optional `Idempotency-Key` header: 1–255 visible ASCII characters. */
export const parseIdempotencyKey = (raw: string | undefined): string | undefined =>
  raw === undefined || raw === ''
    ? undefined
    : parseOrRefuse(idempotencyKeySchema, raw, 'Invalid Idempotency-Key header', [
        'Idempotency-Key',
      ]);
