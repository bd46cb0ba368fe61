/**
 * Route middleware for the plugin's routes: a database outage becomes a clear
 * 503 with Retry-After. Writes run in one transaction, so nothing was changed.
 */
import type { Context, Next } from 'koa';
import { rethrowUnavailable } from '../utils/database-errors';

export default () => async (ctx: Context, next: Next) => {
  try {
    await next();
  } catch (error) {
    rethrowUnavailable(error, (name, value) => ctx.set(name, value));
  }
};
