/**
 * The document-service middleware (registered in `bootstrap`): every write to
 * a versioned type that does not come from a commit itself — the Content
 * Manager, Strapi's own REST routes, code calling `strapi.documents()` — is
 * turned into what it means:
 *
 *   update (draft)        the draft changes; no version, nothing public moves
 *   publish, update with status 'published'
 *                         a commit that publishes the draft: a version
 *   create                the first version (refused once settings exist)
 *   discardDraft          allowed: the draft goes back to what is live
 *   unpublish, delete, clone
 *                         refused: the site always has settings, and history is never lost
 */
import type { Core, Modules } from '@strapi/strapi';
import type { ChangeAuthor } from '../../../shared/contracts/settings';
import { SETTINGS_UID } from '../utils/constants';
import { conflict, errors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { SETTINGS_TYPE } from '../versioned/types';
import { authorOfState } from '../utils/http';
import { isInsideCommit } from '../stores/commit-scope';
import type { VersionedType } from '../versioned/types';

type Middleware = Modules.Documents.Middleware.Middleware;

const FORBIDDEN_ACTIONS = new Set(['delete', 'clone', 'unpublish']);
const READ_ACTIONS = new Set(['findOne', 'findFirst', 'findMany', 'count']);

/** A content-API request without credentials: Users & Permissions answers it as the Public role. */
const isVisitor = (strapi: Core.Strapi) => {
  const auth = strapi.requestContext.get()?.state?.auth as
    { strategy?: { name?: string }; credentials?: unknown } | undefined;
  return auth?.strategy?.name === 'users-permissions' && !auth.credentials;
};

/** Who is behind the write: the request's admin, API token or user, or `system` for code. */
const authorOfRequest = (strapi: Core.Strapi): ChangeAuthor =>
  authorOfState(strapi.requestContext.get()?.state);

const refuse = (action: string, name: string) =>
  conflict(
    `${name} is versioned: "${action}" is not allowed; change, publish or roll it back instead`,
    { action }
  );

interface WriteParams {
  documentId?: string;
  status?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export const createDocumentsMiddleware =
  (strapi: Core.Strapi): Middleware =>
  async (context, next) => {
    if (isInsideCommit()) return next();
    if (context.uid !== SETTINGS_UID) {
      const type = getService('versionedTypes').byUid(context.uid);
      return type ? versionTypeWrite(strapi, type, context, next) : next();
    }
    const action = context.action as string;
    if (FORBIDDEN_ACTIONS.has(action)) throw refuse(action, 'Platform settings');
    const params = context.params as WriteParams;
    // The server owns `version`: whatever a caller sends for it is dropped.
    if (params.data && 'version' in params.data) {
      const { version: _ignored, ...data } = params.data;
      params.data = data;
    }
    const publishing =
      action === 'publish' || (action === 'update' && params.status === 'published');
    if (!publishing && action !== 'create') return next();

    const result = await getService('versioning').commit(SETTINGS_TYPE, {
      write: { kind: action === 'create' ? 'create' : 'publish-draft', data: params.data ?? {} },
      author: authorOfRequest(strapi),
      note: null,
    });
    if (result.outcome === 'replayed') throw new Error('unreachable: no Idempotency-Key here');
    // Answer as the document service would: the published document, shaped as asked.
    const { data: _data, status: _status, documentId, ...lookup } = params;
    const published = await strapi.documents(SETTINGS_UID).findOne({
      ...lookup,
      documentId: documentId ?? (await getService('settings').readLiveRow())!.documentId,
      status: 'published',
    } as never);
    return (
      action === 'publish' ? { documentId: published?.documentId, entries: [published] } : published
    ) as Awaited<ReturnType<typeof next>>;
  };

type Context = Parameters<Middleware>[0];
type Next = Parameters<Middleware>[1];

/** Any versioned type but settings: Strapi's own action, run as a commit when it publishes. */
const versionTypeWrite = async (
  strapi: Core.Strapi,
  type: VersionedType,
  context: Context,
  next: Next
) => {
  const action = context.action as string;
  if (FORBIDDEN_ACTIONS.has(action)) throw refuse(action, type.displayName);
  const params = context.params as WriteParams;
  if (READ_ACTIONS.has(action) && params.status !== undefined && params.status !== 'published') {
    // Strapi's REST hands the draft to whoever may `find` (`?status=draft`): for a visitor that is
    // unpublished copy, so only credentials (an API token, a user, an admin) read it.
    if (isVisitor(strapi))
      throw new errors.ForbiddenError(`${type.displayName}'s draft is not public`);
  }
  // The server owns `version`: whatever a caller sends for it is dropped.
  if (params.data && 'version' in params.data) {
    const { version: _ignored, ...data } = params.data;
    params.data = data;
  }
  // A single type is one document: a second one (Strapi's `create` does not check, nor does the
  // Content Manager's collection-type route) would be published beside the versioned one, and
  // which of the two the site serves would depend on row order.
  const refuseSecondDocument = async () => {
    if (action !== 'create') return;
    const existing = await strapi.db.query(type.uid as never).findOne({ select: ['id'] });
    if (existing) {
      throw conflict(`${type.displayName} already exists: update or publish it instead`, {
        action,
      });
    }
  };
  await refuseSecondDocument();
  const publishing =
    action === 'publish' ||
    ((action === 'update' || action === 'create') && params.status === 'published');
  if (!publishing) return next();
  let result;
  try {
    result = await getService('versioning').commit(type, {
      // Checked again under the type's lock: two first creates at once make one document.
      write: async () => {
        await refuseSecondDocument();
        return next() as Promise<unknown>;
      },
      author: authorOfRequest(strapi),
      note: null,
    });
  } catch (error) {
    // Strapi's own routes answer the error; the Retry-After it names goes with it.
    const { retryAfterSeconds } = error as { retryAfterSeconds?: number };
    if (retryAfterSeconds)
      strapi.requestContext.get()?.set('Retry-After', String(retryAfterSeconds));
    throw error;
  }
  if (result.outcome === 'replayed') throw new Error('unreachable: no Idempotency-Key here');
  return result.written as never;
};
