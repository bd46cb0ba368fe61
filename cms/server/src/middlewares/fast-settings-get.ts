/**
 * Serves `GET /api/platform-settings` from memory straight off the HTTP
 * server, before Koa and Strapi's middleware stack (logger, session, static
 * files, router, auth...) run at all: that stack is where nearly all of a stock
 * request's cost goes.
 *
 * It must answer exactly as the full stack would, so it never invents the
 * stack's headers: the first request from each Origin value goes through the
 * full stack, and a Koa middleware remembers the headers the stack added
 * (security headers, CORS, Vary, X-Powered-By) for that Origin. From then on
 * requests with that Origin are answered here with those headers plus our own
 * per-version ones (ETag, X-Settings-Version, Cache-Control, X-Settings-Stale),
 * a request id, and the same metrics and log line as any other request.
 * Anything else — another method or path, a query string, an Origin not seen
 * yet — takes the stack. At most 64 Origins are remembered (anyone can send
 * any Origin): learning a new one forgets the one used least recently.
 *
 * Its listener is the outermost one on the HTTP server, so it also counts every
 * request in flight for the graceful shutdown (services/shutdown.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Context, Next } from 'koa';
import { isDatabaseUnavailable } from '../utils/database-errors';
import { etagFor, noneMatch } from '../utils/etag';
import { INTERNAL_HEADER, isInternalRequest } from '../services/type-delivery';
import type { VersionedType } from '../versioned/types';
import { getService } from '../utils/get-service';
import { PUBLIC_CACHE_CONTROL } from '../utils/http';
import { trustedMinVersion } from '../utils/refresh-proof';
import { jsonLogsEnabled } from '../utils/log-format';
import { resolveRequestId } from './request-id';

export const SETTINGS_PATH = '/api/platform-settings';
const MAX_REMEMBERED_ORIGINS = 64;
// What Koa sends for a JSON body; the fast answer must match it byte for byte.
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

// Headers the settings controller sets itself, that depend on the body, or
// that are made fresh for each request.
const OWN_HEADERS = new Set([
  'x-request-id',
  'etag',
  'x-settings-version',
  'x-settings-stale',
  'x-version',
  'warning',
  'cache-control',
  'content-type',
  'content-length',
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

type HeaderSet = Record<string, string | string[]>;

interface Learned {
  headers: HeaderSet;
  /** When it last answered a request: the least recent is forgotten first. */
  usedAt: number;
}

