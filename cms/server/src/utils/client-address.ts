/**
 * The client's address behind trusted proxies, by the host app's
 * `server.proxy` settings (TRUST_PROXY): the X-Forwarded-For entry that many
 * hops from the right, which is what Koa makes `ctx.ip`. Used where Koa does
 * not run (the fast GET, event streams) so every check agrees on who the client is.
 */
import type { Core } from '@strapi/strapi';
import type { IncomingMessage } from 'node:http';

export const trustedHops = (strapi: Core.Strapi): number =>
  strapi.config.get('server.proxy.koa', false)
    ? Number(strapi.config.get('server.proxy.maxIpsCount', 1)) || 1
    : 0;

/** Strips the IPv4-mapped IPv6 prefix, so one client has one address. */
const normalize = (address: string) => address.trim().replace(/^::ffff:/, '');

export const clientAddressOf = (
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  hops: number
): string => {
  const remote = normalize(remoteAddress ?? '');
  if (hops === 0 || !forwardedFor) return remote;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map(normalize)
    .filter(Boolean);
  // Koa's rule: the last `hops` entries, and the first of those.
  return entries.slice(-hops)[0] ?? remote;
};

export const clientAddressOfRequest = (strapi: Core.Strapi, request: IncomingMessage) =>
  clientAddressOf(
    request.socket.remoteAddress,
    request.headers['x-forwarded-for'],
    trustedHops(strapi)
  );
