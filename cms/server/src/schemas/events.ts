/** The live-settings stream: what it reads and what it sends. */
import { z } from 'zod';
import type { HeaderDoc } from './headers';

export const lastEventId: HeaderDoc = {
  name: 'Last-Event-ID',
  description:
    'Sent by EventSource when it reconnects: the version it had. The live settings are sent at once unless it is the live version (also when it is newer: a database restored from a backup).',
  schema: z.string(),
};

export const noBuffering: HeaderDoc = {
  name: 'X-Accel-Buffering',
  description: 'Tells nginx (and proxies that read it) to pass each event on at once.',
  schema: z.literal('no'),
  required: true,
};

export const eventStreamBody = z.string().meta({
  description:
    'Server-sent events: `retry: 3000`, then `event: settings`, `id: <version>`, `data: <the GET body as JSON>` for the live settings and each new version, and `:` comment heartbeats.',
  examples: [
    'retry: 3000\n\nevent: settings\nid: 42\ndata: {"data":{"version":42,"siteName":"…"},"meta":{}}\n\n',
  ],
});
