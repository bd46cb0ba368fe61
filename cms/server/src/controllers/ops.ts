/**
 * Handlers of the operations endpoints. They are plain functions wired straight
 * into their routes (`routes/ops.ts`, and `/metrics` on the root router in
 * `operations.ts`), not a registered controller: nothing else calls them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { Readiness } from '../../../shared/contracts/operations';
import { unauthorized } from '../utils/errors';
import { getService } from '../utils/get-service';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time, like the founder key, so the token cannot be guessed from timings. */
const bearerMatches = (header: string, token: string) => {
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
};

/**
 * `GET /metrics`: Prometheus text format; needs `Authorization: Bearer $METRICS_TOKEN`
 * when set (always in production: the server does not start without it).
 */
export const serveMetrics = async (ctx: Context) => {
  ctx.set('Cache-Control', 'no-store');
  const token = process.env.METRICS_TOKEN;
  if (token && !bearerMatches(ctx.get('authorization'), token)) {
    ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
    throw unauthorized('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics');
  }
  const metrics = getService('metrics');
  ctx.type = metrics.contentType;
  ctx.body = await metrics.render();
};

/** `GET /api/platform-settings/health`: 200 when ready for traffic, 503 when not. */
export const serveReadiness = async (ctx: Context) => {
  const report: Readiness.Response = await getService('readiness').check();
  ctx.set('Cache-Control', 'no-store');
  ctx.status = report.status === 'ready' ? 200 : 503;
  ctx.body = report;
};
