/** The admin's own session, as the request that carries it says. */
import type { Context } from 'koa';

/** When the admin's session ends: the `exp` of its bearer JWT (already verified by Strapi). */
export const sessionExpiry = (ctx: Pick<Context, 'get'>): number | undefined => {
  const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: number;
    };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
};
