/**
 * Strapi's error body, `{ data: null, error: { status, name, message, details } }`, one
 * named schema per status the API answers with (see utils/errors.ts for who throws which).
 * Routes list them in their `openapi.responses`; `strapi::errors` renders them.
 */
import { z } from 'zod';

/** One offending field of a 422: every problem is listed at once. */
export const fieldError = z
  .object({
    path: z
      .array(z.string())
      .meta({ description: 'Where the problem is, e.g. ["data", "siteName"]' }),
    message: z.string(),
    name: z.literal('ValidationError'),
  })
  .meta({ id: 'FieldError' });

const noDetails = z.object({});

/**
 * `details` is `{}` for the errors Strapi and this plugin throw, and absent from the
 * bodies Strapi makes from plain http-errors (malformed JSON, unexpected failures).
 */
const errorBody = (
  id: string,
  status: number,
  name: string | [string, ...string[]],
  details: z.ZodType | null,
  description: string
) =>
  z
    .object({
      data: z.null(),
      error: z.object({
        status: z.literal(status),
        name: typeof name === 'string' ? z.literal(name) : z.enum(name),
        message: z.string(),
        ...(details ? { details } : { details: noDetails.optional() }),
      }),
    })
    .meta({ id, description });

// Strapi's body parser answers these before any route runs: a JSON syntax error keeps its name.
export const badRequestBody = errorBody(
  'BadRequestError',
  400,
  ['SyntaxError', 'BadRequestError'],
  null,
  'The body is not well-formed JSON (or the upload broke off).'
);
export const unauthorizedBody = errorBody(
  'UnauthorizedError',
  401,
  'UnauthorizedError',
  noDetails,
  'No credentials were sent.'
);
export const forbiddenBody = errorBody(
  'ForbiddenError',
  403,
  'ForbiddenError',
  noDetails,
  'The credentials sent are wrong.'
);
export const notFoundBody = errorBody(
  'NotFoundError',
  404,
  'NotFoundError',
  noDetails,
  'What the request names does not exist.'
);
export const conflictBody = errorBody(
  'ConflictError',
  409,
  'ConflictError',
  z.object({
    version: z.number().int().min(1),
    integrity: z.enum(['altered', 'unknown-key']).meta({
      description:
        'altered: the row does not match its signature; unknown-key: it is signed with a key this server lacks',
    }),
  }),
  'The version cannot be trusted, so it is not restored.'
);
export const preconditionFailedBody = errorBody(
  'PreconditionFailedError',
  412,
  'PreconditionFailedError',
  z.object({ currentVersion: z.number().int().min(1) }),
  'If-Match names none of the current ETag: the settings changed since they were read.'
);
export const payloadTooLargeBody = errorBody(
  'PayloadTooLargeError',
  413,
  'PayloadTooLargeError',
  noDetails,
  'The body is over 64 KB.'
);
export const unsupportedMediaTypeBody = errorBody(
  'UnsupportedMediaTypeError',
  415,
  'UnsupportedMediaTypeError',
  noDetails,
  'The body is not application/json.'
);
export const validationErrorBody = errorBody(
  'ValidationError',
  422,
  'ValidationError',
  z.object({ errors: z.array(fieldError).min(1) }),
  'The request is not valid; `details.errors` names every offending field.'
);
export const rateLimitBody = errorBody(
  'RateLimitError',
  429,
  'RateLimitError',
  noDetails,
  'Too many wrong or missing founder keys from this client: every key is refused until Retry-After.'
);
export const internalErrorBody = errorBody(
  'InternalServerError',
  500,
  'InternalServerError',
  null,
  'An unexpected failure; the details are in the server log, under the response’s X-Request-Id.'
);
export const serviceUnavailableBody = errorBody(
  'ServiceUnavailableError',
  503,
  'ServiceUnavailableError',
  noDetails,
  'The settings database is unreachable; nothing was changed. Retry after Retry-After.'
);
