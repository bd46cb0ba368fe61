/**
 * The content-API routes of each versioned type other than settings (the home
 * page's), added at `register` (versioned/register.ts): history, one version,
 * verify and rollback under the type's path, each a controller action of its
 * own so that API tokens and Users & Permissions roles are granted it per type.
 * They declare their request and response in zod and an `openapi` extension,
 * as the settings' routes do (content-api.ts), so docs/openapi.json describes
 * them. The draft, publish and version-preview routes mirror the settings'
 * (controllers/type-drafts.ts); the two read-only ones also take a preview
 * token minted for the type (auth/preview-token-strategy.ts), tried before
 * Strapi's own strategies. Also the type's public GET as the document
 * describes it: Strapi's own route, answered by the fast path
 * (middlewares/fast-settings-get.ts), never registered from here.
 */
import type { Core } from '@strapi/strapi';
import {
  badRequestBody,
  conflictBody,
  forbiddenBody,
  notFoundBody,
  preconditionFailedBody,
  unsupportedMediaTypeBody,
  validationErrorBody,
} from '../schemas/errors';
import {
  contentVersion,
  etag,
  idempotencyKey,
  idempotentReplayed,
  ifNoneMatch,
  noStore,
  typeCacheControl,
  typeIfMatch,
  typeMinVersion,
  typeRefreshProof,
} from '../schemas/headers';
import {
  historyEntryResponse,
  listHistoryQuery,
  listHistoryResponse,
  verifyResponse,
  versionParam,
} from '../schemas/history';
import { previewStrategyName } from '../auth/preview-token-strategy';
import { NO_READ_ONLY_TOKEN } from '../policies';
import { rollbackBody, rollbackQuery } from '../schemas/rollback';
import { publicDocumentSchema } from '../schemas/type-document';
import {
  typeDraftResponse,
  typePreviewVersionResponse,
  typePublishAnswer,
  typeRollbackAnswer,
} from '../schemas/type-routes';
import type { SchemaLookup } from '../stores/snapshot';
import type { VersionedType } from '../versioned/types';
import {
  publicRoute,
  strapiTokenOrPreviewRoute,
  strapiTokenRoute,
  type DocumentedRoute,
  type ResponseDoc,
} from './docs';

const invalid: ResponseDoc = {
  description: 'Invalid request; every offending field is listed',
  body: validationErrorBody,
};

/** `home-page` → `HomePage`, for operation ids. */
const pascal = (key: string) =>
  key
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');

