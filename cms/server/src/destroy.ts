import type { Core } from '@strapi/strapi';
import { destroyOperations } from './operations';
import { getService } from './utils/get-service';

/** Undoes what `register` and `bootstrap` started: the invalidation listener, then operations. */
export default async (_context: { strapi: Core.Strapi }) => {
  await getService('invalidation').stop();
  await destroyOperations();
};
