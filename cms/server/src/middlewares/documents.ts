/**
 * The document-service middleware (registered in `bootstrap`): every settings
 * write that does not come from `versioning.commit` itself — the Content
 * Manager, code calling `strapi.documents()` — is turned into a commit, so it
 * becomes a version like a REST write. Actions that would rewrite or lose
 * history are refused.
 */
import type { Core, Modules } from '@strapi/strapi';
import type { ChangeAuthor } from '../../../shared/contracts/settings';
import { SETTINGS_UID } from '../utils/constants';
import { errors } from '../utils/errors';
import { getService } from '../utils/get-service';
import { adminAuthor } from '../utils/http';
import { isInsideCommit } from '../services/versioning';

type Middleware = Modules.Documents.Middleware.Middleware;

const WRITE_ACTIONS = new Set(['create', 'update']);
const FORBIDDEN_ACTIONS = new Set(['delete', 'clone', 'publish', 'unpublish', 'discardDraft']);

/** The admin behind a Content Manager save, or `system` for code. */
const authorOfRequest = (strapi: Core.Strapi): ChangeAuthor => {
  const state = strapi.requestContext.get()?.state;
  if (state?.auth?.strategy?.name === 'admin' && state.user) return adminAuthor(state.user);
  return { kind: 'system' };
};

export const createDocumentsMiddleware =
  (strapi: Core.Strapi): Middleware =>
  async (context, next) => {
    if (context.uid !== SETTINGS_UID || isInsideCommit()) return next();
    if (FORBIDDEN_ACTIONS.has(context.action)) {
      throw new errors.ForbiddenError(
        `Platform settings are versioned: "${context.action}" is not allowed; change or roll them back instead`
      );
    }
    if (!WRITE_ACTIONS.has(context.action)) return next();

    const params = context.params as { documentId?: string; data?: Record<string, unknown> };
    const result = await getService('versioning').commit({
      action: context.action as 'create' | 'update',
      data: params.data ?? {},
      author: authorOfRequest(strapi),
      note: null,
      write: (data) => {
        params.data = data;
        return next();
      },
    });
    if (result.outcome === 'committed') return result.document as Awaited<ReturnType<typeof next>>;
    // Nothing changed: answer with the document as it is, shaped as the caller asked.
    const { data: _data, ...lookup } = params;
    return strapi
      .documents(SETTINGS_UID)
      .findOne({ ...lookup, documentId: params.documentId } as never) as ReturnType<typeof next>;
  };