export const typeRoutesOf = (type: VersionedType): DocumentedRoute[] => {
  const base = `/${type.key}`;
  const name = pascal(type.key);
  // A new object per route: Strapi writes each route's own `auth.scope` (the one action an API
  // token must be granted) into its config only when none is there, so a shared object would
  // give every route the first one's scope.
  const config = () => ({ middlewares: ['plugin::platform-settings.database-unavailable'] });
  // A preview token first (it answers only when X-Preview-Token is sent), then Strapi's own
  // (API tokens, then Users & Permissions), each named as it registered itself.
  const previewConfig = () => ({
    ...config(),
    auth: {
      strategies: [previewStrategyName(type), 'content-api-token', 'users-permissions'],
    },
  });
  // The history and old versions: not for Strapi's read-only tokens (policies/no-read-only-token.ts).
  const historyConfig = () => ({ ...config(), policies: [NO_READ_ONLY_TOKEN] });
  const historyForbidden: ResponseDoc = {
    description:
      "No credentials, ones not granted this route's action, or a read-only API token (it opens no history)",
    body: forbiddenBody,
  };
  const staleIfMatch: ResponseDoc = {
    description: 'If-Match names an older version; nothing was changed',
    body: preconditionFailedBody,
  };
  return [
    {
      method: 'GET',
      path: `${base}/history/versions`,
      handler: `${type.key}-history.find`,
      config: historyConfig(),
      request: { query: listHistoryQuery },
      response: listHistoryResponse,
      openapi: strapiTokenRoute({
        operationId: `list${name}Versions`,
        summary: `List the history of ${type.displayName}, newest first`,
        description: `\`liveVersion\` is the version published now (0 before ${type.displayName} is first published).`,
        responses: {
          200: { description: 'One page of versions', headers: [noStore] },
          403: historyForbidden,
          422: invalid,
        },
      }),
    },
    {
      method: 'GET',
      path: `${base}/history/verify`,
      handler: `${type.key}-verify.find`,
      config: historyConfig(),
      response: verifyResponse,
      openapi: strapiTokenRoute({
        operationId: `verify${name}History`,
        summary: `Prove the history of ${type.displayName}`,
        description:
          'Walks its own signed chain (separate from the settings’). `ok: false` names the first version that is not what the chain proves, and why; `live-mismatch`: what is published is not the newest version (written around the Document Service, e.g. by `strapi import` or `strapi transfer`).',
        responses: {
          200: { description: 'The verdict', headers: [noStore] },
          403: historyForbidden,
        },
      }),
    },
    {
      method: 'GET',
      path: `${base}/history/versions/:version`,
      handler: `${type.key}-history.findOne`,
      config: historyConfig(),
      request: { params: { version: versionParam } },
      response: historyEntryResponse,
      openapi: strapiTokenRoute({
        operationId: `get${name}Version`,
        summary: `Read one version of ${type.displayName}`,
        responses: {
          200: { description: 'The version', headers: [noStore] },
          403: historyForbidden,
          404: { description: 'No such version', body: notFoundBody },
          422: invalid,
        },
      }),
    },
    {
      method: 'POST',
      path: `${base}/rollback/:version`,
      handler: `${type.key}-rollback.create`,
      config: config(),
      request: {
        params: { version: versionParam },
        query: rollbackQuery,
        body: { 'application/json': rollbackBody },
      },
      response: typeRollbackAnswer,
      openapi: strapiTokenRoute({
        operationId: `rollback${name}`,
        summary: `Restore a version of ${type.displayName} as a new one`,
        description:
          'Publishes the snapshot through the Document Service: components are recreated in their order; media and relations whose target no longer exists or is not published are left empty and listed in `missingReferences`; fields the schema no longer has are skipped, fields added since keep their published value. With `?dryRun=true`, only the diff.',
        headers: [typeIfMatch, idempotencyKey],
        responses: {
          200: {
            description: 'The content as the rollback left it, or the dry run’s diff',
            headers: [
              { ...etag, required: false },
              { ...contentVersion, required: false },
              noStore,
              idempotentReplayed,
            ],
          },
          400: { description: 'Malformed JSON', body: badRequestBody },
          404: {
            description: `No such version, or ${type.displayName} is not published`,
            body: notFoundBody,
          },
          409: {
            description: 'The version does not match its signature, or its key is unknown here',
            body: conflictBody,
          },
          412: staleIfMatch,
          415: { description: 'The body is not application/json', body: unsupportedMediaTypeBody },
          422: {
            ...invalid,
            description:
              'Invalid request, or the snapshot is not valid under the current schema; every offending field is listed',
          },
        },
      }),
    },
    {
      method: 'GET',
      path: `${base}/draft`,
      handler: `${type.key}-draft.find`,
      config: previewConfig(),
      response: typeDraftResponse,
      openapi: strapiTokenOrPreviewRoute({
        operationId: `get${name}Draft`,
        summary: `Read the draft of ${type.displayName}`,
        description:
          'The draft and what publishing it would change: the same snapshot the history keeps (components in order, media and relations as references).',
        responses: {
          200: { description: 'The draft', headers: [noStore] },
          404: { description: `${type.displayName} has no draft yet`, body: notFoundBody },
        },
      }),
    },
    {
      method: 'POST',
      path: `${base}/publish`,
      handler: `${type.key}-publish.create`,
      config: config(),
      request: { query: rollbackQuery, body: { 'application/json': rollbackBody } },
      response: typePublishAnswer,
      openapi: strapiTokenRoute({
        operationId: `publish${name}Draft`,
        summary: `Publish the draft of ${type.displayName} as a new version`,
        description:
          'Publishes through the Document Service, as the Content Manager’s Publish does: one new version, signed on the type’s chain. Nothing to publish (the draft equals what is published): `changed: false`, no version. With `?dryRun=true`, only the diff.',
        headers: [typeIfMatch, idempotencyKey],
        responses: {
          200: {
            description: 'The content as publishing left it, or the dry run’s diff',
            headers: [
              { ...etag, required: false },
              { ...contentVersion, required: false },
              noStore,
              idempotentReplayed,
            ],
          },
          400: { description: 'Malformed JSON', body: badRequestBody },
          404: { description: `${type.displayName} has no draft yet`, body: notFoundBody },
          412: staleIfMatch,
          415: { description: 'The body is not application/json', body: unsupportedMediaTypeBody },
          422: invalid,
        },
      }),
    },
    {
      method: 'GET',
      path: `${base}/preview/versions/:version`,
      handler: `${type.key}-preview.findOne`,
      config: { ...previewConfig(), policies: [NO_READ_ONLY_TOKEN] },
      request: { params: { version: versionParam } },
      response: typePreviewVersionResponse,
      openapi: strapiTokenOrPreviewRoute({
        operationId: `preview${name}Version`,
        summary: `Read one version of ${type.displayName} as the site renders it`,
        responses: {
          200: { description: 'The version', headers: [noStore] },
          404: { description: 'No such version', body: notFoundBody },
          422: invalid,
        },
      }),
    },
  ];
};

/**
 * `GET /api/<key>` as the document describes it: the bare URL, answered from
 * memory. Not registered (Strapi's own route is that path); read by
 * scripts/openapi.mjs beside the registered routes.
 */
export const typePublicRouteOf = (strapi: Core.Strapi, type: VersionedType): DocumentedRoute => {
  const headers = [etag, contentVersion, typeCacheControl(type.cacheSeconds)];
  return {
    method: 'GET',
    path: `/${type.key}`,
    handler: `${type.uid}.find`,
    response: publicDocumentSchema(
      (uid) => strapi.getModel(uid as never) as unknown as ReturnType<SchemaLookup>,
      type.uid
    ),
    openapi: publicRoute({
      operationId: `get${pascal(type.key)}`,
      summary: `Read the published ${type.displayName}`,
      description: `Strapi's own answer for the whole document (components, media and relations populated), sanitised as for the Public role, answered from memory with a strong ETag — only while the Public role may \`find\` it (Settings → Users & Permissions → Public); otherwise Strapi answers 403. A request with a query string (\`?populate=…\`, \`?status=draft\`) is Strapi's own route, answered by Strapi without these headers.`,
      headers: [ifNoneMatch, typeMinVersion, typeRefreshProof],
      strapiRoute: true,
      responses: {
        200: { description: `The published ${type.displayName}`, headers },
        304: { description: 'If-None-Match names the current ETag', headers },
        403: {
          description: `The Public role may not \`find\` ${type.displayName}`,
          body: forbiddenBody,
        },
        404: { description: `${type.displayName} is not published`, body: notFoundBody },
      },
    }),
  };
};
