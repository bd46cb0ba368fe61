/**
 * Response headers shared by every route that returns settings, and the
 * request checks every JSON-writing route needs.
 */
import type { Context } from 'koa';
import type { ChangeAuthor, Settings } from '../../../shared/contracts/settings';
import { representationOf } from './representation';
import { MAX_BODY_BYTES } from './constants';
import { errors, unsupportedMediaType } from './errors';

/** What a CDN and browsers may do with the public settings (see config/cdn.md). */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=60, s-maxage=60, stale-while-revalidate=30';

/**
 * The same for another versioned type's public GET, kept for its configured `cacheSeconds`. Its
 * instances have no stale copy to give when the database is down and they have not served it
 * yet (they answer 503), so caches may keep serving theirs for a day on an error.
 */
export const publicCacheControlFor = (cacheSeconds: number) =>
  `public, max-age=${cacheSeconds}, s-maxage=${cacheSeconds}, stale-while-revalidate=30, stale-if-error=${STALE_IF_ERROR_SECONDS}`;

const STALE_IF_ERROR_SECONDS = 86_400;

export const setSettingsHeaders = (ctx: Context, settings: Settings) => {
  ctx.set('ETag', representationOf(settings).etag);
  ctx.set('X-Settings-Version', String(settings.version));
  ctx.set('Cache-Control', 'no-store');
};

/** 415 for a body that is not JSON, 413 for one over 64 KB. An empty body is allowed. */
export const assertJsonBody = (ctx: Context) => {
  const length = Number(ctx.get('content-length') || 0);
  const hasBody = length > 0 || ctx.get('transfer-encoding') !== '';
  if (!hasBody) return;
  if (length > MAX_BODY_BYTES) {
    throw new errors.PayloadTooLargeError(
      `The body is ${length} bytes; the limit is ${MAX_BODY_BYTES}`
    );
  }
  if (!ctx.is('application/json', '+json')) throw unsupportedMediaType();
  const parsedSize = Buffer.byteLength(JSON.stringify(ctx.request.body ?? null));
  if (parsedSize > MAX_BODY_BYTES) {
    throw new errors.PayloadTooLargeError(`The body is over the ${MAX_BODY_BYTES}-byte limit`);
  }
};

interface AdminUser {
  id?: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  email?: string | null;
}

export const adminAuthor = (user: AdminUser): ChangeAuthor => {
  const name =
    [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || user.email;
  return {
    kind: 'admin',
    ...(user.id !== undefined ? { id: user.id } : {}),
    ...(name ? { name } : {}),
  };
};

/** Admin routes carry the signed-in admin; content-API write routes passed the founder-key auth strategy. */
export const authorOf = (ctx: Context): ChangeAuthor =>
  ctx.state?.auth?.strategy?.name === 'admin' && ctx.state.user
    ? adminAuthor(ctx.state.user as AdminUser)
    : { kind: 'founder-key' };

interface AuthState {
  auth?: { strategy?: { name?: string }; credentials?: unknown };
  user?: AdminUser;
}

/**
 * Who is behind a request to Strapi's own routes or a versioned type's routes:
 * an admin (Content Manager), an API token or a user (REST), or `system` when
 * there is no request (code).
 */
export const authorOfState = (state: AuthState | undefined): ChangeAuthor => {
  const strategy = state?.auth?.strategy?.name;
  if (strategy === 'admin' && state?.user) return adminAuthor(state.user);
  const credentials = state?.auth?.credentials as
    { id?: number; name?: string; username?: string } | undefined;
  // Strapi 5.54 names the content API's token strategy `content-api-token`.
  if ((strategy === 'api-token' || strategy === 'content-api-token') && credentials) {
    return { kind: 'api-token', id: credentials.id, name: credentials.name };
  }
  if (strategy === 'users-permissions' && credentials) {
    return { kind: 'user', id: credentials.id, name: credentials.username };
  }
  return { kind: 'system' };
};
