/**
 * The `openapi` extension of a content-API route: what Strapi 5.54's OpenAPI
 * generator cannot take from a route's `request` and `response` — the security
 * scheme, request headers, and every status but 200 with its body and headers.
 * scripts/openapi.mjs reads it off the registered routes after generating
 * docs/openapi.json and writes it in. A new route declares `request`, `response`
 * and `openapi` next to its path; nothing else is needed.
 */
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import {
  internalErrorBody,
  forbiddenBody,
  rateLimitBody,
  serviceUnavailableBody,
  unauthorizedBody,
} from '../schemas/errors';
import { noStore, retryAfter, type HeaderDoc } from '../schemas/headers';

export interface ResponseDoc {
  description: string;
  /** The body. A 200's comes from the route's `response` instead, when it has one. */
  body?: z.ZodType;
  /** The body's media type when it is not JSON, e.g. `text/event-stream`. */
  mediaType?: string;
  headers?: HeaderDoc[];
}

/** An OpenAPI security scheme, under the name the document gives it. */
export interface SecurityDoc {
  id: string;
  scheme:
    | { type: 'apiKey'; in: 'header'; name: string; description: string }
    | { type: 'http'; scheme: 'bearer'; description: string };
}

export const founderKeyScheme: SecurityDoc = {
  id: 'founderKey',
  scheme: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Founder-Key',
    description:
      "The deployment's FOUNDER_KEY (or, during a rotation, FOUNDER_KEY_PREVIOUS). Missing: 401; wrong: 403. Beyond 10 failures in a minute from one client, its wrong or missing keys get 429 until Retry-After; a correct key is always accepted.",
  },
};

export const previewTokenScheme: SecurityDoc = {
  id: 'previewToken',
  scheme: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Preview-Token',
    description:
      'A short-lived token the admin mints for a preview on the site (PREVIEW_TOKEN_TTL_MS), for the draft or one version. Expired or not issued here: 401; for another scope: 403.',
  },
};

/** Strapi's own content-API authentication, for the routes of the app's versioned types. */
export const strapiTokenScheme: SecurityDoc = {
  id: 'strapiToken',
  scheme: {
    type: 'http',
    scheme: 'bearer',
    description:
      "A Strapi API token (Settings → API Tokens) or a Users & Permissions JWT whose token type or role is granted the route's action, e.g. `plugin::platform-settings.home-page-history.find`. Not valid: 401; not granted (or none sent, and the Public role is not granted it): 403.",
  },
};

export interface RouteDocs {
  /** Stable name for clients and generated code, e.g. `getSettings`. */
  operationId: string;
  summary: string;
  description?: string;
  /** What the route needs from the client (a list: any one of them); public when absent. */
  security?: SecurityDoc | SecurityDoc[];
  /** Request headers the route reads (the founder key is the security scheme). */
  headers?: HeaderDoc[];
  /** Every status the route answers with, 200 included (its headers, its description). */
  responses: Record<number, ResponseDoc>;
  /**
   * The path is Strapi's own route (a versioned type's `find`), whose bare URL this
   * plugin answers: only the bare URL is described (the query parameters the
   * generator found are Strapi's, answered by Strapi with none of the headers listed
   * here), and the 200 body is the `response` declared here, not the one Strapi's
   * route declares.
   */
  strapiRoute?: boolean;
}

/** A content-API route as this plugin declares it: Strapi's, plus its `openapi` extension. */
export type DocumentedRoute = Core.RouteInput & { openapi: RouteDocs };

/** Any route can fail unexpectedly. */
export const internalError: ResponseDoc = {
  description: 'Unexpected failure',
  body: internalErrorBody,
};

export const databaseUnavailable: ResponseDoc = {
  description: 'The settings database is unreachable; nothing was changed',
  body: serviceUnavailableBody,
  headers: [retryAfter],
};

/** Public routes: whatever else they answer, they may fail. */
export const publicRoute = (docs: RouteDocs): RouteDocs => ({
  ...docs,
  responses: { 500: internalError, ...docs.responses },
});

// The founder-key auth strategy marks every answer past it private; an error before it has no such header.
const privateError = (response: ResponseDoc): ResponseDoc => ({
  ...response,
  headers: [...(response.headers ?? []), { ...noStore, required: false }],
});

/**
 * Founder-key routes: missing, wrong and rate-limited keys, a database outage
 * (the failure counters live there), and unexpected failures.
 */
export const founderKeyRoute = (docs: RouteDocs): RouteDocs => {
  const responses: Record<number, ResponseDoc> = {
    401: { description: 'No X-Founder-Key header', body: unauthorizedBody },
    403: { description: 'Wrong founder key', body: forbiddenBody },
    429: {
      description: 'Too many wrong or missing keys from this client; even a right one is refused',
      body: rateLimitBody,
      headers: [retryAfter],
    },
    503: databaseUnavailable,
    500: internalError,
    ...docs.responses,
  };
  return {
    ...docs,
    security: founderKeyScheme,
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        Number(status) >= 400 ? privateError(response) : response,
      ])
    ),
  };
};

/**
 * The history, verify and rollback routes of the app's versioned types:
 * Strapi's own authentication (an API token or a Users & Permissions JWT
 * granted the action), a database outage, and unexpected failures. Their
 * controllers mark each answer private; an error before that has no such header.
 */
export const strapiTokenRoute = (docs: RouteDocs): RouteDocs => {
  const responses: Record<number, ResponseDoc> = {
    401: {
      description: 'The token or JWT sent is not valid (unknown, expired or revoked)',
      body: unauthorizedBody,
    },
    403: {
      description: "No credentials, or ones that are not granted this route's action",
      body: forbiddenBody,
    },
    503: databaseUnavailable,
    500: internalError,
    ...docs.responses,
  };
  return {
    ...docs,
    security: strapiTokenScheme,
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, response]) => [
        status,
        Number(status) >= 400 ? privateError(response) : response,
      ])
    ),
  };
};

/** A type's read-only routes a preview may use: Strapi's token or JWT, or a preview token for that type. */
export const strapiTokenOrPreviewRoute = (docs: RouteDocs): RouteDocs => {
  const route = strapiTokenRoute(docs);
  return {
    ...route,
    security: [strapiTokenScheme, previewTokenScheme],
    responses: {
      ...route.responses,
      401: {
        ...route.responses[401]!,
        description:
          'The token or JWT sent is not valid, or a preview token that expired or is not ours',
      },
      403: {
        ...route.responses[403]!,
        description:
          "No credentials, ones not granted this route's action, or a preview token for another type or scope",
      },
    },
  };
};

/** Read-only routes a preview may use: the founder key, or a preview token for that scope. */
export const founderKeyOrPreviewRoute = (docs: RouteDocs): RouteDocs => {
  const route = founderKeyRoute(docs);
  return {
    ...route,
    security: [founderKeyScheme, previewTokenScheme],
    responses: {
      ...route.responses,
      401: {
        ...route.responses[401]!,
        description: 'No X-Founder-Key header, or a preview token that expired or is not ours',
      },
      403: {
        ...route.responses[403]!,
        description: 'Wrong founder key, or a preview token for another scope',
      },
    },
  };
};
