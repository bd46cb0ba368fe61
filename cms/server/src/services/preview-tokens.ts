/**
 * Short-lived, read-only preview tokens: what the site gets instead of the
 * founder key to show the draft (or one old version) on the real site. HMAC-
 * signed with a key derived from the admin's JWT secret, scoped to `draft` or
 * to one version, minted only for admins allowed to read the history, and
 * never valid longer than the admin's own session. The settings' scopes are
 * `draft` and `version:<n>`; another versioned type's are prefixed with its
 * key (`home-page:draft`, `home-page:version:<n>`). One token may carry
 * several scopes (the home page's draft and the settings' draft), so one
 * preview link shows every draft its admin may read.
 *
 * Format: base64url(JSON payload) "." base64url(HMAC-SHA256 of the first part).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../utils/constants';
import { historyActionsOf } from '../permissions';
import { SETTINGS_TYPE, type VersionedType } from '../versioned/types';

export type PreviewScope =
  'draft' | `version:${number}` | `${string}:draft` | `${string}:version:${number}`;

/** A type's scope: the settings' own names, another type's prefixed with its key. */
export const scopeOf = (type: VersionedType, what: 'draft' | number): PreviewScope => {
  const scope = what === 'draft' ? 'draft' : (`version:${what}` as const);
  return type.isSettings ? scope : `${type.key}:${scope}`;
};

/**
 * What a draft token minted for another type than settings covers: its draft, and the settings'
 * draft too when the admin may read their history, so one preview shows both drafts.
 */
export const draftScopesFor = (
  type: VersionedType,
  can: (action: string) => boolean
): PreviewScope[] => {
  const scopes = [scopeOf(type, 'draft')];
  if (can(historyActionsOf(SETTINGS_TYPE).read)) scopes.push(scopeOf(SETTINGS_TYPE, 'draft'));
  return scopes;
};

interface Payload {
  /** What it may read: one scope, or several. */
  scope: PreviewScope | PreviewScope[];
  /** The admin it was minted for. */
  sub: number | string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

export type PreviewCheck =
  | { ok: true; payload: Payload }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'scope' };

const encode = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export const createPreviewTokensService = ({ strapi }: { strapi: Core.Strapi }) => {
  const key = () =>
    createHmac('sha256', String(strapi.config.get('admin.auth.secret', '')))
      .update('platform-settings preview tokens')
      .digest();
  const sign = (body: string) => createHmac('sha256', key()).update(body).digest();
  const ttlMs = () =>
    Number(strapi.config.get(`plugin::${PLUGIN_ID}.previewTokenTtlMs`, 5 * 60_000));

  return {
    ttlMs,

    /** A token for `scope` (or several), expiring after its lifetime or with the admin's session, whichever is first. */
    mint(
      scope: PreviewScope | PreviewScope[],
      subject: number | string,
      sessionExpiresAt?: number
    ) {
      const exp = Math.min(Date.now() + ttlMs(), sessionExpiresAt ?? Infinity);
      const body = encode(JSON.stringify({ scope, sub: subject, exp } satisfies Payload));
      return { token: `${body}.${encode(sign(body))}`, expiresAt: new Date(exp).toISOString() };
    },

    /** Checks a token for `scope`; the reason it fails is for the error message. */
    check(token: string, scope: PreviewScope): PreviewCheck {
      const [body, mac, extra] = token.split('.');
      if (!body || !mac || extra !== undefined) return { ok: false, reason: 'malformed' };
      const expected = sign(body);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { ok: false, reason: 'signature' };
      }
      let payload: Payload;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
      } catch {
        return { ok: false, reason: 'malformed' };
      }
      if (!(payload.exp > Date.now())) return { ok: false, reason: 'expired' };
      const scopes: unknown[] = Array.isArray(payload.scope) ? payload.scope : [payload.scope];
      if (!scopes.includes(scope)) return { ok: false, reason: 'scope' };
      return { ok: true, payload };
    },
  };
};

export type PreviewTokensService = ReturnType<typeof createPreviewTokensService>;
