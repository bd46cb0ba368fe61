import type { Core } from '@strapi/strapi';

import { getService } from './utils/get-service';

export default async (_context: { strapi: Core.Strapi }) => {
  await getService('invalidation').stop();
};
