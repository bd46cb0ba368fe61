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
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject } from 'light-my-request';
import { stringify } from 'qs';
import { typePublicRouteOf } from '../routes/type-routes';
import { liveDifferences } from '../chain/verifier';
import { etagFor } from '../utils/etag';
import { getService } from '../utils/get-service';
import { publicCacheControlFor } from '../utils/http';
import { deepPopulate, type SchemaLookup } from '../stores/snapshot';
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

/**
 * Marks the CMS's own request for a type's body, so the fast path and the request metrics and
 * logs leave it alone. Its value is made per process: a visitor sending the header is not
 * taken for the CMS (and so is still counted and logged).
 */
export const INTERNAL_HEADER = 'x-platform-settings-internal';
export const INTERNAL_TOKEN = randomUUID();
export const isInternalRequest = (value: string | string[] | undefined) => value === INTERNAL_TOKEN;

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

  const cacheControl = (type: VersionedType) => publicCacheControlFor(type.cacheSeconds);

  const withheld = new Set<string>();
  let warned = '';

  /** Is what is published what the type's newest signed version holds (the edit verify calls live-mismatch)? */
  const matchesSignedVersion = async (type: VersionedType) => {
    const live = await getService('versioning').store(type).readLive();
    if (!live || live.version === 0) return true;
    const entry = await getService('history').of(type).get(live.version);
    const differs = entry ? liveDifferences(entry.data, live.data) : ['(the version is missing)'];
    const intact =
      differs.length === 0 &&
      (await getService('chain').of(type).rowIntegrity(live.version)) === 'intact';
    if (!intact && warned !== `${type.uid}@${live.version}`) {
      warned = `${type.uid}@${live.version}`;
      strapi.log.error(
        `platform-settings: the published ${type.displayName} differs from version ${live.version}'s signed snapshot${differs.length > 0 ? ` in ${differs.join(', ')}` : ''} (changed behind the API); its public GET keeps the last good copy or answers 503`,
        { event: 'type.live-mismatch', type: type.uid, version: live.version, fields: differs }
      );
    }
    return intact;
  };

  const load = async (type: VersionedType): Promise<TypeRepresentation | null> => {
    // The app's handler, composed once every middleware and route is in place (after bootstrap).
    handler ??= strapi.server.app.callback() as unknown as Handler;
    const response = await inject(handler, {
      method: 'GET',
      url: `${type.publicPath}?${populateQuery(type)}`,
      headers: { [INTERNAL_HEADER]: INTERNAL_TOKEN },
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
    if (!(await matchesSignedVersion(type))) {
      // Never serve what the signed history does not hold: the last good copy of this
      // version if there is one, otherwise nothing (the GET answers 503 until an operator acts).
      withheld.add(type.uid);
      if (previous?.version !== version) {
        current.delete(type.uid);
        return null;
      }
      return previous;
    }
    withheld.delete(type.uid);
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
    /** The published content differs from its signed version: no fresh copy is served. */
    isWithheld: (type: VersionedType) => withheld.has(type.uid),
    /** Waits for the loads in flight, so a shutdown never closes the pool under one. */
    async settle() {
      await Promise.allSettled([...loading.values()]);
    },
    /** Forgets every copy (the Public role's permissions changed). */
    clear() {
      current.clear();
    },
    /** The public GET as docs/openapi.json describes it (scripts/openapi.mjs reads it). */
    documentedRoute: (type: VersionedType) => typePublicRouteOf(strapi, type),
    /** Called with a type's new copy whenever its body changes. */
    onChange(listener: (next: TypeRepresentation) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

export type TypeDeliveryService = ReturnType<typeof createTypeDeliveryService>;
