/**
 * Admin-only changes as server-sent events (`GET /platform-settings/events`, admin JWT and
 * the history read permission of at least one versioned type): the admin's open pages hear
 * that the schedules, the pins or the other types' versions changed, and refetch what they
 * show. Only the topic goes out (`event: changed`, `data: {"topics":[…]}`), never the rows:
 * the page reads them through the admin API, with its own permissions.
 * The settings' new versions are not sent here: they are public, and the public stream
 * (services/events.ts) carries them. Another type's are `versions` here, since its public
 * GET may be closed to visitors (the Public role decides).
 *
 * Across instances: a change made here is sent at once; one made on another instance (or a
 * schedule that ran there) is noticed by a small fingerprint of each topic (per-status counts
 * and the latest `updated_at` of the schedules; every type's pinned versions and their labels;
 * the other types' head versions), read every `versionCheckIntervalMs` — only while an admin
 * stream is open.
 *
 * Same limits as the public stream (`events.*`: caps, heartbeat, retry, slow readers), the
 * caps on open streams (per instance, per address) counting both. A stream ends when the
 * admin's token expires (the page reconnects with a fresh one), when the server drains, and
 * at the next check after its session ends (logout), its admin is deactivated or deleted, or
 * loses `history.read`: each check asks that once per session, not once per stream.
 */
