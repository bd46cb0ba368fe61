import type { Core } from '@strapi/strapi';
import { destroyOperations } from './operations';
import { getService } from './utils/get-service';

/**
 * Undoes what `register` and `bootstrap` started: first the HTTP traffic is
 * drained (Strapi destroys every socket right after this), then the
 * invalidation listener stops, the public copies being loaded finish (the
 * database pool closes next), then operations (CDN purges, error tracking).
 */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService('shutdown').drain(strapi.server.httpServer);
  getService('events').stop();
  await getService('adminEvents').stop();
  await getService('schedules').stop();
  await getService('invalidation').stop();
  await getService('typeDelivery').settle();
  await destroyOperations();
};
