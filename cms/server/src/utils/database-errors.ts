/**
 * Tells "the database is unreachable" apart from every other failure, so a
 * write during an outage answers 503 (retry later; nothing was changed)
 * instead of a generic 500.
 */
import { serviceUnavailable } from './errors';

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'SQLITE_BUSY',
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /Knex: Timeout acquiring a connection/i,
  /Client has encountered a connection error/i,
  /the database system is (starting up|shutting down)/i,
  /terminating connection due to administrator command/i,
  /is not currently accepting connections/i,
  /Connection terminated unexpectedly/i,
];

/**
 * A database outage becomes a clear 503 with Retry-After (writes run in one
 * transaction, so nothing was changed); any other error is thrown as it is.
 */
export const rethrowUnavailable = (
  error: unknown,
  setHeader: (name: string, value: string) => void
): never => {
  if (!isDatabaseUnavailable(error)) throw error;
  setHeader('Retry-After', '5');
  throw serviceUnavailable(
    'The settings database is unavailable right now; nothing was changed. Retry in a few seconds.'
  );
};

export const isDatabaseUnavailable = (error: unknown): boolean => {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const { code, name, message, cause } = current as {
      code?: string;
      name?: string;
      message?: string;
      cause?: unknown;
    };
    if (code && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'KnexTimeoutError') return true;
    if (message && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = cause;
  }
  return false;
};
