import type { Context } from 'koa';

/**
 * Whether the matched route lists `name` in its `config.auth.strategies`. Strapi tries every
 * content-API strategy on a route that lists none, so ours answer only where a route asks.
 */
export const routeNamesStrategy = (ctx: Context, name: string): boolean => {
  const route = ctx.state.route as { config?: { auth?: { strategies?: unknown[] } } } | undefined;
  return route?.config?.auth?.strategies?.includes(name) ?? false;
};
