/** `GET /api/platform-settings/health`: the same body for 200 (ready) and 503 (not). */
import { z } from 'zod';
import type { Readiness } from '../../../shared/contracts/operations';

export const readinessResponse = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.object({
      database: z.enum(['up', 'down']),
      settings: z.enum(['fresh', 'stale', 'missing']).meta({
        description:
          'fresh: the live version; stale: the last one known, the database cannot say; missing: none.',
      }),
    }),
    settingsVersion: z
      .number()
      .int()
      .min(1)
      .nullable()
      .meta({ description: 'The version this instance serves, or null when none is loaded.' }),
    draining: z.boolean().meta({ description: 'True once shutdown began.' }),
  })
  .meta({ id: 'Readiness' }) satisfies z.ZodType<Readiness.Response>;
