/**
 * Readiness, on the content API next to the settings it reports on. Public, like
 * Strapi's `/_health`: it says whether this instance can serve, nothing more.
 * (`GET /metrics` lives at the root instead; see `operations.ts`.)
 */
import { serveReadiness } from '../controllers/ops';

export default {
  type: 'content-api',
  prefix: '',
  routes: [
    {
      method: 'GET',
      path: '/platform-settings/health',
      handler: serveReadiness,
      config: { auth: false },
    },
  ],
};
