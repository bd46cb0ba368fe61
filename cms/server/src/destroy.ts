import type { Core } from '@strapi/strapi';
import { destroyOperations } from './operations';
import { getService } from './utils/get-service';

/** knex's connection pool (tarn), as far as a shutdown needs to see it. */
interface Pool {
  numUsed(): number;
  numPendingAcquires(): number;
}

/** The longest a shutdown waits for queries still running before Strapi closes the pool. */
const POOL_DRAIN_MS = 5_000;

/**
 * Waits until no query holds or waits for a pooled connection (at most POOL_DRAIN_MS). Strapi
 * closes the pool right after the plugins' `destroy`, aborting every query still waiting for a
 * connection; some of those (Strapi's own populate of components) leave that rejection
 * unhandled, which ends the process. Work this plugin started in the background (a public copy
 * being loaded, a check) finishes first.
 */
const poolDrained = async (strapi: Core.Strapi) => {
  const pool = (strapi.db?.connection as unknown as { client?: { pool?: Pool } } | undefined)
    ?.client?.pool;
  const deadline = Date.now() + POOL_DRAIN_MS;
  while (pool && pool.numUsed() + pool.numPendingAcquires() > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * Undoes what `register` and `bootstrap` started: first the HTTP traffic is
 * drained (Strapi destroys every socket right after this), then the
 * invalidation listener stops, the public copies being loaded finish and the
 * queries still running end (the database pool closes next), then operations
 * (CDN purges, error tracking).
 */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService('shutdown').drain(strapi.server.httpServer);
  getService('events').stop();
  await getService('adminEvents').stop();
  await getService('schedules').stop();
  await getService('invalidation').stop();
  await getService('typeDelivery').settle();
  await poolDrained(strapi);
  await destroyOperations();
};
