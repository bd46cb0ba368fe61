/**
 * Readiness, on the content API next to the settings it reports on. Public, like
 * Strapi's `/_health`: it says whether this instance can serve, nothing more.
 * (`GET /metrics` lives at the root instead; see `operations.ts`.)
 */
import { serveReadiness } from '../controllers/ops';
import { noStore } from '../schemas/headers';
import { readinessResponse } from '../schemas/readiness';
import { publicRoute, type DocumentedRoute } from './docs';

export default {
  type: 'content-api',
  prefix: '',
  routes: [
    {
      method: 'GET',
      path: '/platform-settings/health',
      handler: serveReadiness,
      config: { auth: false },
      response: readinessResponse,
      openapi: publicRoute({
        operationId: 'getReadiness',
        summary: 'Readiness of this instance',
        description:
          'For load balancers: 200 while this instance can serve the settings, fresh or (during a database outage) stale; 503 when it has none to serve or is shutting down. `/_health` stays the liveness check.',
        responses: {
          200: { description: 'Ready', headers: [noStore] },
          503: { description: 'Not ready', body: readinessResponse, headers: [noStore] },
        },
      }),
    },
  ],
} satisfies { type: 'content-api'; prefix: string; routes: DocumentedRoute[] };
