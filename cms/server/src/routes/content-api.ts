/**
 * The public REST API, under /api. Reads of the live settings are public;
 * everything else needs the founder key. Each route declares its request and
 * response in zod, as Strapi 5 routes do (the controllers validate with the same
 * objects), and an `openapi` extension for what the generator cannot say (docs.ts).
 */
import { FOUNDER_KEY_STRATEGY } from '../auth/founder-key-strategy';
import { previewStrategyName } from '../auth/preview-token-strategy';
import {
  badRequestBody,
  conflictBody,
  notFoundBody,
  payloadTooLargeBody,
  preconditionFailedBody,
  serviceUnavailableBody,
  unsupportedMediaTypeBody,
  validationErrorBody,
} from '../schemas/errors';
import {
  etag,
  idempotencyKey,
  idempotentReplayed,
  ifMatch,
  ifNoneMatch,
  noStore,
  publicCacheControl,
  retryAfter,
  settingsMinVersion,
  settingsRefreshProof,
  settingsStale,
  settingsVersion,
} from '../schemas/headers';
import {
  historyEntryResponse,
  listHistoryQuery,
  listHistoryResponse,
  verifyResponse,
  versionParam,
} from '../schemas/history';
import {
  draftResponse,
  previewVersionResponse,
  publishAnswer,
  updateOrDraftResponse,
  updateStatusQuery,
} from '../schemas/drafts';
import { eventStreamBody, lastEventId, noBuffering, streamQuery } from '../schemas/events';
import { rollbackAnswer, rollbackBody, rollbackQuery } from '../schemas/rollback';
import { getSettingsResponse, updateSettingsBody } from '../schemas/settings';
import { SETTINGS_TYPE } from '../versioned/types';
import {
  databaseUnavailable as databaseDown,
  founderKeyOrPreviewRoute,
  founderKeyRoute,
  publicRoute,
  type DocumentedRoute,
  type ResponseDoc,
} from './docs';

const databaseUnavailable = 'plugin::platform-settings.database-unavailable';
// The founder key is a content-API auth strategy (auth/founder-key-strategy.ts) these routes name.
// A new object per route: Strapi writes each route's own `auth.scope` into it.
const founderKey = () => ({
  auth: { strategies: [FOUNDER_KEY_STRATEGY] },
  middlewares: [databaseUnavailable],
});
// Read-only routes a preview may use: a preview token for exactly that scope, or the founder key.
const founderKeyOrPreview = () => ({
  auth: { strategies: [previewStrategyName(SETTINGS_TYPE), FOUNDER_KEY_STRATEGY] },
  middlewares: [databaseUnavailable],
});

const invalid: ResponseDoc = {
  description: 'Invalid request; every offending field is listed',
  body: validationErrorBody,
};
const notFound = (description: string): ResponseDoc => ({ description, body: notFoundBody });
const staleIfMatch: ResponseDoc = {
  description: 'If-Match names an older version; nothing was changed',
  body: preconditionFailedBody,
};
const tooLarge: ResponseDoc = { description: 'Body over 64 KB', body: payloadTooLargeBody };
const notJson: ResponseDoc = {
  description: 'The body is not application/json',
  body: unsupportedMediaTypeBody,
};
const malformedJson: ResponseDoc = { description: 'Malformed JSON', body: badRequestBody };
/** What every answer carrying the settings has. */
const settingsHeaders = [etag, settingsVersion];
/** A write that may answer without a new representation (a dry run, a draft). */
const maybeWrittenHeaders = [
  { ...etag, required: false },
  { ...settingsVersion, required: false },
  noStore,
  idempotentReplayed,
];

