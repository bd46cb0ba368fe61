/**
 * `X-Founder-Key` check for scripts and deploy tooling: a correct key (or,
 * during a rotation, FOUNDER_KEY_PREVIOUS) → on to the route, whatever else
 * came from the same address; missing → 401, wrong → 403, beyond the failure
 * budget of its client → 429 with Retry-After. Every founder-key response is
 * private: `Cache-Control: no-store`.
 */
import type { Core } from '@strapi/strapi';
import { rethrowUnavailable } from '../utils/database-errors';
import { errors, forbidden, unauthorized } from '../utils/errors';
import { getService } from '../utils/get-service';

export interface PolicyContext {
  request: { ip: string; method?: string; path?: string; get(header: string): string };
  response: { set(header: string, value: string): void };
}

export default async (
  policyContext: PolicyContext,
  _config: unknown,
  { strapi }: { strapi: Core.Strapi }
) => {
  policyContext.response.set('Cache-Control', 'no-store');
  const provided = policyContext.request.get('x-founder-key') || undefined;
  // Koa's ctx.ip: the real client behind the proxies TRUST_PROXY trusts. The failure
  // counters are in the database: during an outage this is the 503 the route would give.
  const outcome = await getService('founderKey')
    .authenticate(policyContext.request.ip, provided)
    .catch((error: unknown) =>
      rethrowUnavailable(error, (name, value) => policyContext.response.set(name, value))
    );
  const metrics = strapi.plugin('platform-settings').service('metrics');
  if (outcome.ok) {
    if (outcome.key === 'previous') {
      // A caller still on the old key: the rotation cannot end until it is updated.
      metrics?.founderKeyPreviousUsed?.();
      const { ip, method, path } = policyContext.request;
      strapi.log.warn(
        `platform-settings: ${method} ${path} from ${ip} used FOUNDER_KEY_PREVIOUS; give that caller the new FOUNDER_KEY, then remove FOUNDER_KEY_PREVIOUS`,
        { event: 'founder-key.previous-used', method, path, client: ip }
      );
    }
    return true;
  }

  metrics?.authFailure?.(outcome.reason);
  switch (outcome.reason) {
    case 'missing':
      throw unauthorized('Missing X-Founder-Key header');
    case 'wrong':
      throw forbidden('Invalid founder key');
    case 'rate-limited':
      policyContext.response.set('Retry-After', String(outcome.retryAfterSeconds));
      throw new errors.RateLimitError(
        `Too many failed founder-key attempts from this address; retry in ${outcome.retryAfterSeconds} s`
      );
  }
};
