/**
 * Route middleware for the plugin's routes: a database outage becomes a clear
 * 503 with Retry-After. Writes run in one transaction, so nothing was changed.
 */
import type { Context, Next } from 'koa';
import { isDatabaseUnavailable } from '../utils/database-errors';
import { serviceUnavailable } from '../utils/errors';

export default () => async (ctx: Context, next: Next) => {
  try {
    await next();
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    ctx.set('Retry-After', '5');
    throw serviceUnavailable(
      'The settings database is unavailable right now; nothing was changed. Retry in a few seconds.'
    );
  }
};
