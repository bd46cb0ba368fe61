/**
 * Times every request, from the outside of Strapi's middleware stack so the
 * status is the one the client got: feeds the request-duration histogram, counts
 * settings writes by result, and — when logs are JSON — writes one line per request.
 */
import type { Context, Next } from 'koa';
import type { Core } from '@strapi/strapi';
import type { WriteResult } from '../services/metrics';
import { INTERNAL_HEADER, isInternalRequest } from '../services/type-delivery';
import { getService } from '../utils/get-service';
import { routeLabel, writeOperationOf } from '../utils/request-route';
import { requestIdOf } from './request-id';

const COMMITTED = 'platformSettingsCommittedVersion';

/** Called when a version commits, so the request that made it counts as a success. */
export const noteCommittedVersion = (strapi: Core.Strapi, version: number) => {
  const ctx = strapi.requestContext.get() as Context | undefined;
  if (ctx) ctx.state[COMMITTED] = version;
};

const writeResultOf = (ctx: Context): WriteResult => {
  if (ctx.status >= 500) return 'error';
  if (ctx.status === 409 || ctx.status === 412) return 'conflict';
  if (ctx.status >= 400) return 'rejected';
  return ctx.state[COMMITTED] === undefined ? 'unchanged' : 'success';
};

export const observeRequests =
  ({ logRequests }: { logRequests: boolean }) =>
  async (ctx: Context, next: Next) => {
    // The CMS asking itself for a versioned type's public body is not a visitor's request.
    if (isInternalRequest(ctx.get(INTERNAL_HEADER))) return next();
    const started = process.hrtime.bigint();
    let failed = false;
    try {
      await next();
    } catch (error) {
      // Only what escapes `strapi::errors`; Koa answers it with a 500.
      failed = true;
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = failed ? 500 : ctx.status;
      const route = routeLabel(ctx);
      const metrics = getService('metrics');
      metrics.observeRequest({ method: ctx.method, route, status }, seconds);
      const operation = writeOperationOf(ctx);
      if (operation) metrics.settingsWrite(operation, failed ? 'error' : writeResultOf(ctx));

      // Method, route, status and timing only: headers (the founder key) and bodies stay out.
      if (logRequests) {
        getService('requestLog').write({
          method: ctx.method,
          route,
          path: ctx.path,
          status,
          seconds,
          requestId: requestIdOf(ctx),
        });
      }
    }
  };
