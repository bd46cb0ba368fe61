/**
 * `GET /api/platform-settings/events`: the live settings as server-sent events
 * (see services/events.ts). Public, like the GET, with the same CORS answer:
 * Strapi's middlewares have set the headers by the time this runs; the stream
 * then takes the response over from Koa.
 */
import type { Context } from 'koa';
import { serviceUnavailable } from '../utils/errors';
import { getService } from '../utils/get-service';

export default () => ({
  async stream(ctx: Context) {
    const events = getService('events');
    // Koa's ctx.ip: the real client behind the proxies TRUST_PROXY trusts.
    const refusal = events.refusal(ctx.ip);
    if (refusal) {
      getService('metrics').eventStreamDropped('refused');
      ctx.set('Retry-After', '30');
      ctx.set('Cache-Control', 'no-store');
      throw serviceUnavailable(
        `Live updates are unavailable: ${refusal}. Poll GET /api/platform-settings instead.`
      );
    }
    ctx.respond = false;
    ctx.status = 200;
    // Keep the CORS (and security) headers the middlewares set.
    for (const [name, value] of Object.entries(ctx.response.headers)) {
      if (value !== undefined) ctx.res.setHeader(name, value as string | string[]);
    }
    if (ctx.state.requestId) ctx.res.setHeader('X-Request-Id', ctx.state.requestId as string);
    events.attach(ctx.res, ctx.ip, ctx.get('last-event-id') || undefined);
  },
});
