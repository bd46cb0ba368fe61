/**
 * Tells the CDN to drop its copy of a versioned type's public URL after each
 * committed version of that type (the settings' `/api/platform-settings`, the
 * home page's `/api/home-page`, ...), so visitors see a change before
 * `s-maxage` runs out.
 *
 * Two request shapes (CDN_PURGE_STYLE):
 * - `cloudflare` (default): Cloudflare's purge-by-URL, `POST {"files": [url]}`
 *   with a bearer token, to CDN_PURGE_URL.
 * - `nginx`: a refresh of each cached copy through nginx itself: `GET
 *   CDN_PURGE_URL` with `X-Settings-Refresh: 1`, which nginx (only from the CMS
 *   hosts) answers from upstream and stores (`proxy_cache_bypass`), and
 *   `X-Settings-Min-Version`, so whichever instance answers serves at least the
 *   committed version (honoured only with the `X-Settings-Refresh-Proof` sent
 *   with it, see utils/refresh-proof.ts). The CMS answers CORS per Origin, so the proxy keeps a
 *   copy for each allowed Origin and one for everyone else
 *   (deploy/nginx/stack.conf): each is refreshed. (Debian's ngx_cache_purge
 *   module crashes nginx 1.22's workers on every purge, so it is not used.)
 * It runs after the commit and is never awaited by the write: a CDN that is
 * down costs retries and a failure count, never a failed or slower save.
 *
 * The settings' URL is configured (SETTINGS_PUBLIC_URL or PUBLIC_URL, and
 * CDN_PURGE_URL for nginx); another type's URL is the settings' one with the
 * type's public path in place of `/api/platform-settings` (same host, same
 * prefix), for the purge as for the nginx refresh. The type's own refresh
 * names its version the same way, with a proof bound to the type.
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { REFRESH_PROOF_HEADER, refreshProof } from '../utils/refresh-proof';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';

export interface PurgeTarget {
  style: 'cloudflare' | 'nginx';
  endpoint: string;
  token: string | null;
  settingsUrl: string;
}

export interface PurgeOptions {
  attempts: number;
  backoffMs: number;
  timeoutMs: number;
}

/** Where to purge, from the environment; null when purging is off. */
export const purgeTargetFromEnv = (env: NodeJS.ProcessEnv): PurgeTarget | null => {
  const endpoint = env.CDN_PURGE_URL?.trim();
  if (!endpoint) return null;
  const style = (env.CDN_PURGE_STYLE?.trim() || 'cloudflare') as PurgeTarget['style'];
  if (style !== 'cloudflare' && style !== 'nginx') {
    throw new Error(`CDN_PURGE_STYLE must be cloudflare or nginx (got "${style}")`);
  }
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  const settingsUrl =
    env.SETTINGS_PUBLIC_URL?.trim() || (publicUrl ? `${publicUrl}/api/platform-settings` : '');
  if (!settingsUrl) {
    throw new Error('CDN_PURGE_URL is set, but neither SETTINGS_PUBLIC_URL nor PUBLIC_URL is');
  }
  return { style, endpoint, token: env.CDN_PURGE_TOKEN?.trim() || null, settingsUrl };
};

/**
 * `url` (the settings' public URL, or the nginx refresh URL of the settings)
 * with `publicPath` in place of the settings' path: where the same proxy or CDN
 * keeps another type. A URL that does not end in the settings' path keeps its
 * origin and gets the type's path.
 */
export const urlForPath = (url: string, publicPath: string) => {
  const parsed = new URL(url);
  if (publicPath === SETTINGS_TYPE.publicPath) return url;
  const prefix = parsed.pathname.endsWith(SETTINGS_TYPE.publicPath)
    ? parsed.pathname.slice(0, -SETTINGS_TYPE.publicPath.length)
    : '';
  parsed.pathname = `${prefix}${publicPath}`;
  parsed.search = '';
  return parsed.toString();
};

/** Network errors, timeouts, 429 and 5xx may pass; any other answer will not change on a retry. */
const isRetryable = (status: number | null) => status === null || status === 429 || status >= 500;