import type { ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { HEAD_DOCUMENT_ID } from '../chain';
import { historyActionsOf } from '../permissions';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';

export const ADMIN_TOPICS = ['schedules', 'pins', 'versions'] as const;
export type AdminTopic = (typeof ADMIN_TOPICS)[number];

const SCHEDULES_TABLE = 'platform_settings_schedules';
const HEARTBEAT = Buffer.from(': ping\n\n');

/** Who opened a stream: the signed-in admin and the session its token belongs to. */
export interface StreamOwner {
  userId: number | string;
  sessionId: string;
}

interface Stream {
  response: ServerResponse;
  client: string;
  owner: StreamOwner;
  expiry: NodeJS.Timeout | null;
}

interface AdminUser {
  isActive?: boolean;
  blocked?: boolean;
}
export interface Ability {
  can(action: string): boolean;
}
interface StrapiAdmin {
  sessionManager?: (origin: 'admin') => { isSessionActive(id: string): Promise<boolean> };
  admin?: {
    services: {
      permission: {
        engine: { generateUserAbility(user: AdminUser): Promise<Ability> };
      };
    };
  };
}

export const changedFrame = (topics: AdminTopic[]) =>
  Buffer.from(`event: changed\ndata: ${JSON.stringify({ topics })}\n\n`);

export const createAdminEventsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const streams = new Set<Stream>();
  const perClient = new Map<string, number>();
  /** The last fingerprint seen per topic; empty while no stream is open. */
  const fingerprints = new Map<AdminTopic, string>();
  let heartbeat: NodeJS.Timeout | null = null;
  let checkTimer: NodeJS.Timeout | null = null;
  let checking: Promise<void> | null = null;
  let unsubscribeDrain: (() => void) | null = null;

  const config = (key: string, fallback: number) =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.${key}`, fallback));
  const db = () => strapi.db.connection as unknown as Knex;

  const allTypes = (): VersionedType[] => [SETTINGS_TYPE, ...getService('versionedTypes').list()];

  const rowsOf = async (topic: AdminTopic, type: VersionedType) => {
    switch (topic) {
      case 'schedules':
        return type.isSettings
          ? db()(SCHEDULES_TABLE)
              .select('status')
              .count({ total: '*' })
              .max({ latest: 'updated_at' })
              .groupBy('status')
              .orderBy('status')
          : []; // One table holds every type's schedules: read once, with the settings.
      case 'pins':
        // The pins themselves (few, by the pinned index), not their latest `updated_at`:
        // MySQL keeps whole seconds, and a relabel in the same second would go unseen.
        return db()(type.tables.history)
          .where('pinned', true)
          .select('version', 'pin_label')
          .orderBy('version');
      case 'versions':
        return type.isSettings
          ? []
          : db()(type.tables.head).where({ document_id: HEAD_DOCUMENT_ID }).select('head_version');
    }
  };

  const fingerprintOf = async (topic: AdminTopic): Promise<string> => {
    const parts: string[][][] = [];
    for (const type of allTypes()) {
      const rows = (await rowsOf(topic, type)) as Record<string, unknown>[];
      // Counts and dates come back as numbers, strings or Dates depending on the driver.
      parts.push(rows.map((row) => Object.values(row).map(String)));
    }
    return JSON.stringify(parts);
  };

  /** Whether `owner` may still read: session active, admin active, some type's history readable. */
  const mayStillRead = async ({ userId, sessionId }: StreamOwner): Promise<boolean> => {
    const { sessionManager, admin } = strapi as unknown as StrapiAdmin;
    if (!sessionManager || !admin) return false;
    if (!(await sessionManager('admin').isSessionActive(sessionId))) return false;
    const user = (await strapi.db
      .query('admin::user')
      .findOne({ where: { id: userId }, populate: ['roles'] })) as AdminUser | null;
    if (!user || user.isActive !== true || user.blocked === true) return false;
    return mayReadAnyHistory(await admin.services.permission.engine.generateUserAbility(user));
  };

  /** The stream tells which topics moved, of any type: it is for whoever may read one history. */
  const mayReadAnyHistory = (ability: Ability) =>
    allTypes().some((type) => ability.can(historyActionsOf(type).read));

  /** Ends the streams whose admin may no longer read them (one question per session). */
  const revalidate = async () => {
    const bySession = new Map<string, Stream[]>();
    for (const stream of streams) {
      const list = bySession.get(stream.owner.sessionId) ?? [];
      list.push(stream);
      bySession.set(stream.owner.sessionId, list);
    }
    for (const list of bySession.values()) {
      if (await mayStillRead(list[0].owner)) continue;
      for (const stream of list) {
        forget(stream);
        stream.response.end();
      }
    }
  };

  const forget = (stream: Stream) => {
    if (!streams.delete(stream)) return;
    if (stream.expiry) clearTimeout(stream.expiry);
    const left = (perClient.get(stream.client) ?? 1) - 1;
    if (left > 0) perClient.set(stream.client, left);
    else perClient.delete(stream.client);
    if (streams.size === 0) fingerprints.clear();
  };

  /** Writes, or drops the stream when too much already waits for it (a client that does not read). */
  const send = (stream: Stream, bytes: Buffer) => {
    if (stream.response.writableLength > config('events.maxPendingBytes', 64 * 1024)) {
      getService('metrics').eventStreamDropped('slow');
      forget(stream);
      stream.response.destroy();
      return;
    }
    stream.response.write(bytes);
  };

  const broadcast = (topics: AdminTopic[]) => {
    if (topics.length === 0) return;
    const bytes = changedFrame(topics);
    for (const stream of streams) send(stream, bytes);
  };

  /** Reads each topic's fingerprint; sends the topics that moved since the last read. */
  const compare = async () => {
    if (streams.size === 0) return;
    await revalidate();
    if (streams.size === 0) return;
    const moved: AdminTopic[] = [];
    for (const topic of ADMIN_TOPICS) {
      const now = await fingerprintOf(topic);
      const before = fingerprints.get(topic);
      fingerprints.set(topic, now);
      if (before !== undefined && before !== now) moved.push(topic);
    }
    if (streams.size > 0) broadcast(moved);
  };
  /** One check at a time; a call while one runs shares it. */
  const check = (): Promise<void> => {
    checking ??= compare()
      .catch((error: unknown) => {
        strapi.log.warn(`platform-settings: admin event check: ${(error as Error).message}`);
      })
      .finally(() => {
        checking = null;
      });
    return checking;
  };

  return {
    open: () => streams.size,
    mayReadAnyHistory,
    /** Admin streams open from `client` (the per-address cap counts them with the public ones). */
    openFrom: (client: string) => perClient.get(client) ?? 0,

    /** Why a new stream from `client` is refused (→ 503), or null when it may open. */
    refusal(client: string): string | null {
      if (getService('shutdown').isDraining()) return 'this instance is shutting down';
      if (streams.size + getService('events').open() >= config('events.maxStreams', 10_000)) {
        return 'too many open streams on this instance';
      }
      const fromClient = (perClient.get(client) ?? 0) + getService('events').openFrom(client);
      if (fromClient >= config('events.maxStreamsPerClient', 32)) {
        return 'too many open streams from this address';
      }
      return null;
    },

    /**
     * Takes over `response` as an event stream, until `expiresAt` (the admin token's
     * expiry, ms) at the latest. The first frame is `event: ready`.
     */
    attach(response: ServerResponse, client: string, owner: StreamOwner, expiresAt: number | null) {
      const stream: Stream = { response, client, owner, expiry: null };
      streams.add(stream);
      perClient.set(client, (perClient.get(client) ?? 0) + 1);
      response.once('close', () => forget(stream));
      if (expiresAt !== null) {
        // setTimeout's limit is about 24.8 days; tokens live far less.
        const ms = Math.min(Math.max(expiresAt - Date.now(), 0), 2 ** 31 - 1);
        stream.expiry = setTimeout(() => {
          forget(stream);
          response.end();
        }, ms);
        stream.expiry.unref();
      }
      response.socket?.setNoDelay(true);
      response.socket?.setKeepAlive(true);
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      response.write(`retry: ${config('events.retryMs', 3000)}\n\nevent: ready\ndata: {}\n\n`);
      // The first stream takes the baseline the next checks compare with.
      if (fingerprints.size === 0) void check();
    },

    /**
     * A change made on this instance: sent at once, and its fingerprint read again so the
     * periodic check does not send it a second time.
     */
    async changed(topic: AdminTopic) {
      if (streams.size === 0) return;
      broadcast([topic]);
      try {
        fingerprints.set(topic, await fingerprintOf(topic));
      } catch {
        fingerprints.delete(topic);
      }
    },

    check,

    start() {
      heartbeat = setInterval(
        () => {
          for (const stream of streams) send(stream, HEARTBEAT);
        },
        config('events.heartbeatMs', 15_000)
      );
      heartbeat.unref();
      checkTimer = setInterval(() => void check(), config('versionCheckIntervalMs', 5000));
      checkTimer.unref();
      unsubscribeDrain = getService('shutdown').onDrain(() => this.closeAll());
    },

    closeAll() {
      for (const stream of [...streams]) {
        forget(stream);
        stream.response.end();
      }
    },

    async stop() {
      unsubscribeDrain?.();
      if (heartbeat) clearInterval(heartbeat);
      if (checkTimer) clearInterval(checkTimer);
      heartbeat = checkTimer = null;
      this.closeAll();
      await checking;
    },
  };
};

export type AdminEventsService = ReturnType<typeof createAdminEventsService>;
