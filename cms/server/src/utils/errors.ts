/**
 * Errors for the statuses Strapi's own error classes do not map (412, 415, 422,
 * 503), and 401/403 that keep their message when thrown from a policy. `strapi::errors` renders any http-errors instance with its status, name,
 * message and details, so these come out in the standard body
 * `{ data: null, error: { status, name, message, details } }`.
 */
import createHttpError from 'http-errors';
import { errors } from '@strapi/utils';

export interface FieldError {
  path: string[];
  message: string;
  name: string;
}

const httpError = <Details extends object>(
  status: number,
  name: string,
  message: string,
  details: Details
): Error => {
  const error = createHttpError(status, message) as ReturnType<typeof createHttpError> & {
    details: Details;
  };
  error.name = name;
  error.details = details;
  return error;
};

// Strapi's authorize step turns its own Unauthorized/Forbidden errors thrown by a
// policy into bodies with a generic message; these keep ours.
export const unauthorized = (message: string) => httpError(401, 'UnauthorizedError', message, {});

export const forbidden = (message: string) => httpError(403, 'ForbiddenError', message, {});

export const unprocessable = (message: string, fieldErrors: FieldError[]) =>
  httpError(422, 'ValidationError', message, { errors: fieldErrors });

export const preconditionFailed = (currentVersion: number) =>
  httpError(
    412,
    'PreconditionFailedError',
    `The settings changed since you read them: the live version is ${currentVersion}. Fetch them again and retry.`,
    { currentVersion }
  );

export const conflict = (message: string, details: Record<string, unknown>) =>
  httpError(409, 'ConflictError', message, details);

export const unsupportedMediaType = (message = 'Send the body as application/json') =>
  httpError(415, 'UnsupportedMediaTypeError', message, {});

export const serviceUnavailable = (message: string) =>
  httpError(503, 'ServiceUnavailableError', message, {});

/**
 * A 503 the route middleware answers with this Retry-After (seconds): for a
 * condition that lasts until someone acts, so clients back off instead of hammering.
 */
export const unavailableFor = (message: string, retryAfterSeconds: number) =>
  Object.assign(serviceUnavailable(message), { retryAfterSeconds });

export const fieldError = (path: string, message: string): FieldError => ({
  path: [path],
  message,
  name: 'ValidationError',
});

export { errors };
