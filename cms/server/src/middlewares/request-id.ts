/**
 * Gives every request an id, echoed in `X-Request-Id` and written on its log
 * lines, so a user's report, a proxy's log and ours can be matched up. A sane id
 * from the proxy in front is kept; anything else is replaced.
 */
import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';

const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

export const requestIdOf = (ctx: Pick<Context, 'state'>): string | undefined =>
  ctx.state.requestId as string | undefined;

/** A sane id from the proxy in front, or a new one. */
export const resolveRequestId = (incoming: string | undefined): string =>
  incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();

export const requestId = () => async (ctx: Context, next: Next) => {
  ctx.state.requestId = resolveRequestId(ctx.get('x-request-id'));
  try {
    await next();
  } finally {
    // Set last, so no inner middleware copies one request's id onto another's response.
    ctx.set('X-Request-Id', ctx.state.requestId as string);
  }
};
