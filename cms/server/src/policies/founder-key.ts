/**
 * `X-Founder-Key` check for scripts and deploy tooling: missing → 401,
 * wrong → 403, too many failures from one client → 429 with Retry-After.
 * Every founder-key response is private: `Cache-Control: no-store`.
 */
import type { Core } from '@strapi/strapi';
import { rethrowUnavailable } from '../utils/database-errors';
import { errors, forbidden, unauthorized } from '../utils/errors';
import { getService } from '../utils/get-service';

interface PolicyContext {
  request: { ip: string; get(header: string): string };
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
  if (outcome.ok) return true;

  strapi.plugin('platform-settings').service('metrics')?.authFailure?.(outcome.reason);
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
