/**
 * The public GET of each versioned type other than settings
 * (`GET /api/home-page`): Strapi's own REST answer for the type's deep
 * populate, as the Public role gets it, kept in memory per version with a
 * strong ETag, so the fast path (middlewares/fast-settings-get.ts) can answer
 * it without the stack, and the event streams can send it.
 *
 * The body is made by Strapi itself: the request is injected into the app's
 * own Koa handler (light-my-request), without credentials, so it is sanitised
 * exactly as a visitor's request is, and a type the Public role may not `find`
 * is never cached (its requests keep going to Strapi, which refuses them).
 */
import type { Core } from '@strapi/strapi';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject } from 'light-my-request';
import { stringify } from 'qs';
import { etagFor } from '../utils/etag';
import { deepPopulate, type SchemaLookup } from '../versioned/snapshot';
import type { VersionedType } from '../versioned/types';

export interface TypeRepresentation {
  type: VersionedType;
  version: number;
  /** When Strapi made it (Date.now()): the periodic check renews an old copy. */
  loadedAt: number;
  etag: string;
  body: string;
  bytes: Buffer;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** Marks the CMS's own request for a type's body, so the fast path and the logs leave it alone. */
export const INTERNAL_HEADER = 'x-platform-settings-internal';

export const createTypeDeliveryService = ({ strapi }: { strapi: Core.Strapi }) => {
  const current = new Map<string, TypeRepresentation>();
  const loading = new Map<string, Promise<TypeRepresentation | null>>();
  const stale = new Set<string>();
  const queries = new Map<string, string>();
  const listeners = new Set<(next: TypeRepresentation) => void>();
  let handler: Handler | null = null;

  const lookup: SchemaLookup = (uid) =>
    strapi.getModel(uid as never) as unknown as ReturnType<SchemaLookup>;

  /** The query string that asks Strapi for the whole document (components, media, relations). */
  const populateQuery = (type: VersionedType) => {
    let query = queries.get(type.uid);
    if (query === undefined) {
      query = stringify(
        { populate: deepPopulate(lookup, type.uid, 'whole') },
        { encodeValuesOnly: true }
      );
      queries.set(type.uid, query);
    }
    return query;
  };

  const cacheControl = (type: VersionedType) =>
    `public, max-age=${type.cacheSeconds}, s-maxage=${type.cacheSeconds}, stale-while-revalidate=30`;

  const load = async (type: VersionedType): Promise<TypeRepresentation | null> => {
    // The app's handler, composed once every middleware and route is in place (after bootstrap).
    handler ??= strapi.server.app.callback() as unknown as Handler;
    const response = await inject(handler, {
      method: 'GET',
      url: `${type.publicPath}?${populateQuery(type)}`,
      headers: { [INTERNAL_HEADER]: '1' },
    });
    if (response.statusCode !== 200) {
      current.delete(type.uid);
      return null;
    }
    const body = response.payload;
    const version = Number(
      (JSON.parse(body) as { data?: { version?: unknown } }).data?.version ?? 0
    );
    const next: TypeRepresentation = {
      type,
      version,
      loadedAt: Date.now(),
      etag: etagFor(version, body),
      body,
      bytes: Buffer.from(body),
    };
    const previous = current.get(type.uid);
    current.set(type.uid, next);
    stale.delete(type.uid);
    if (previous?.etag !== next.etag) listeners.forEach((listener) => listener(next));
    return next;
  };

  /** One load at a time per type: concurrent callers share it. */
  const refresh = (type: VersionedType) => {
    let pending = loading.get(type.uid);
    if (!pending) {
      pending = load(type).finally(() => loading.delete(type.uid));
      loading.set(type.uid, pending);
    }
    return pending;
  };

  return {
    populateQuery,
    cacheControl,
    peek: (type: VersionedType) => current.get(type.uid) ?? null,
    /** The representation, loaded once when missing. */
    get: (type: VersionedType) => Promise.resolve(current.get(type.uid) ?? refresh(type)),
    refresh,
    /** Keeps serving the last good copy, flagged, while the database cannot be asked. */
    markStale: (type: VersionedType) => {
      if (current.has(type.uid)) stale.add(type.uid);
    },
    isStale: (type: VersionedType) => stale.has(type.uid),
    /** Forgets every copy (the Public role's permissions changed). */
    clear() {
      current.clear();
    },
    /** Called with a type's new copy whenever its body changes. */
    onChange(listener: (next: TypeRepresentation) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

export type TypeDeliveryService = ReturnType<typeof createTypeDeliveryService>;
