/**
 * The document-service middleware (registered in `bootstrap`): every settings
 * write that does not come from `versioning.commit` itself — the Content
 * Manager, code calling `strapi.documents()` — is turned into what it means:
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
import { errors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { adminAuthor } from '../utils/http';
import { isInsideCommit } from '../services/versioning';

type Middleware = Modules.Documents.Middleware.Middleware;

const FORBIDDEN_ACTIONS = new Set(['delete', 'clone', 'unpublish']);

/** The admin behind a Content Manager save, or `system` for code. */
const authorOfRequest = (strapi: Core.Strapi): ChangeAuthor => {
  const state = strapi.requestContext.get()?.state;
  if (state?.auth?.strategy?.name === 'admin' && state.user) return adminAuthor(state.user);
  return { kind: 'system' };
};

interface WriteParams {
  documentId?: string;
  status?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export const createDocumentsMiddleware =
  (strapi: Core.Strapi): Middleware =>
  async (context, next) => {
    if (context.uid !== SETTINGS_UID || isInsideCommit()) return next();
    const action = context.action as string;
    if (FORBIDDEN_ACTIONS.has(action)) {
      throw new errors.ForbiddenError(
        `Platform settings are versioned: "${action}" is not allowed; change, publish or roll them back instead`
      );
    }
    const params = context.params as WriteParams;
    // The server owns `version`: whatever a caller sends for it is dropped.
    if (params.data && 'version' in params.data) {
      const { version: _ignored, ...data } = params.data;
      params.data = data;
    }
    const publishing =
      action === 'publish' || (action === 'update' && params.status === 'published');
    if (!publishing && action !== 'create') return next();

    const result = await getService('versioning').commit({
      kind: action === 'create' ? 'create' : 'publish-draft',
      data: params.data ?? {},
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
