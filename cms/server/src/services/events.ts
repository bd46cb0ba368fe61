/**
 * Live settings over server-sent events (`GET /api/platform-settings/events`).
 * Every open stream gets the settings once on connect, then an event `settings`
 * (id: `<version>.<epoch>`, data: exactly the GET's body) whenever the version this
 * instance serves changes — a commit here, one on another instance (PostgreSQL
 * NOTIFY, or the periodic version check on MySQL/MariaDB), a restore. Drafts
 * are never sent: only the public copy is.
 *
 * Bounded and fair: a cap on open streams per instance and per client address
 * (beyond them 503 with Retry-After, so clients poll instead); a client that
 * does not read is dropped once too much waits for it, rather than buffered;
 * comment heartbeats keep proxies from closing idle streams; every stream is
 * closed when the server drains (clients reconnect to another instance). Each
 * event's bytes are encoded once per version, not once per client.
 *
 * The id's epoch is a tag of that version's history MAC, which differs on every
 * timeline: a database restored to an older backup reuses version numbers, but
 * not MACs. A client reconnecting with the id of another timeline's version 5
 * (or a plain number, from before epochs) gets the full state, not a heartbeat.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { HISTORY_TABLE, readHead } from '../chain';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import type { Representation } from '../utils/representation';
import type { TypeRepresentation } from './type-delivery';

interface Stream {
  response: ServerResponse;
  client: string;
  /** The settings (`settings`) and the other public types (their keys) this stream carries. */
  types: ReadonlySet<string>;
  /** The ETag last sent of each other type, so a copy is never sent twice (connect and broadcast race). */
  sent: Map<string, string>;
}

/** A stream that names no types carries the settings alone, as it always has. */
export const SETTINGS_ONLY: ReadonlySet<string> = new Set(['settings']);

/** A versioned type's event: named after the type, its data exactly the type's public GET body. */
export const typeEventFrame = (representation: TypeRepresentation) =>
  Buffer.from(
    `event: ${representation.type.key}\nid: ${representation.type.key}:${representation.version}\ndata: ${representation.body}\n\n`
  );

const HEARTBEAT = Buffer.from(': ping\n\n');

interface Frame {
  etag: string;
  id: string;
  bytes: Buffer;
}

/** A short tag of a version's history MAC: unique per timeline, and not the MAC itself. */
export const epochOf = (mac: string) =>
  createHash('sha256').update(`sse-epoch\n${mac}`).digest('hex').slice(0, 12);

/** `<version>.<epoch>`, or the bare version where the MAC could not be read. */
export const eventId = (version: number, mac: string | null) =>
  mac ? `${version}.${epochOf(mac)}` : String(version);

export const eventFrame = (representation: Representation, id: string) =>
  Buffer.from(`event: settings\nid: ${id}\ndata: ${representation.body}\n\n`);

