/**
 * For the read-only routes a preview may use (the draft, one version): a valid
 * `X-Preview-Token` for exactly that scope, or else the founder key. A token
 * that is there but wrong is refused as such (never silently ignored), and
 * write routes never look at it.
 */
import type { Core } from '@strapi/strapi';
import { forbidden, unauthorized } from '../utils/errors';
import { getService } from '../utils/get-service';
import founderKey from './founder-key';

export interface PolicyContext {
  params?: Record<string, string>;
  request: { ip: string; get(header: string): string };
  response: { set(header: string, value: string): void };
}

const MESSAGES = {
  malformed: 'The preview token is not one this server issued',
  signature: 'The preview token is not one this server issued',
  expired: 'The preview token has expired; open the preview again',
} as const;

export default async (
  policyContext: PolicyContext,
  config: unknown,
  context: { strapi: Core.Strapi }
) => {
  const token = policyContext.request.get('x-preview-token');
  if (!token) return founderKey(policyContext, config, context);
  policyContext.response.set('Cache-Control', 'no-store');
  const version = policyContext.params?.version;
  const scope = version === undefined ? 'draft' : (`version:${Number(version)}` as const);
  const check = getService('previewTokens').check(token, scope);
  if (check.ok) return true;
  if (check.reason === 'scope') {
    throw forbidden(
      `This preview token does not allow reading ${scope === 'draft' ? 'the draft' : `version ${version}`}`
    );
  }
  throw unauthorized(MESSAGES[check.reason]);
};