export default {
  type: 'content-api',
  prefix: '',
  routes: [
    {
      method: 'GET',
      path: '/platform-settings',
      handler: 'settings.find',
      config: { auth: false, middlewares: [databaseUnavailable] },
      response: getSettingsResponse,
      openapi: publicRoute({
        operationId: 'getSettings',
        summary: 'Read the live settings',
        description:
          'Public and cacheable by browsers and CDNs. Answered from memory; during a database outage, the last settings known, marked `X-Settings-Stale`.',
        headers: [ifNoneMatch, settingsMinVersion, settingsRefreshProof],
        responses: {
          200: {
            description: 'The live settings',
            headers: [...settingsHeaders, publicCacheControl, settingsStale],
          },
          304: {
            description: 'If-None-Match names the current ETag',
            headers: [...settingsHeaders, publicCacheControl, settingsStale],
          },
          404: notFound('The settings have not been created yet'),
          503: {
            ...databaseDown,
            description: 'None in memory yet, and the database is unreachable',
          },
        },
      }),
    },
    {
      method: 'PUT',
      path: '/platform-settings',
      handler: 'settings.update',
      config: founderKey(),
      request: { query: updateStatusQuery, body: { 'application/json': updateSettingsBody } },
      response: updateOrDraftResponse,
      openapi: founderKeyRoute({
        operationId: 'updateSettings',
        summary: 'Change some fields',
        description:
          'A partial update: the fields sent change, the others keep their value. A change that changes something is a new version; one that changes nothing is not. With `?status=draft`, only the draft changes: no version, nothing public moves.',
        headers: [ifMatch, idempotencyKey],
        responses: {
          200: {
            description: 'The settings as this change left them, or with ?status=draft the draft',
            headers: maybeWrittenHeaders,
          },
          400: malformedJson,
          412: staleIfMatch,
          413: tooLarge,
          415: notJson,
          422: invalid,
        },
      }),
    },
    {
      method: 'GET',
      path: '/platform-settings/events',
      handler: 'events.stream',
      config: { auth: false },
      request: { query: streamQuery },
      openapi: publicRoute({
        operationId: 'streamSettings',
        summary: 'Follow the live settings (server-sent events)',
        description:
          'An event `settings` at once with the live settings (unless `Last-Event-ID` names the live version), then one for every new version committed on any instance: `id:` the version, `data:` the body of GET /platform-settings. Comment lines every 15 s keep proxies from closing it. Never cached; the draft is never sent.',
        headers: [lastEventId],
        responses: {
          200: {
            description: 'The stream',
            body: eventStreamBody,
            mediaType: 'text/event-stream',
            headers: [noStore, noBuffering],
          },
          422: invalid,
          503: {
            description:
              "Over this instance's or this client's cap of streams, or shutting down: poll GET /platform-settings instead",
            body: serviceUnavailableBody,
            headers: [retryAfter, noStore],
          },
        },
      }),
    },
    {
      method: 'GET',
      path: '/platform-settings/draft',
      handler: 'drafts.get',
      config: founderKeyOrPreview(),
      response: draftResponse,
      openapi: founderKeyOrPreviewRoute({
        operationId: 'getDraft',
        summary: 'Read the draft',
        description: 'The draft and what publishing it would change.',
        responses: {
          200: { description: 'The draft', headers: [noStore] },
          404: notFound('The settings have not been created yet'),
        },
      }),
    },
    {
      method: 'POST',
      path: '/platform-settings/publish',
      handler: 'drafts.publish',
      config: founderKey(),
      request: { query: rollbackQuery, body: { 'application/json': rollbackBody } },
      response: publishAnswer,
      openapi: founderKeyRoute({
        operationId: 'publishDraft',
        summary: 'Publish the draft as a new version',
        description:
          'Nothing to publish (the draft equals the live settings): `changed: false`, no version. With `?dryRun=true`, only the diff.',
        headers: [ifMatch, idempotencyKey],
        responses: {
          200: {
            description: 'The settings as publishing left them, or the dry run’s diff',
            headers: maybeWrittenHeaders,
          },
          400: malformedJson,
          404: notFound('The settings have not been created yet'),
          412: staleIfMatch,
          413: tooLarge,
          415: notJson,
          422: invalid,
        },
      }),
    },
    {
      method: 'GET',
      path: '/platform-settings/preview/versions/:version',
      handler: 'drafts.previewVersion',
      config: founderKeyOrPreview(),
      request: { params: { version: versionParam } },
      response: previewVersionResponse,
      openapi: founderKeyOrPreviewRoute({
        operationId: 'previewVersion',
        summary: 'Read one version as the site renders it',
        responses: {
          200: { description: 'The version', headers: [noStore] },
          404: notFound('No such version'),
          422: invalid,
        },
      }),
    },
    {
      method: 'GET',
      path: '/platform-settings/history/versions',
      handler: 'history.list',
      config: founderKey(),
      request: { query: listHistoryQuery },
      response: listHistoryResponse,
      openapi: founderKeyRoute({
        operationId: 'listVersions',
        summary: 'List the history, newest first',
        responses: {
          200: { description: 'One page of versions', headers: [noStore] },
          422: invalid,
        },
      }),
    },
    {
      method: 'GET',
      path: '/platform-settings/history/verify',
      handler: 'history.verify',
      config: founderKey(),
      response: verifyResponse,
      openapi: founderKeyRoute({
        operationId: 'verifyHistory',
        summary: 'Prove the history',
        description:
          'Walks the whole signed chain. `ok: false` names the first version that is not what the chain proves, and why.',
        responses: { 200: { description: 'The verdict', headers: [noStore] } },
      }),
    },
    {
      method: 'GET',
      path: '/platform-settings/history/versions/:version',
      handler: 'history.get',
      config: founderKey(),
      request: { params: { version: versionParam } },
      response: historyEntryResponse,
      openapi: founderKeyRoute({
        operationId: 'getVersion',
        summary: 'Read one version',
        responses: {
          200: { description: 'The version', headers: [noStore] },
          404: notFound('No such version'),
          422: invalid,
        },
      }),
    },
    {
      method: 'POST',
      path: '/platform-settings/rollback/:version',
      handler: 'rollback.rollback',
      config: founderKey(),
      request: {
        params: { version: versionParam },
        query: rollbackQuery,
        body: { 'application/json': rollbackBody },
      },
      response: rollbackAnswer,
      openapi: founderKeyRoute({
        operationId: 'rollback',
        summary: 'Restore a version as a new one',
        description:
          'Fields the snapshot no longer has are skipped, fields added since keep their live value, and the result is validated like a PUT. With `?dryRun=true`, only the diff.',
        headers: [ifMatch, idempotencyKey],
        responses: {
          200: {
            description: 'The settings as the rollback left them, or the dry run’s diff',
            headers: maybeWrittenHeaders,
          },
          400: malformedJson,
          404: notFound('No such version, or no settings yet'),
          409: {
            description: 'The version does not match its signature, or its key is unknown here',
            body: conflictBody,
          },
          412: staleIfMatch,
          413: tooLarge,
          415: notJson,
          422: invalid,
        },
      }),
    },
  ],
} satisfies { type: 'content-api'; prefix: string; routes: DocumentedRoute[] };