export const createFastSettingsGet = () => {
  const stackHeadersByOrigin = new Map<string, Learned>();
  const logRequests = jsonLogsEnabled();
  let clock = 0;

  const remember = (origin: string, headers: HeaderSet) => {
    if (!stackHeadersByOrigin.has(origin) && stackHeadersByOrigin.size >= MAX_REMEMBERED_ORIGINS) {
      let oldest: string | null = null;
      let oldestAt = Infinity;
      for (const [candidate, learned] of stackHeadersByOrigin) {
        if (learned.usedAt < oldestAt) [oldest, oldestAt] = [candidate, learned.usedAt];
      }
      if (oldest !== null) stackHeadersByOrigin.delete(oldest);
    }
    stackHeadersByOrigin.set(origin, { headers, usedAt: (clock += 1) });
  };

  /** A versioned type's public GET, asked without a query string (the only form answered here). */
  let typesByPath: Map<string, VersionedType> | null = null;
  // The types are fixed once `register` ran: look them up once.
  const types = () =>
    (typesByPath ??= new Map(
      getService('versionedTypes')
        .list()
        .map((type) => [type.publicPath, type])
    ));
  const typeOf = (method: string | undefined, url: string | undefined) => {
    if ((method !== 'GET' && method !== 'HEAD') || !url) return undefined;
    return types().get(url);
  };
  /**
   * The type whose public path a GET names with a query string or a spelling the router
   * also takes (`/api/home-page/`, `/API/Home-Page`): Strapi's own route, answered by Strapi.
   */
  const typeOfPath = (method: string, path: string) => {
    if (method !== 'GET' && method !== 'HEAD') return undefined;
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    const normal = decoded.toLowerCase().replace(/\/+$/, '');
    for (const [publicPath, type] of types()) {
      if (!type.isSettings && publicPath.toLowerCase() === normal) return type;
    }
    return undefined;
  };
  const typeKey = (path: string, origin: string) => `${path}\u0000${origin}`;
  /** The version a type's refresh asks for with a valid proof; 0 for anyone else. */
  const minVersionOf = (headers: IncomingMessage['headers'], type: VersionedType) =>
    trustedMinVersion(
      headers['x-settings-min-version'],
      headers['x-settings-refresh-proof'],
      Date.now(),
      type.key
    ) ?? 0;

  /**
   * A type's bare GET with credentials: Strapi answers it for that credential (the same deep
   * populate; a token that may not `find` is refused), and no shared cache may keep it.
   */
  const credentialedType = async (ctx: Context, next: Next, type: VersionedType) => {
    ctx.querystring = getService('typeDelivery').populateQuery(type);
    try {
      await next();
    } finally {
      ctx.set('Cache-Control', 'private, no-store');
      ctx.vary('Authorization');
    }
  };

  /** A 503 no cache keeps, with when to ask again. */
  const unavailable = (ctx: Context, retryAfterSeconds: number, message: string) => {
    ctx.status = 503;
    ctx.set('Retry-After', String(retryAfterSeconds));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: null,
      error: { status: 503, name: 'ServiceUnavailableError', message, details: {} },
    };
  };

  /**
   * The database is down and the stack could not answer (Strapi's Public role lookup needs
   * it): the copy this instance holds, flagged stale, or else a 503 a CDN or nginx answers
   * with its own stale copy (`stale-if-error`, `proxy_cache_use_stale`), never the 401 or
   * 500 the stack would give.
   */
  const typeDuringOutage = (ctx: Context, type: VersionedType) => {
    const copy = getService('typeDelivery').peek(type);
    ctx.remove('WWW-Authenticate');
    if (!copy) {
      return unavailable(
        ctx,
        5,
        `The database is unavailable and this instance holds no copy of ${type.displayName} yet. Retry in a few seconds.`
      );
    }
    ctx.status = 200;
    ctx.set('Cache-Control', getService('typeDelivery').cacheControl(type));
    ctx.set('ETag', copy.etag);
    ctx.set('X-Version', String(copy.version));
    ctx.set('X-Settings-Stale', 'true');
    if (noneMatch(ctx.get('if-none-match'), copy.etag)) {
      ctx.status = 304;
      ctx.body = null;
    } else {
      ctx.body = copy.body;
      ctx.type = 'application/json';
    }
  };

  /** Changed behind the API and no good copy: nothing, rather than the edit. */
  const withheldAnswer = (ctx: Context, type: VersionedType) =>
    unavailable(
      ctx,
      60,
      `The published ${type.displayName} differs from its signed version; an operator must check GET ${type.publicPath}/history/verify`
    );

  /**
   * Any other GET of a type's public path (a query string, another spelling): Strapi's own
   * route answers it from the database. A visitor gets nothing while the published content
   * is known to differ from its signed version; an answer for credentials is never stored
   * by a shared cache.
   */
  const typeViaStrapi = async (ctx: Context, next: Next, type: VersionedType) => {
    if (ctx.get('authorization')) {
      try {
        await next();
      } finally {
        ctx.set('Cache-Control', 'private, no-store');
        ctx.vary('Authorization');
      }
      return;
    }
    if (getService('typeDelivery').isWithheld(type)) return withheldAnswer(ctx, type);
    await next();
  };

  /** Runs the stack; on a failure, tells an outage (answered by `typeDuringOutage`) apart. */
  const throughStack = async (ctx: Context, next: Next): Promise<'answered' | 'outage'> => {
    try {
      await next();
    } catch (error) {
      if (isDatabaseUnavailable(error)) return 'outage';
      throw error;
    }
    if (ctx.status < 400) return 'answered';
    return (await getService('readiness').pingDatabase()) ? 'answered' : 'outage';
  };

  /**
   * A type's bare GET through the stack: Strapi answers it with the type's deep
   * populate (the same body the fast path serves), and the answer gets the
   * type's ETag and Cache-Control; the headers the stack added are remembered.
   */
  const learnType = async (ctx: Context, next: Next, type: VersionedType) => {
    if (ctx.get('authorization')) return credentialedType(ctx, next, type);
    const delivery = getService('typeDelivery');
    ctx.querystring = delivery.populateQuery(type);
    if ((await throughStack(ctx, next)) === 'outage') return typeDuringOutage(ctx, type);
    if (ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') return;
    let body = JSON.stringify(ctx.body);
    let version = Number((ctx.body as { data?: { version?: unknown } }).data?.version ?? 0);
    // The copy the fast path answers from: warmed, or caught up when the database is ahead of
    // it (a refresh that named a newer version came here before the change notice did). Making
    // it checks what is published against its signed version.
    let copy = delivery.peek(type);
    if (!copy || copy.version < version) copy = await delivery.refresh(type).catch(() => null);
    if (delivery.isWithheld(type) && !copy) return withheldAnswer(ctx, type);
    // The copy is what the signed history holds (checked when it was made); the stack's body is
    // what the database holds now, which a database writer may have edited since. A new Origin
    // gets the same bytes as every other, never the edit.
    if (copy) ({ body, version } = copy);
    const etag = etagFor(version, body);
    const headers = Object.entries(ctx.response.headers as HeaderSet).filter(
      ([name]) => !OWN_HEADERS.has(name.toLowerCase())
    );
    remember(typeKey(type.publicPath, ctx.get('origin')), Object.fromEntries(headers));
    ctx.set('Cache-Control', delivery.cacheControl(type));
    ctx.set('ETag', etag);
    ctx.set('X-Version', String(version));
    if (noneMatch(ctx.get('if-none-match'), etag)) {
      ctx.status = 304;
      ctx.body = null;
    } else {
      ctx.body = body;
      ctx.type = 'application/json';
    }
  };

  /** Koa middleware: lets the request through the stack and remembers what the stack added. */
  const learn = async (ctx: Context, next: Next) => {
    const internal = isInternalRequest(ctx.get(INTERNAL_HEADER));
    const type = internal ? undefined : typeOf(ctx.method, ctx.url);
    if (type) return learnType(ctx, next, type);
    const other = internal ? undefined : typeOfPath(ctx.method, ctx.path);
    if (other) return typeViaStrapi(ctx, next, other);
    await next();
    if (
      (ctx.method === 'GET' || ctx.method === 'HEAD') &&
      ctx.url === SETTINGS_PATH &&
      ctx.status === 200
    ) {
      const headers = Object.entries(ctx.response.headers as HeaderSet).filter(
        ([name]) => !OWN_HEADERS.has(name.toLowerCase())
      );
      remember(ctx.get('origin'), Object.fromEntries(headers));
    }
  };

  /** A versioned type's bare GET from memory, with the headers the stack gave that Origin. */
  const serveType = (
    request: IncomingMessage,
    response: ServerResponse,
    type: VersionedType
  ): boolean => {
    const delivery = getService('typeDelivery');
    const representation = delivery.peek(type);
    const learned = stackHeadersByOrigin.get(
      typeKey(type.publicPath, request.headers.origin ?? '')
    );
    if (!learned || !representation) return false;
    // The CMS's own proxy refresh asking for a version this copy does not have yet: the
    // stack answers from the database (utils/refresh-proof.ts, with the type's scope).
    if (minVersionOf(request.headers, type) > representation.version) return false;
    learned.usedAt = clock += 1;
    const started = process.hrtime.bigint();
    const requestId = resolveRequestId(request.headers['x-request-id'] as string | undefined);
    const headers: HeaderSet = {
      ...learned.headers,
      'Cache-Control': delivery.cacheControl(type),
      ETag: representation.etag,
      'X-Version': String(representation.version),
      'X-Request-Id': requestId,
    };
    const status = respond(request, response, headers, representation);
    observe(request.method!, type.publicPath, status, started, requestId);
    return true;
  };

  const respond = (
    request: IncomingMessage,
    response: ServerResponse,
    headers: HeaderSet,
    representation: { etag: string; bytes: Buffer }
  ): number => {
    if (noneMatch(request.headers['if-none-match'], representation.etag)) {
      response.writeHead(304, headers);
      response.end();
      return 304;
    }
    headers['Content-Type'] = JSON_CONTENT_TYPE;
    headers['Content-Length'] = String(representation.bytes.length);
    response.writeHead(200, headers);
    response.end(request.method === 'HEAD' ? undefined : representation.bytes);
    return 200;
  };

  /** The same metrics and log line as any other request. */
  const observe = (
    method: string,
    route: string,
    status: number,
    started: bigint,
    requestId: string
  ) => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const metrics = getService('metrics');
    metrics.cacheLookup('hit');
    metrics.observeRequest({ method, route, status }, seconds);
    if (logRequests) {
      getService('requestLog').write({ method, route, path: route, status, seconds, requestId });
    }
  };

  /** Answers the request when it can; returns false to hand it to Koa. */
  const serve = (request: IncomingMessage, response: ServerResponse): boolean => {
    const { method } = request;
    if ((method !== 'GET' && method !== 'HEAD') || request.url !== SETTINGS_PATH) {
      // With credentials, Strapi answers for them (learnType), never the public copy.
      const type =
        isInternalRequest(request.headers[INTERNAL_HEADER]) || request.headers.authorization
          ? undefined
          : typeOf(method, request.url);
      return type ? serveType(request, response, type) : false;
    }
    const learned = stackHeadersByOrigin.get(request.headers.origin ?? '');
    const cache = getService('cache');
    const representation = cache.peek();
    if (!learned || !representation) return false;
    // The CMS's own proxy refresh asking for a version this copy does not have yet: the
    // controller reloads. From anyone else the header is ignored (utils/refresh-proof.ts).
    const minVersion = trustedMinVersion(
      request.headers['x-settings-min-version'],
      request.headers['x-settings-refresh-proof']
    );
    if (minVersion !== null && minVersion > representation.version) return false;
    learned.usedAt = clock += 1;

    const started = process.hrtime.bigint();
    const requestId = resolveRequestId(request.headers['x-request-id'] as string | undefined);
    const headers: HeaderSet = {
      ...learned.headers,
      'Cache-Control': PUBLIC_CACHE_CONTROL,
      ETag: representation.etag,
      'X-Settings-Version': String(representation.version),
      'X-Request-Id': requestId,
    };
    if (cache.isStale()) headers['X-Settings-Stale'] = 'true';
    const status = respond(request, response, headers, representation);
    observe(method, SETTINGS_PATH, status, started, requestId);
    return true;
  };

  /** Puts `serve` in front of the listener Koa installed on the HTTP server. */
  const attach = (server: Server) => {
    const [koa] = server.listeners('request') as Array<
      (req: IncomingMessage, res: ServerResponse) => void
    >;
    if (!koa) return;
    server.removeListener('request', koa);
    const shutdown = getService('shutdown');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      shutdown.track(response);
      if (!serve(request, response)) koa(request, response);
    });
  };

  return { learn, attach, learnedOrigins: () => [...stackHeadersByOrigin.keys()] };
};
