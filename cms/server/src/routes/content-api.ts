/**
 * The public REST API, under /api. Reads of the live settings are public;
 * everything else needs the founder key. Each route declares its request and
 * response in zod, as Strapi 5 routes do (the controllers validate with the same
 * objects), and an `openapi` extension for what the generator cannot say (docs.ts).
 */
import {
  badRequestBody,
  conflictBody,
  notFoundBody,
  payloadTooLargeBody,
  preconditionFailedBody,
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
  settingsMinVersion,
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
import { rollbackAnswer, rollbackBody, rollbackQuery } from '../schemas/rollback';
import {
  getSettingsResponse,
  updateSettingsBody,
  updateSettingsResponse,
} from '../schemas/settings';
import {
  databaseUnavailable as databaseDown,
  founderKeyRoute,
  publicRoute,
  type DocumentedRoute,
  type ResponseDoc,
} from './docs';

const databaseUnavailable = 'plugin::platform-settings.database-unavailable';
const founderKey = {
  auth: false as const,
  policies: ['plugin::platform-settings.founder-key'],
  middlewares: [databaseUnavailable],
};

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
const writtenHeaders = [...settingsHeaders, noStore, idempotentReplayed];

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
        headers: [ifNoneMatch, settingsMinVersion],
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
      config: founderKey,
      request: { body: { 'application/json': updateSettingsBody } },
      response: updateSettingsResponse,
      openapi: founderKeyRoute({
        operationId: 'updateSettings',
        summary: 'Change some fields',
        description:
          'A partial update: the fields sent change, the others keep their value. A change that changes something is a new version; one that changes nothing is not.',
        headers: [ifMatch, idempotencyKey],
        responses: {
          200: { description: 'The settings as this change left them', headers: writtenHeaders },
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
      path: '/platform-settings/history/versions',
      handler: 'history.list',
      config: founderKey,
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
      config: founderKey,
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
      config: founderKey,
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
      config: founderKey,
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
            headers: [
              { ...etag, required: false },
              { ...settingsVersion, required: false },
              noStore,
              idempotentReplayed,
            ],
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
