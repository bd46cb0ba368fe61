/**
 * `POST /platform-settings/preview-token` (admin, history.read): a preview
 * token for the draft (`{ scope: 'draft' }`) or one version
 * (`{ scope: 'version', version }`), never valid longer than the admin's own
 * session (the expiry of the JWT that made this request).
 * `GET /platform-settings/preview-site`: the site previews open on (config/admin.ts).
 * `POST /platform-settings/types/<key>/preview-token` (admin, the type's
 * history read): the same for another versioned type. A draft token of a type
 * also covers the settings' draft when this admin may read the settings'
 * history, so the one link the admin opens shows both drafts.
 */
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { GetPreviewSite, MintPreviewToken } from '../../../shared/contracts/settings';
import { fieldError, unprocessable } from '../utils/errors';
import { getService } from '../utils/get-service';
import { assertJsonBody } from '../utils/http';
import { draftScopesFor, scopeOf, type PreviewScope } from '../services/preview-tokens';
import type { VersionedType } from '../versioned/types';
import { sessionExpiry } from '../utils/session';
import { parseVersionParam } from '../validation/settings';

const parseScope = (body: unknown): PreviewScope => {
  const { scope, version, ...rest } = (body ?? {}) as Record<string, unknown>;
  const problems = Object.keys(rest).map((key) => fieldError(key, 'is not allowed'));
  if (scope === 'draft' && version === undefined && problems.length === 0) return 'draft';
  if (scope === 'version' && problems.length === 0) {
    // A number in JSON; the parser reads a path's text, where "1e3" or "01" are refused.
    return `version:${parseVersionParam(typeof version === 'number' ? String(version) : version)}`;
  }
  if (scope !== 'draft' && scope !== 'version')
    problems.push(fieldError('scope', 'must be draft or version'));
  if (scope === 'draft' && version !== undefined)
    problems.push(fieldError('version', 'is only for scope version'));
  throw unprocessable('Invalid preview token request', problems);
};

interface AdminState {
  user: { id: number };
  userAbility?: { can(action: string): boolean };
}

/** `POST /types/<key>/preview-token` of a type other than settings (registered per type at `register`). */
export const typePreviewTokenController = (type: VersionedType) => () => ({
  async mint(ctx: Context) {
    assertJsonBody(ctx);
    const scope = parseScope(ctx.request.body);
    const state = ctx.state as AdminState;
    const can = (action: string) => state.userAbility?.can(action) ?? false;
    const scopes: PreviewScope[] =
      scope === 'draft' ? draftScopesFor(type, can) : [scopeOf(type, Number(scope.split(':')[1]))];
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: getService('previewTokens').mint(scopes, state.user.id, sessionExpiry(ctx)),
      meta: {},
    } satisfies MintPreviewToken.Response;
  },
});

interface PreviewSetting {
  enabled?: boolean;
  config?: { siteUrl?: unknown; handler?: unknown };
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  site(ctx: Context) {
    const preview = strapi.config.get('admin.preview') as PreviewSetting | undefined;
    const siteUrl = preview?.config?.siteUrl;
    const on =
      preview !== undefined && preview.enabled !== false && Boolean(preview.config?.handler);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: { url: on && typeof siteUrl === 'string' ? siteUrl : null },
      meta: {},
    } satisfies GetPreviewSite.Response;
  },

  async mint(ctx: Context) {
    assertJsonBody(ctx);
    const scope = parseScope(ctx.request.body);
    const user = ctx.state.user as { id: number };
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: getService('previewTokens').mint(scope, user.id, sessionExpiry(ctx)),
      meta: {},
    } satisfies MintPreviewToken.Response;
  },
});
