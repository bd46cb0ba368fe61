/**
 * `GET /api/platform-settings/events`: the live settings as server-sent events
 * (see services/events.ts). Public, like the GET, with the same CORS answer:
 * Strapi's middlewares have set the headers by the time this runs; the stream
 * then takes the response over from Koa.
 */
import type { Context } from 'koa';
import { SETTINGS_ONLY } from '../services/events';
import { fieldError, serviceUnavailable, unprocessable } from '../utils/errors';
import { getService } from '../utils/get-service';

/**
 * `?types=settings,home-page`: the public types the stream carries (the settings
 * alone without it). Nothing is sent for a type the Public role may not read,
 * so the stream never says more than the GETs would.
 */
const streamTypes = (raw: unknown) => {
  if (raw === undefined) return SETTINGS_ONLY;
  const keys = typeof raw === 'string' ? raw.split(',').map((key) => key.trim()) : [];
  const known = new Set([
    'settings',
    ...getService('versionedTypes')
      .list()
      .map((type) => type.key),
  ]);
  const unknown = keys.filter((key) => !known.has(key));
  if (keys.length === 0 || keys.includes('') || unknown.length > 0) {
    throw unprocessable('Invalid stream request', [
      fieldError(
        'types',
        `must be a comma-separated list of ${[...known].join(', ')}${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}`
      ),
    ]);
  }
  return new Set(keys);
};

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
    const types = streamTypes(ctx.query.types);
    ctx.respond = false;
    ctx.status = 200;
    // Keep the CORS (and security) headers the middlewares set.
    for (const [name, value] of Object.entries(ctx.response.headers)) {
      if (value !== undefined) ctx.res.setHeader(name, value as string | string[]);
    }
    if (ctx.state.requestId) ctx.res.setHeader('X-Request-Id', ctx.state.requestId as string);
    events.attach(ctx.res, ctx.ip, ctx.get('last-event-id') || undefined, types);
  },
});
