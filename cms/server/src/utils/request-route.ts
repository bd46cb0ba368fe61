/**
 * What a finished request was, for metrics and logs: its route pattern (never
 * the raw path, which would give every version number its own time series) and,
 * for the requests that write settings, which operation it was.
 */
import type { Context } from 'koa';
import type { WriteOperation } from '../services/metrics';
import { PLUGIN_ID, SETTINGS_UID } from './constants';

/** The route config Strapi puts on `ctx.state.route` once a route matched. */
interface MatchedRoute {
  handler?: unknown;
  info?: { pluginName?: string };
}

/** `/api/platform-settings/history/versions/:version`, or `unmatched` for what no route served. */
export const routeLabel = (ctx: Context): string => {
  // Set by @koa/router on the route that answered, with every prefix included.
  const pattern = (ctx as Context & { _matchedRoute?: unknown })._matchedRoute;
  if (typeof pattern !== 'string') return 'unmatched';
  // Catch-all routes (static files, `([^/]*)`) also "match" paths that do not exist.
  if (ctx.status === 404 && /[()*]/.test(pattern)) return 'unmatched';
  return pattern;
};

const handlerParts = (handler: unknown) => {
  if (typeof handler !== 'string') return { controller: '', action: '' };
  const dot = handler.lastIndexOf('.');
  return { controller: handler.slice(0, dot), action: handler.slice(dot + 1) };
};

/**
 * Writes to the live settings come in three ways: the plugin's own update,
 * publish and rollback routes (REST with the founder key, and the admin API),
 * and the Content Manager's Publish of the single type. (Saving a draft is not
 * a write to the live settings.)
 */
export const writeOperationOf = (ctx: Context): WriteOperation | null => {
  const route = ctx.state?.route as MatchedRoute | undefined;
  if (!route) return null;
  const { controller, action } = handlerParts(route.handler);
  const plugin = route.info?.pluginName;

  if (plugin === PLUGIN_ID) {
    if (action === 'rollback') return 'rollback';
    if (action === 'update' && controller.endsWith('settings')) {
      return ctx.query?.status === 'draft' ? null : 'update';
    }
    if (action === 'publish' && controller.endsWith('drafts')) return 'update';
    return null;
  }
  if (
    plugin === 'content-manager' &&
    controller === 'single-types' &&
    action === 'publish' &&
    ctx.params?.model === SETTINGS_UID
  ) {
    return 'update';
  }
  return null;
};
