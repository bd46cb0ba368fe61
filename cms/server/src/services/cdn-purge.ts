/**
 * Tells the CDN to drop its copy of the settings URL after each committed
 * version, so visitors see a change before `s-maxage` runs out.
 *
 * Sends Cloudflare's purge-by-URL request (`POST {"files": [url]}` with a bearer
 * token). It runs after the commit and is never awaited by the write: a CDN that
 * is down costs retries and a failure count, never a failed or slower save.
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';

export interface PurgeTarget {
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
  const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, '');
  const settingsUrl =
    env.SETTINGS_PUBLIC_URL?.trim() || (publicUrl ? `${publicUrl}/api/platform-settings` : '');
  if (!settingsUrl) {
    throw new Error('CDN_PURGE_URL is set, but neither SETTINGS_PUBLIC_URL nor PUBLIC_URL is');
  }
  return { endpoint, token: env.CDN_PURGE_TOKEN?.trim() || null, settingsUrl };
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

  /** One request; resolves to null on success, or to why it failed. */
  const attempt = async (
    { endpoint, token, settingsUrl }: PurgeTarget,
    timeoutMs: number
  ): Promise<{ status: number | null; reason: string } | null> => {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ files: [settingsUrl] }),
        signal: AbortSignal.any([shutdown.signal, AbortSignal.timeout(timeoutMs)]),
      });
      // Drain the body so the connection is reused; Cloudflare's is small JSON.
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? null : { status: response.status, reason: `HTTP ${response.status}` };
    } catch (error) {
      return { status: null, reason: error instanceof Error ? error.message : String(error) };
    }
  };

  const run = async (version: number) => {
    if (!target) return;
    const metrics = getService('metrics');
    const { attempts, backoffMs, timeoutMs } = options();
    const host = new URL(target.endpoint).host;
    for (let tryNumber = 1; tryNumber <= attempts; tryNumber += 1) {
      const failure = await attempt(target, timeoutMs);
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
