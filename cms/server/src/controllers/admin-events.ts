/**
 * `GET /platform-settings/events` (admin JWT, the history read permission of any versioned
 * type): the admin's open pages hear that schedules, pins or versions changed (see
 * services/admin-events.ts). The admin sends its token
 * in the Authorization header, so the page reads this with fetch, not EventSource.
 *
 * Only a signed-in admin's session token opens it, not an admin token (Settings › Admin
 * tokens, which also authenticates admin routes): the stream must end when its token expires
 * and be re-checked against its session, and an admin token has neither a JWT expiry nor a
 * session. The pages that listen always hold a session.
 */
import type { Context } from 'koa';
import { forbidden, serviceUnavailable } from '../utils/errors';
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
    const strategy = (ctx.state.auth as { strategy?: { name?: string } } | undefined)?.strategy;
    const sessionId = (ctx.state.session as { id?: string } | undefined)?.id;
    const userId = (ctx.state.user as { id?: number | string } | undefined)?.id;
    if (strategy?.name !== 'admin' || !sessionId || userId === undefined) {
      throw forbidden('Live updates need a signed-in admin session, not an admin token.');
    }
    const events = getService('adminEvents');
    if (!events.mayReadAnyHistory(ctx.state.userAbility as { can(action: string): boolean })) {
      throw forbidden("Live updates need the permission to read a versioned type's history.");
    }
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
    events.attach(ctx.res, ctx.ip, { userId, sessionId }, tokenExpiry(ctx.get('authorization')));
  },
});
