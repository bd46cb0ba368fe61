/**
 * The serialized GET response (body + ETag), kept in memory and replaced on
 * every committed change, so reads never touch the database.
 */
import type { Core } from '@strapi/strapi';
import type { Settings } from '../../../shared/contracts/settings';
import { liveDifferences } from '../chain/verifier';
import { getService } from '../utils/get-service';
import { representationOf, type Representation } from '../utils/representation';

export const createCacheService = ({ strapi }: { strapi: Core.Strapi }) => {
  let current: Representation | null = null;
  const changeListeners = new Set<(next: Representation) => void>();
  /** Tells listeners (the event streams) when the copy served moves to another version. */
  const becomes = (next: Representation) => {
    const previous = current;
    current = next;
    if (previous?.version !== next.version) changeListeners.forEach((listener) => listener(next));
  };
  let stale = false;
  let loading: Promise<Representation | null> | null = null;

  let warnedVersion: number | null = null;

  /**
   * What is served is what the signed history holds: a live row edited behind
   * the history's back (verify says live-mismatch, writes stop) is served as its
   * version's signed snapshot, never as the edit.
   */
  const readFromDatabase = async () => {
    const settings = getService('settings');
    const live = await settings.readLiveRow();
    if (!live) return null;
    const entry = await getService('history').get(live.version);
    const differs = entry ? liveDifferences(entry.data, live.data) : [];
    if (entry && differs.length > 0) {
      const integrity = await getService('chain').rowIntegrity(live.version);
      if (warnedVersion !== live.version) {
        warnedVersion = live.version;
        strapi.log.error(
          `platform-settings: the live settings differ from version ${live.version}'s ${integrity === 'intact' ? 'signed ' : ''}snapshot in ${differs.join(', ')} (changed behind the API); ${integrity === 'intact' ? 'serving the signed snapshot' : 'the snapshot does not verify either'}`,
          { event: 'settings.live-mismatch', version: live.version, fields: differs }
        );
      }
      if (integrity === 'intact') {
        return representationOf(
          settings.toSettings({ ...live, data: { ...live.data, ...entry.data } })
        );
      }
    }
    return representationOf(settings.toSettings(live));
  };

  /**
   * The database is the truth. A lower version than ours normally means this
   * read raced a commit of our own, so it is read again; still lower, the
   * database really went back (restored from a backup), and we follow it.
   */
  const load = async (): Promise<Representation | null> => {
    let fresh = await readFromDatabase();
    if (fresh && current && fresh.version < current.version) {
      fresh = await readFromDatabase();
      if (fresh && fresh.version < current.version) {
        strapi.log.warn(
          `platform-settings: the database went back from version ${current.version} to ${fresh.version} (restored from a backup?); serving version ${fresh.version}`
        );
        becomes(fresh);
      }
    }
    if (fresh) replace(fresh);
    return current;
  };

  /** Newer versions win, so a late notification never brings an old copy back. */
  const replace = (next: Representation) => {
    if (!current || next.version >= current.version) becomes(next);
    stale = false;
  };

  /** One reload at a time: concurrent callers share it (a burst of refresh requests costs one read). */
  let reloading: Promise<Representation | null> | null = null;
  const refresh = () => {
    reloading ??= load().finally(() => {
      reloading = null;
    });
    return reloading;
  };

  return {
    /** The cached representation, loading it once when empty. */
    async get(): Promise<Representation | null> {
      if (current) return current;
      loading ??= load().finally(() => {
        loading = null;
      });
      return loading;
    },
    peek: () => current,
    isStale: () => stale,
    markStale() {
      stale = current !== null;
    },
    replace,
    fromSettings(settings: Settings) {
      replace(representationOf(settings));
    },
    /** Reload from the database (after a missed notification, a reconnect or a restore). */
    refresh,
    clear() {
      current = null;
    },
    /** Called with the new copy whenever the version served changes (a commit here or elsewhere, a restore). */
    onChange(listener: (next: Representation) => void) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
  };
};

export type CacheService = ReturnType<typeof createCacheService>;