export const createEventsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const streams = new Set<Stream>();
  const perClient = new Map<string, number>();
  let frame: { etag: string; ready: Promise<Frame> } | null = null;
  // Initial frames and broadcasts go out in order, though making a frame waits for a query.
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(task).catch((error: unknown) => {
      strapi.log.warn(`platform-settings: event stream: ${(error as Error).message}`);
    });
  };
  let heartbeat: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  const config = (key: string, fallback: number) =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.events.${key}`, fallback));
  /** The MAC of `version` in this database's history (the head's, where its row is archived). */
  const macOf = async (version: number): Promise<string | null> => {
    const db = strapi.db.connection as unknown as Knex;
    const row = await db(HISTORY_TABLE).where({ version }).first('hash');
    if (row?.hash) return String(row.hash);
    const head = await readHead(db);
    return head?.version === version && head.mac ? head.mac : null;
  };
  const frameOf = (representation: Representation): Promise<Frame> => {
    if (frame?.etag !== representation.etag) {
      const { version, etag } = representation;
      const ready = macOf(version)
        .catch(() => null) // the database is down: a bare id, which any reconnect takes as unknown
        .then((mac) => {
          const id = eventId(version, mac);
          return { etag, id, bytes: eventFrame(representation, id) };
        });
      frame = { etag, ready };
    }
    return frame.ready;
  };

  const forget = (stream: Stream) => {
    if (!streams.delete(stream)) return;
    const left = (perClient.get(stream.client) ?? 1) - 1;
    if (left > 0) perClient.set(stream.client, left);
    else perClient.delete(stream.client);
  };

  /** Writes, or drops the stream when too much already waits for it (a client that does not read). */
  const send = (stream: Stream, bytes: Buffer): boolean => {
    if (stream.response.writableLength > config('maxPendingBytes', 64 * 1024)) {
      getService('metrics').eventStreamDropped('slow');
      forget(stream);
      stream.response.destroy();
      return false;
    }
    stream.response.write(bytes);
    return true;
  };

  const sendToAll = (representation: Representation, bytes: Buffer) => {
    const metrics = getService('metrics');
    // How long after the commit the event leaves this instance (updatedAt is the commit's time).
    const lagSeconds = Math.max(
      0,
      (Date.now() - Date.parse(representation.settings.updatedAt)) / 1000
    );
    let sent = 0;
    for (const stream of streams)
      if (stream.types.has('settings') && send(stream, bytes)) sent += 1;
    if (sent > 0) {
      metrics.eventsSent(sent);
      metrics.eventDeliveryLag(lagSeconds);
    }
  };

  const broadcast = (representation: Representation) =>
    enqueue(async () => {
      const { bytes } = await frameOf(representation);
      // Superseded while its MAC was read: the newer version's broadcast follows.
      if (getService('cache').peek()?.etag !== representation.etag) return;
      sendToAll(representation, bytes);
    });

  /** A type's new public copy, to every stream that carries the type. */
  const broadcastType = (representation: TypeRepresentation) =>
    enqueue(async () => {
      const bytes = typeEventFrame(representation);
      let sent = 0;
      const { key } = representation.type;
      for (const stream of streams) {
        if (!stream.types.has(key) || stream.sent.get(key) === representation.etag) continue;
        stream.sent.set(key, representation.etag);
        if (send(stream, bytes)) sent += 1;
      }
      if (sent > 0) getService('metrics').eventsSent(sent);
    });

  return {
    open: () => streams.size,
    /** Public streams open from `client` (the per-address cap counts them with the admin ones). */
    openFrom: (client: string) => perClient.get(client) ?? 0,

    /**
     * Why a new stream from `client` is refused (→ 503), or null when it may open. The caps
     * count the admin streams (services/admin-events.ts) too.
     */
    refusal(client: string): string | null {
      if (getService('shutdown').isDraining()) return 'this instance is shutting down';
      const admin = getService('adminEvents');
      if (streams.size + admin.open() >= config('maxStreams', 10_000))
        return 'too many open streams on this instance';
      const fromClient = (perClient.get(client) ?? 0) + admin.openFrom(client);
      if (fromClient >= config('maxStreamsPerClient', 32)) {
        return 'too many open streams from this address';
      }
      return null;
    },

    /**
     * Takes over `response` (its headers already carry CORS) as an event stream.
     * `lastEventId` is what the client last received: the live settings go out at
     * once unless that is exactly their id, epoch included.
     */
    attach(
      response: ServerResponse,
      client: string,
      lastEventId: string | undefined,
      types: ReadonlySet<string> = SETTINGS_ONLY
    ) {
      const stream: Stream = { response, client, types, sent: new Map() };
      streams.add(stream);
      perClient.set(client, (perClient.get(client) ?? 0) + 1);
      response.once('close', () => forget(stream));
      response.socket?.setNoDelay(true);
      response.socket?.setKeepAlive(true);
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        // nginx would otherwise buffer the stream; nothing must compress or hold it either.
        'X-Accel-Buffering': 'no',
        Connection: 'keep-alive',
      });
      // The client waits at most this long before reconnecting after a drop.
      response.write(`retry: ${config('retryMs', 3000)}\n\n`);
      enqueue(async () => {
        const live = types.has('settings') ? getService('cache').peek() : null;
        const first = live ? await frameOf(live) : null;
        // Every other type's copy goes out on each (re)connect: one Last-Event-ID cannot name them all.
        const delivery = getService('typeDelivery');
        const others = await Promise.all(
          getService('versionedTypes')
            .list()
            .filter((type) => types.has(type.key))
            .map((type) => delivery.get(type).catch(() => null))
        );
        if (!streams.has(stream)) return;
        // Written as is: what waits now is the headers and these first frames, not a slow reader.
        response.write(first && lastEventId !== first.id ? first.bytes : HEARTBEAT);
        for (const representation of others) {
          if (!representation || stream.sent.get(representation.type.key) === representation.etag) {
            continue;
          }
          stream.sent.set(representation.type.key, representation.etag);
          response.write(typeEventFrame(representation));
        }
      });
    },

    start() {
      const unsubscribeSettings = getService('cache').onChange(broadcast);
      const unsubscribeTypes = getService('typeDelivery').onChange(broadcastType);
      unsubscribe = () => {
        unsubscribeSettings();
        unsubscribeTypes();
      };
      heartbeat = setInterval(
        () => {
          for (const stream of streams) send(stream, HEARTBEAT);
        },
        config('heartbeatMs', 15_000)
      );
      heartbeat.unref();
      // On SIGTERM: every stream ends, and clients reconnect to another instance.
      getService('shutdown').onDrain(() => this.closeAll());
    },

    closeAll() {
      for (const stream of [...streams]) {
        forget(stream);
        stream.response.end();
      }
    },

    stop() {
      unsubscribe?.();
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      this.closeAll();
    },
  };
};

export type EventsService = ReturnType<typeof createEventsService>;
