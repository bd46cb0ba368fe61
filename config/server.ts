// HTTP server. Every secret has a development default so a fresh clone starts
// without editing anything; production must set real values (see README), or the
// app refuses to start (src/startup/check-environment.ts).
import { DEVELOPMENT_SECRETS } from '../src/startup/development-secrets';

type Env = {
  (key: string, fallback?: string): string;
  int(key: string, fallback?: number): number;
  bool(key: string, fallback?: boolean): boolean;
  array(key: string, fallback?: string[]): string[];
};

/**
 * TRUST_PROXY: how many proxies in front of the CMS append to X-Forwarded-For
 * (`true` means 1; unset, `false` or 0: none, and X-Forwarded-For is ignored).
 * The client is the right-most entry no trusted proxy added.
 */
const trustedProxyHops = (value: string | undefined): number => {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === 'false' || text === '0') return 0;
  if (text === 'true') return 1;
  const hops = Number(text);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new Error(`TRUST_PROXY must be true, false or a number of proxies (got "${value}")`);
  }
  return hops;
};

export default ({ env }: { env: Env }) => {
  const hops = trustedProxyHops(env('TRUST_PROXY', ''));
  // A PORT that is not a port (`abc`) is reported at start with every other wrong
  // variable (src/startup/check-environment.ts); until then the default stands in,
  // since Strapi builds its URLs from it while loading this file.
  const port = env.int('PORT', 1337);
  return {
    host: env('HOST', '0.0.0.0'),
    port: Number.isInteger(port) && port >= 0 && port <= 65535 ? port : 1337,
    url: env('PUBLIC_URL', ''),
    // Strapi hands these to Koa: with `koa` on, ctx.ip is X-Forwarded-For's entry
    // `maxIpsCount` from the right (the plugin reads the same settings for its own checks).
    proxy: { koa: hops > 0, ipHeader: 'X-Forwarded-For', maxIpsCount: hops },
    app: {
      keys: env.array('APP_KEYS', DEVELOPMENT_SECRETS.APP_KEYS),
    },
  };
};
