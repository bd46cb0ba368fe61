/**
 * A content-API auth strategy for the read-only preview routes of a versioned
 * type: the draft and one version (`GET /api/<key>/draft`, `…/preview/versions/:v`,
 * and the settings' `/platform-settings/draft`, `…/versions/:v`). Those routes
 * keep their other auth (the founder key for settings; API tokens and Users &
 * Permissions roles, granted per action, for the others); this strategy is tried
 * first and answers only when an `X-Preview-Token` header is there, so the site
 * can show a draft with the short-lived token the admin minted for that type.
 * A token that is there but wrong is refused as such, never ignored:
 * expired or forged → 401, valid but for another type or scope → 403.
 */
import type { Context } from 'koa';
import { routeNamesStrategy } from './route-strategies';
import { scopeOf, type PreviewScope } from '../services/preview-tokens';
import { forbidden } from '../utils/errors';
import { getService } from '../utils/get-service';
import type { VersionedType } from '../versioned/types';

const MESSAGES = {
  malformed: 'The preview token is not one this server issued',
  signature: 'The preview token is not one this server issued',
  expired: 'The preview token has expired; open the preview again',
} as const;

interface PreviewCredentials {
  kind: 'preview-token';
  scope: PreviewScope;
  /** Set when the token is genuine but does not cover `scope`: `verify` refuses it (403). */
  refused: boolean;
}

/** The strategy's name, which the type's read-only routes list first in `config.auth.strategies`. */
export const previewStrategyName = (type: VersionedType) => `platform-settings-preview-${type.key}`;

/**
 * Registered for the content API at `register`, so Strapi tries it on every content-API route
 * that lists no strategies of its own; it steps aside on any route that does not name it.
 */
export const previewTokenStrategy = (type: VersionedType) => ({
  name: previewStrategyName(type),

  authenticate(ctx: Context) {
    const token = ctx.get('x-preview-token');
    if (!token || !routeNamesStrategy(ctx, previewStrategyName(type))) {
      return { authenticated: false };
    }
    ctx.set('Cache-Control', 'no-store');
    const version = ctx.params?.version as string | undefined;
    const scope = scopeOf(type, version === undefined ? 'draft' : Number(version));
    const check = getService('previewTokens').check(token, scope);
    if (!check.ok && check.reason !== 'scope') return { error: MESSAGES[check.reason] };
    const credentials: PreviewCredentials = { kind: 'preview-token', scope, refused: !check.ok };
    return { authenticated: true, credentials };
  },

  verify(auth: { credentials?: PreviewCredentials }) {
    if (auth.credentials?.refused) {
      const version = /version:(\d+)$/.exec(auth.credentials.scope)?.[1];
      const what = version ? `version ${version}` : 'the draft';
      // Not Strapi's ForbiddenError, which its authorize step answers with a bare message.
      throw forbidden(
        type.isSettings
          ? `This preview token does not allow reading ${what}`
          : `This preview token does not allow reading ${what} of ${type.displayName}`
      );
    }
  },
});
