/**
 * Strapi's Preview (the Content Manager's "Open preview") for the host app, in a
 * few lines of its `config/admin.ts`:
 *
 *   import { previewConfig } from 'strapi-plugin-platform-settings/preview';
 *   preview: previewConfig({ siteUrl: env('PREVIEW_SITE_URL', 'http://localhost:5173') }),
 *
 * The handler runs inside the admin's own request for the preview URL
 * (`GET /content-manager/preview/url/:uid`, admin JWT): it mints a short-lived,
 * read-only token for the draft, for that admin and no longer than that admin's
 * session, and only if the admin may read the settings history. Never the founder key.
 * The same for any other versioned type (the home page): a token for its draft, for
 * admins who may read its history, also covering the settings' draft when they may
 * read those (services/preview-tokens.ts `draftScopesFor`).
 */
import type { Core } from '@strapi/strapi';
import { previewLink } from '../../shared/preview-link';
import { HISTORY_READ, historyActionsOf } from './permissions';
import { draftScopesFor } from './services/preview-tokens';
import { SETTINGS_UID } from './utils/constants';
import { getService } from './utils/get-service';
import { sessionExpiry } from './utils/session';

declare const strapi: Core.Strapi;

export interface PreviewConfigOptions {
  /** The site that renders the settings, e.g. the web app's URL. */
  siteUrl: string;
  /** Off: Strapi shows no Preview button. */
  enabled?: boolean;
}

/** What Strapi passes to the handler (content-manager's preview controller). */
export interface PreviewParams {
  documentId?: string;
  locale?: string | null;
  status?: string;
}

interface AdminRequestState {
  user?: { id: number | string };
  userAbility?: { can(action: string, subject?: unknown): boolean };
}

/** The admin behind the request Strapi is answering, if it may `readAction` (a type's history read). */
const previewingAdmin = (readAction: string) => {
  const ctx = strapi.requestContext.get();
  const state = ctx?.state as AdminRequestState | undefined;
  const ability = state?.userAbility;
  if (!ctx || !state?.user || !ability?.can(readAction)) return null;
  return {
    id: state.user.id,
    sessionExpiresAt: sessionExpiry(ctx),
    can: (action: string) => ability.can(action),
  };
};

export const previewConfig = ({ siteUrl, enabled = true }: PreviewConfigOptions) => {
  // Fails at start, with the variable's value in the message, rather than on the first preview.
  let origin: string;
  try {
    origin = new URL(siteUrl).origin;
  } catch {
    throw new Error(`platform-settings: the preview site URL "${siteUrl}" is not a URL`);
  }
  return {
    enabled,
    config: {
      // Strapi adds these to the admin's Content-Security-Policy frame-src, so the iframe loads.
      allowedOrigins: [origin],
      /** Read by the plugin's admin (GET /platform-settings/preview-site). */
      siteUrl,
      async handler(uid: string, { status }: PreviewParams): Promise<string | null> {
        const type = uid === SETTINGS_UID ? null : getService('versionedTypes').byUid(uid);
        if (uid !== SETTINGS_UID && !type) return null;
        // What is published is the public site itself: no token to hand out.
        if (status === 'published') return siteUrl;
        const admin = previewingAdmin(type ? historyActionsOf(type).read : HISTORY_READ);
        if (!admin) return null;
        const { token } = getService('previewTokens').mint(
          type ? draftScopesFor(type, admin.can) : 'draft',
          admin.id,
          admin.sessionExpiresAt
        );
        return previewLink(siteUrl, token);
      },
    },
  };
};

export type PreviewConfig = ReturnType<typeof previewConfig>;
