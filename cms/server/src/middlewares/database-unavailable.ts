/**
 * Route middleware for the plugin's routes: a database outage becomes a clear
 * 503 with Retry-After, and so does any 503 that names its own Retry-After.
 * Writes run in one transaction, so nothing was changed.
 */
import type { Context, Next } from 'koa';
import { rethrowUnavailable } from '../utils/database-errors';

export default () => async (ctx: Context, next: Next) => {
  try {
    await next();
  } catch (error) {
    const { retryAfterSeconds } = error as { retryAfterSeconds?: number };
    if (retryAfterSeconds) ctx.set('Retry-After', String(retryAfterSeconds));
    rethrowUnavailable(error, (name, value) => ctx.set(name, value));
  }
};
