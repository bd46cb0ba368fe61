/**
 * Tells the CDN to drop its copy of the settings URL after each committed
 * version, so visitors see a change before `s-maxage` runs out.
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
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { REFRESH_PROOF_HEADER, refreshProof } from '../utils/refresh-proof';

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

  const requestsFor = ({ style, endpoint, token, settingsUrl }: PurgeTarget, version: number) => {
    const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    if (style === 'nginx') {
      const proof = refreshProof(version);
      return ['', ...allowedOrigins()].map((origin) => ({
        url: endpoint,
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
          body: JSON.stringify({ files: [settingsUrl] }),
        },
      },
    ];
  };

  /** One round of requests; resolves to null on success, or to why one failed. */
  const attempt = async (
    purgeTarget: PurgeTarget,
    version: number,
    timeoutMs: number
  ): Promise<{ status: number | null; reason: string } | null> => {
    const failures = await Promise.all(
      requestsFor(purgeTarget, version).map(async ({ url, init }) => {
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

  const run = async (version: number) => {
    if (!target) return;
    const metrics = getService('metrics');
    const { attempts, backoffMs, timeoutMs } = options();
    const host = new URL(target.endpoint).host;
    for (let tryNumber = 1; tryNumber <= attempts; tryNumber += 1) {
      const failure = await attempt(target, version, timeoutMs);
      if (!failure) {
        metrics.cdnPurge('success');
        strapi.log.info(`platform-settings: CDN purged for version ${version}`, {
          event: 'cdn.purge',
          version,
          result: 'success',
          attempts: tryNumber,
        });
        return;
      }
      if (shutdown.signal.aborted) {
        metrics.cdnPurge('failure');
        strapi.log.warn(
          `platform-settings: CDN purge for version ${version} abandoned at shutdown`
        );
        return;
      }
      if (tryNumber === attempts || !isRetryable(failure.status)) {
        metrics.cdnPurge('failure');
        strapi.log.error(
          `platform-settings: CDN purge for version ${version} failed after ${tryNumber} attempt(s) at ${host}: ${failure.reason}`,
          { event: 'cdn.purge', version, result: 'failure', attempts: tryNumber }
        );
        return;
      }
      metrics.cdnPurgeRetry();
      const delay = backoffMs * 2 ** (tryNumber - 1);
      strapi.log.warn(
        `platform-settings: CDN purge for version ${version} failed at ${host} (${failure.reason}); retrying in ${delay} ms`
      );
      // Up to 20 % jitter, so instances that restarted together do not retry in step.
      await pause(delay + Math.floor(Math.random() * delay * 0.2));
    }
  };

  return {
    enabled: () => target !== null,
    target: () => target,

    /** Fire and forget: call after a version commits. */
    purge(version: number) {
      if (!target || shutdown.signal.aborted) return;
      const job: Promise<void> = run(version)
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
