/**
 * Readiness: may this instance take traffic? Yes while it can serve the
 * settings — fresh, or stale from memory during a database outage (taking every
 * instance out of the load balancer then would turn an outage of writes into
 * an outage of the site). No when it has nothing to serve, or is shutting down.
 * Strapi's own `/_health` stays the liveness check (is the process up?).
 */
import type { Core } from '@strapi/strapi';
import type { Readiness } from '../../../shared/contracts/operations';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';

class TimedOut extends Error {}

const within = <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

export const createReadinessService = ({ strapi }: { strapi: Core.Strapi }) => {
  const timeoutMs = () =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.readinessTimeoutMs`, 2000));

  const pingDatabase = async (): Promise<boolean> => {
    try {
      await within(strapi.db.connection.raw('select 1'), timeoutMs());
      return true;
    } catch (error) {
      // Logged, not returned: the endpoint is public and the error may name hosts or users.
      strapi.log.warn(`platform-settings: readiness: the database did not answer: ${error}`);
      return false;
    }
  };

  /** The in-memory settings, loading them when missing and the database is up. */
  const loadedVersion = async (databaseUp: boolean): Promise<number | null> => {
    const cache = getService('cache');
    const current = cache.peek();
    if (current) return current.version;
    if (!databaseUp) return null;
    try {
      return (await within(cache.get(), timeoutMs()))?.version ?? null;
    } catch (error) {
      strapi.log.warn(`platform-settings: readiness: the settings could not be loaded: ${error}`);
      return null;
    }
  };

  return {
    /** Whether the database answers `select 1` within the readiness timeout (logged when not). */
    pingDatabase,

    async check(): Promise<Readiness.Response> {
      const draining = getService('shutdown').isDraining();
      const databaseUp = await pingDatabase();
      const cache = getService('cache');
      // What readers are told too (X-Settings-Stale), as soon as readiness notices.
      if (!databaseUp) cache.markStale();
      const version = await loadedVersion(databaseUp);
      const settings = version === null ? 'missing' : cache.isStale() ? 'stale' : 'fresh';
      return {
        status: version !== null && !draining ? 'ready' : 'unavailable',
        checks: { database: databaseUp ? 'up' : 'down', settings },
        settingsVersion: version,
        draining,
      };
    },
  };
};

export type ReadinessService = ReturnType<typeof createReadinessService>;
