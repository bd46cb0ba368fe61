/**
 * Serves `GET /api/platform-settings` from memory before Strapi's middleware
 * stack runs (logger, session, static files, router, auth...), which is where
 * nearly all of a stock request's cost goes.
 *
 * It must answer exactly as the full stack would, so it never invents the
 * stack's headers: the first request from each Origin value goes through the
 * full stack, and the headers the stack added (security headers, CORS, Vary,
 * X-Powered-By) are remembered for that Origin and replayed from then on.
 * Only our own per-version headers (ETag, X-Settings-Version, Cache-Control,
 * X-Settings-Stale) are set here. Anything unusual — another method, a query
 * string, an Origin we have not seen yet, more distinct Origins than we are
 * willing to remember — takes the normal path.
 */
import type { Context, Next } from 'koa';
import { noneMatch } from '../utils/etag';
import { getService } from '../utils/get-service';
import { PUBLIC_CACHE_CONTROL } from '../utils/http';

export const SETTINGS_PATH = '/api/platform-settings';
const MAX_REMEMBERED_ORIGINS = 64;

// Headers the settings controller sets itself, that depend on the body, or
// that are made fresh for each request (by middlewares running before this one).
const OWN_HEADERS = new Set([
  'x-request-id',
  'etag',
  'x-settings-version',
  'x-settings-stale',
  'warning',
  'cache-control',
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

type HeaderSet = Array<[string, string | string[]]>;

const captureStackHeaders = (ctx: Context): HeaderSet =>
  Object.entries(ctx.response.headers as Record<string, string | string[]>).filter(
    ([name]) => !OWN_HEADERS.has(name.toLowerCase())
  );

export const createFastSettingsGet = () => {
  const stackHeadersByOrigin = new Map<string, HeaderSet>();

  return async (ctx: Context, next: Next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || ctx.url !== SETTINGS_PATH) return next();

    const origin = ctx.get('origin');
    const stackHeaders = stackHeadersByOrigin.get(origin);
    const cache = getService('cache');
    const representation = cache.peek();
    if (!stackHeaders || !representation) {
      // Learn what the full stack sends for this Origin.
      await next();
      if (ctx.status === 200 && stackHeadersByOrigin.size < MAX_REMEMBERED_ORIGINS) {
        stackHeadersByOrigin.set(origin, captureStackHeaders(ctx));
      }
      return;
    }

    getService('metrics').cacheLookup('hit');
    // What @koa/router would have recorded, so metrics and logs name the route, not "unmatched".
    (ctx as Context & { _matchedRoute?: string })._matchedRoute = SETTINGS_PATH;
    for (const [name, value] of stackHeaders) ctx.set(name, value);
    ctx.set('ETag', representation.etag);
    ctx.set('X-Settings-Version', String(representation.version));
    ctx.set('Cache-Control', PUBLIC_CACHE_CONTROL);
    if (cache.isStale()) ctx.set('X-Settings-Stale', 'true');
    if (noneMatch(ctx.get('if-none-match'), representation.etag)) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = representation.bytes;
  };
};