export const createCdnPurgeService = ({ strapi }: { strapi: Core.Strapi }) => {
  const target = purgeTargetFromEnv(process.env);
  const running = new Set<Promise<void>>();
  const shutdown = new AbortController();

  // Read per purge, so a test (or an operator's console) can change them on a running app.
  const options = () => strapi.config.get(`plugin::${PLUGIN_ID}.cdnPurge`) as PurgeOptions;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      shutdown.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), {
        once: true,
      });
    });

  /** The Origins the CMS answers CORS for: each has its own copy in a proxy that keys on it. */
  const allowedOrigins = (): string[] => {
    const middlewares = strapi.config.get('middlewares', []) as Array<
      string | { name?: string; config?: { origin?: unknown } }
    >;
    const cors = middlewares.find(
      (entry) => typeof entry === 'object' && entry.name === 'strapi::cors'
    ) as { config?: { origin?: unknown } } | undefined;
    const origin = cors?.config?.origin;
    const list = Array.isArray(origin)
      ? origin
      : typeof origin === 'string'
        ? origin.split(',')
        : [];
    return list.map((entry) => String(entry).trim()).filter((entry) => entry && entry !== '*');
  };

  const requestsFor = (
    { style, endpoint, token, settingsUrl }: PurgeTarget,
    type: VersionedType,
    version: number
  ) => {
    const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    if (style === 'nginx') {
      const proof = refreshProof(version, Date.now(), type.isSettings ? undefined : type.key);
      const url = urlForPath(endpoint, type.publicPath);
      return ['', ...allowedOrigins()].map((origin) => ({
        url,
        init: {
          method: 'GET',
          headers: {
            ...auth,
            'X-Settings-Refresh': '1',
            'X-Settings-Min-Version': String(version),
            ...(proof ? { [REFRESH_PROOF_HEADER]: proof } : {}),
            ...(origin ? { Origin: origin } : {}),
          },
        },
      }));
    }
    return [
      {
        url: endpoint,
        init: {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...auth },
          body: JSON.stringify({ files: [urlForPath(settingsUrl, type.publicPath)] }),
        },
      },
    ];
  };

  /** One round of requests; resolves to null on success, or to why one failed. */
  const attempt = async (
    purgeTarget: PurgeTarget,
    type: VersionedType,
    version: number,
    timeoutMs: number
  ): Promise<{ status: number | null; reason: string } | null> => {
    const failures = await Promise.all(
      requestsFor(purgeTarget, type, version).map(async ({ url, init }) => {
        try {
          const response = await fetch(url, {
            ...init,
            signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(timeoutMs)]),
          });
          // Drain the body so the connection is reused; the answers are small.
          await response.arrayBuffer().catch(() => undefined);
          return response.ok
            ? null
            : { status: response.status, reason: `HTTP ${response.status}` };
        } catch (error) {
          return { status: null, reason: error instanceof Error ? error.message : String(error) };
        }
      })
    );
    return failures.find((failure) => failure !== null) ?? null;
  };

  const run = async (type: VersionedType, version: number) => {
    if (!target) return;
    const metrics = getService('metrics');
    const { attempts, backoffMs, timeoutMs } = options();
    const host = new URL(target.endpoint).host;
    // The settings' lines stay as they were; another type's name its key.
    const what = type.isSettings ? `version ${version}` : `${type.key} version ${version}`;
    const fields = type.isSettings ? { version } : { type: type.key, version };
    for (let tryNumber = 1; tryNumber <= attempts; tryNumber += 1) {
      const failure = await attempt(target, type, version, timeoutMs);
      if (!failure) {
        metrics.cdnPurge('success');
        strapi.log.info(`platform-settings: CDN purged for ${what}`, {
          event: 'cdn.purge',
          ...fields,
          result: 'success',
          attempts: tryNumber,
        });
        return;
      }
      if (shutdown.signal.aborted) {
        metrics.cdnPurge('failure');
        strapi.log.warn(`platform-settings: CDN purge for ${what} abandoned at shutdown`);
        return;
      }
      if (tryNumber === attempts || !isRetryable(failure.status)) {
        metrics.cdnPurge('failure');
        strapi.log.error(
          `platform-settings: CDN purge for ${what} failed after ${tryNumber} attempt(s) at ${host}: ${failure.reason}`,
          { event: 'cdn.purge', ...fields, result: 'failure', attempts: tryNumber }
        );
        return;
      }
      metrics.cdnPurgeRetry();
      const delay = backoffMs * 2 ** (tryNumber - 1);
      strapi.log.warn(
        `platform-settings: CDN purge for ${what} failed at ${host} (${failure.reason}); retrying in ${delay} ms`
      );
      // Up to 20 % jitter, so instances that restarted together do not retry in step.
      await pause(delay + Math.floor(Math.random() * delay * 0.2));
    }
  };

  return {
    enabled: () => target !== null,
    target: () => target,

    /** The public URL purged for `type` (the settings' when none is named); null when purging is off. */
    urlOf(type: VersionedType = SETTINGS_TYPE) {
      return target ? urlForPath(target.settingsUrl, type.publicPath) : null;
    },

    /** Fire and forget: call after a version of `type` (the settings when none is named) commits. */
    purge(version: number, type: VersionedType = SETTINGS_TYPE) {
      if (!target || shutdown.signal.aborted) return;
      const job: Promise<void> = run(type, version)
        .catch((error: unknown) => {
          strapi.log.error(`platform-settings: CDN purge crashed: ${error}`);
        })
        .finally(() => running.delete(job));
      running.add(job);
    },

    /** Resolves once every purge started so far has succeeded or given up. */
    async idle() {
      await Promise.allSettled([...running]);
    },

    /** On shutdown: cut waits and requests short, so the process can exit. */
    async stop() {
      shutdown.abort();
      await Promise.allSettled([...running]);
    },
  };
};

export type CdnPurgeService = ReturnType<typeof createCdnPurgeService>;
