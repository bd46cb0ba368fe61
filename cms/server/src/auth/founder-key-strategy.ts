/**
 * The founder key as a content-API auth strategy, for the settings routes that
 * name it (writes, history, verify, the draft): scripts and deploy tooling send
 * `X-Founder-Key`. A correct key (or, during a rotation, FOUNDER_KEY_PREVIOUS)
 * authenticates, whatever else came from the same address; missing → 401,
 * wrong → 403, beyond the failure budget of its client → 429 with Retry-After.
 * Every answer on such a route is private: `Cache-Control: no-store`.
 *
 * It steps aside on every route that does not name it, so Strapi's API tokens
 * and Users & Permissions roles are never answered by it, and the key opens
 * nothing but the settings routes.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { rethrowUnavailable } from '../utils/database-errors';
import { errors, forbidden, unauthorized } from '../utils/errors';
import { getService } from '../utils/get-service';
import { routeNamesStrategy } from './route-strategies';

export const FOUNDER_KEY_STRATEGY = 'platform-settings-founder-key';

export interface FounderKeyCredentials {
  kind: 'founder-key';
  /** Which key matched: `previous` only while a rotation is under way. */
  key: 'current' | 'previous';
}

export const founderKeyStrategy = (strapi: Core.Strapi) => ({
  name: FOUNDER_KEY_STRATEGY,

  async authenticate(ctx: Context) {
    if (!routeNamesStrategy(ctx, FOUNDER_KEY_STRATEGY)) return { authenticated: false };
    ctx.set('Cache-Control', 'no-store');
    const provided = ctx.get('x-founder-key') || undefined;
    // Koa's ctx.ip: the real client behind the proxies TRUST_PROXY trusts. The failure
    // counters are in the database: during an outage this is the 503 the route would give.
    const outcome = await getService('founderKey')
      .authenticate(ctx.ip, provided)
      .catch((error: unknown) => rethrowUnavailable(error, (name, value) => ctx.set(name, value)));
    const metrics = strapi.plugin('platform-settings').service('metrics');
    if (outcome.ok) {
      if (outcome.key === 'previous') {
        // A caller still on the old key: the rotation cannot end until it is updated.
        metrics?.founderKeyPreviousUsed?.();
        strapi.log.warn(
          `platform-settings: ${ctx.method} ${ctx.path} from ${ctx.ip} used FOUNDER_KEY_PREVIOUS; give that caller the new FOUNDER_KEY, then remove FOUNDER_KEY_PREVIOUS`,
          { event: 'founder-key.previous-used', method: ctx.method, path: ctx.path, client: ctx.ip }
        );
      }
      const credentials: FounderKeyCredentials = { kind: 'founder-key', key: outcome.key };
      return { authenticated: true, credentials };
    }

    metrics?.authFailure?.(outcome.reason);
    // Thrown rather than returned as `error`: Strapi answers a returned error with a bare 401,
    // and these need their own status, message and Retry-After.
    switch (outcome.reason) {
      case 'missing':
        throw unauthorized('Missing X-Founder-Key header');
      case 'wrong':
        throw forbidden('Invalid founder key');
      case 'rate-limited':
        ctx.set('Retry-After', String(outcome.retryAfterSeconds));
        throw new errors.RateLimitError(
          `Too many failed founder-key attempts from this address; retry in ${outcome.retryAfterSeconds} s`
        );
    }
  },
});
