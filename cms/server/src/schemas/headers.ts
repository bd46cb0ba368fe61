/**
 * The HTTP headers the API reads and sets. Strapi's route `request` cannot hold
 * headers, so routes name these in their `openapi` extension (routes/docs.ts) and
 * scripts/openapi.mjs writes them into the document; a header that is also
 * validated (Idempotency-Key) is checked with the very schema documented here.
 */
import { z } from 'zod';
import { PUBLIC_CACHE_CONTROL, publicCacheControlFor } from '../utils/http';

export interface HeaderDoc {
  name: string;
  description: string;
  schema: z.ZodType;
  /** Request headers: the request needs it. Response headers: every such response has it. */
  required?: boolean;
}

// Request headers (the founder key is the `founderKey` security scheme, see routes/docs.ts).

export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1 to 255 visible ASCII characters' });

export const idempotencyKey: HeaderDoc = {
  name: 'Idempotency-Key',
  description:
    'Makes a retry safe: the same key with the same request answers the first result (with `Idempotent-Replayed: true`) and writes nothing; the same key with another request is a 422.',
  schema: idempotencyKeySchema,
};

export const ifMatch: HeaderDoc = {
  name: 'If-Match',
  description:
    'The ETag(s) of the settings this change is based on (strong comparison; `*` matches any). A stale one is a 412 and changes nothing.',
  schema: z.string(),
};

export const ifNoneMatch: HeaderDoc = {
  name: 'If-None-Match',
  description: 'ETag(s) the client holds (weak comparison; `*` matches any): a match is a 304.',
  schema: z.string(),
};

export const settingsMinVersion: HeaderDoc = {
  name: 'X-Settings-Min-Version',
  description:
    "Sent by the CMS itself when it refreshes a proxy's copy after a change (CDN_PURGE_STYLE=nginx): the instance that answers first catches up to at least this version. Honoured only with a valid `X-Settings-Refresh-Proof`; from anyone else it is ignored and the copy in memory answers.",
  schema: z.number().int().min(1),
};

export const settingsRefreshProof: HeaderDoc = {
  name: 'X-Settings-Refresh-Proof',
  description:
    "Sent with `X-Settings-Min-Version` by the CMS's own refresh: `<unix seconds>.<HMAC-SHA256 under the founder key of the version and the time, base64url>`, valid for five minutes.",
  schema: z.string().regex(/^[0-9]{1,12}\.[A-Za-z0-9_-]{43}$/),
};

// Response headers.

export const etag: HeaderDoc = {
  name: 'ETag',
  description: 'Strong tag of this exact representation: the version and a hash of the body.',
  schema: z.string().regex(/^"[0-9]+-[0-9a-f]{16}"$/),
  required: true,
};

export const settingsVersion: HeaderDoc = {
  name: 'X-Settings-Version',
  description: 'The version of the settings in the body.',
  schema: z.number().int().min(1),
  required: true,
};

export const settingsStale: HeaderDoc = {
  name: 'X-Settings-Stale',
  description:
    'Present during a database outage: the settings are the last ones this instance knew.',
  schema: z.literal('true'),
};

export const idempotentReplayed: HeaderDoc = {
  name: 'Idempotent-Replayed',
  description: 'Present when this answer replays the first use of the Idempotency-Key.',
  schema: z.literal('true'),
};

export const publicCacheControl: HeaderDoc = {
  name: 'Cache-Control',
  description: 'Browsers and CDNs may keep the public settings for a minute.',
  schema: z.literal(PUBLIC_CACHE_CONTROL),
  required: true,
};

export const noStore: HeaderDoc = {
  name: 'Cache-Control',
  description: 'Never cached: the answer is private or changes with every request.',
  schema: z.literal('no-store'),
  required: true,
};

export const retryAfter: HeaderDoc = {
  name: 'Retry-After',
  description: 'Seconds to wait before trying again.',
  schema: z.number().int().min(0),
  required: true,
};

// The same for another versioned type (the home page): its public GET and its history routes.

export const typeMinVersion: HeaderDoc = {
  ...settingsMinVersion,
  description:
    "Sent by the CMS itself when it refreshes a proxy's copy after a change of this type (CDN_PURGE_STYLE=nginx): the instance that answers first catches up to at least this version. Honoured only with a valid `X-Settings-Refresh-Proof` for this type; from anyone else it is ignored and the copy in memory answers.",
};

export const typeRefreshProof: HeaderDoc = {
  ...settingsRefreshProof,
  description:
    "Sent with `X-Settings-Min-Version` by the CMS's own refresh: `<unix seconds>.<HMAC-SHA256 under the founder key of the type, the version and the time, base64url>`, valid for five minutes.",
};

export const contentVersion: HeaderDoc = {
  name: 'X-Version',
  description: 'The version of the content in the body.',
  schema: z.number().int().min(1),
  required: true,
};

/** The type's public Cache-Control, for its configured `cacheSeconds`. */
export const typeCacheControl = (cacheSeconds: number): HeaderDoc => ({
  name: 'Cache-Control',
  description: `Browsers and CDNs may keep it for ${cacheSeconds} s (the type's \`cacheSeconds\`), and serve it for 30 s more while they revalidate.`,
  schema: z.literal(publicCacheControlFor(cacheSeconds)),
  required: true,
});

export const typeIfMatch: HeaderDoc = {
  ...ifMatch,
  description:
    'The ETag(s) of the published content this change is based on, as a rollback answers it (`"<version>-<hash of the snapshot>"`; strong comparison; `*` matches any). A stale one is a 412 and changes nothing.',
};
