/**
 * Keeps every instance's in-memory settings current.
 *
 * - The writing instance replaces its copy synchronously after commit (see bootstrap).
 * - Other instances on the same PostgreSQL hear a NOTIFY, sent inside the
 *   writing transaction so it is delivered only if the change commits, and reload.
 * - A periodic version check, on every database, catches anything missed (a
 *   notification lost while the listening connection was down), is how
 *   MySQL/MariaDB instances (no LISTEN/NOTIFY) learn of each other's writes,
 *   and notices a database restored to an older backup. When the database
 *   cannot be reached, the copy is marked stale and keeps being served; once it
 *   answers again the copy is reloaded, without a restart.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Client } from 'pg';
import { getService } from '../utils/get-service';
import { NOTIFY_CHANNEL } from '../stores/notify';

export const createInvalidationService = ({ strapi }: { strapi: Core.Strapi }) => {
  let listener: Client | null = null;
  /** A client between `new` and `LISTEN` (so stop() can end it too). */
  let connecting: Client | null = null;
  let checkTimer: NodeJS.Timeout | null = null;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelayMs = 500;
  let stopped = false;

  const isPostgres = () => strapi.db.dialect.client === 'postgres';
  const config = (key: string, fallback: number) =>
    Number(strapi.config.get(`plugin::platform-settings.${key}`, fallback));

  /** Reload when the database holds a newer version than we serve; mark stale when it cannot be asked. */
  const checkVersion = async () => {
    const cache = getService('cache');
    try {
      const live = await getService('settings').readLiveRow();
      // Different either way: newer (a missed notification) or older (a restored backup).
      if (live && (live.version !== cache.peek()?.version || cache.isStale())) {
        await cache.refresh();
      }
    } catch (error) {
      if (!cache.isStale()) {
        strapi.log.warn(
          `platform-settings: cannot reach the database (${(error as Error).message}); serving the last good settings`
        );
      }
      cache.markStale();
    }
  };

  /** Another instance committed a version of a type: serve it too. */
  const refreshType = (key: string, version: number) => {
    const type = getService('versionedTypes').byKey(key);
    const delivery = getService('typeDelivery');
    if (!type || (delivery.peek(type)?.version ?? 0) >= version) return;
    void delivery.refresh(type).catch(() => delivery.markStale(type));
  };

  /**
   * The periodic check of every other type: its published version against the one served,
   * and a copy older than this renewed anyway. What Strapi answers the Public role can change
   * without a version — its permissions revoked on another instance, a media file replaced —
   * and a renewal asks Strapi again (a 403 stops the fast path serving it).
   */
  const RENEW_AFTER_MS = 30_000;
  const checkTypes = async () => {
    const delivery = getService('typeDelivery');
    for (const type of getService('versionedTypes').list()) {
      const served = delivery.peek(type);
      if (!served) continue;
      try {
        const version = await getService('versioning')
          .store(type)
          .liveVersion(strapi.db.connection as unknown as Knex);
        const old = Date.now() - served.loadedAt >= RENEW_AFTER_MS;
        if (version !== served.version || delivery.isStale(type) || old) {
          await delivery.refresh(type);
        }
      } catch {
        delivery.markStale(type);
      }
    }
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void listen();
    }, reconnectDelayMs);
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, 10_000);
  };

  const listen = async () => {
    if (stopped) return;
    // Only on PostgreSQL: the `pg` module knex already loaded for the app, so the
    // plugin's bundles never resolve `pg` themselves (it is the host app's driver).
    const { Client: PgClient } = (strapi.db.connection as unknown as Knex).client
      .driver as typeof import('pg');
    const connection = (strapi.db.config.connection as { connection: unknown }).connection;
    const client = new PgClient(connection as ConstructorParameters<typeof PgClient>[0]);
    const dropped = () => {
      if (listener === client) listener = null;
      if (connecting === client) connecting = null;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end().catch(() => undefined);
      // After stop() Strapi may be gone: nothing to mark, nothing to reconnect.
      if (stopped) return;
      getService('cache').markStale();
      scheduleReconnect();
    };
    client.on('error', dropped);
    client.on('end', dropped);
    client.on('notification', (message) => {
      const [key, typeVersion] = String(message.payload).split(':');
      if (typeVersion !== undefined) {
        refreshType(key, Number(typeVersion));
        return;
      }
      if (Number(message.payload) > (getService('cache').peek()?.version ?? 0)) {
        void getService('cache')
          .refresh()
          .catch(() => getService('cache').markStale());
      }
    });
    connecting = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      // Stopped while connecting: stop() ended this client already.
      if (stopped) return;
      connecting = null;
      listener = client;
      reconnectDelayMs = 500;
      // Whatever changed while we were not listening.
      await checkVersion();
    } catch {
      dropped();
    }
  };

  return {
    async start() {
      stopped = false;
      // PostgreSQL pushes changes; every database is also checked periodically (the only
      // way MySQL/MariaDB instances learn of each other's writes, and how any instance
      // notices a database restored to an older backup).
      if (isPostgres()) await listen();
      checkTimer = setInterval(
        () => {
          void checkVersion();
          void checkTypes();
        },
        config('versionCheckIntervalMs', 5000)
      );
      checkTimer.unref();
    },

    checkVersion,

    async stop() {
      stopped = true;
      if (checkTimer) clearInterval(checkTimer);
      if (reconnectTimer) clearTimeout(reconnectTimer);
      checkTimer = reconnectTimer = null;
      // The listening client, and one still connecting (a reconnect under way).
      const clients = [listener, connecting].filter((client): client is Client => client !== null);
      listener = connecting = null;
      for (const client of clients) {
        client.removeAllListeners();
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
      }
    },
  };
};

export type InvalidationService = ReturnType<typeof createInvalidationService>;
