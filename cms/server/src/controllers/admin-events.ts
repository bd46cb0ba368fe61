/**
 * `GET /platform-settings/events` (admin JWT, `history.read`): the admin's open pages hear
 * that schedules or pins changed (see services/admin-events.ts). The admin sends its token
 * in the Authorization header, so the page reads this with fetch, not EventSource.
 */
import type { Context } from 'koa';
import { serviceUnavailable } from '../utils/errors';
import { getService } from '../utils/get-service';

/**
 * When the bearer token stops being valid (ms), from its `exp` claim. The admin auth strategy
 * has already verified the token; this only reads how long it lives.
 */
export const tokenExpiry = (authorization: string | undefined): number | null => {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
};

export default () => ({
  async stream(ctx: Context) {
    const events = getService('adminEvents');
    const refusal = events.refusal(ctx.ip);
    if (refusal) {
      getService('metrics').eventStreamDropped('refused');
      ctx.set('Retry-After', '30');
      ctx.set('Cache-Control', 'no-store');
      throw serviceUnavailable(`Live updates are unavailable: ${refusal}.`);
    }
    ctx.respond = false;
    ctx.status = 200;
    for (const [name, value] of Object.entries(ctx.response.headers)) {
      if (value !== undefined) ctx.res.setHeader(name, value as string | string[]);
    }
    if (ctx.state.requestId) ctx.res.setHeader('X-Request-Id', ctx.state.requestId as string);
    events.attach(ctx.res, ctx.ip, tokenExpiry(ctx.get('authorization')));
  },
});
