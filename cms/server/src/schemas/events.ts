/** The live-settings stream: what it reads and what it sends. */
import { z } from 'zod';
import type { HeaderDoc } from './headers';

export const lastEventId: HeaderDoc = {
  name: 'Last-Event-ID',
  description:
    "Sent by EventSource when it reconnects: the id of the last event it had, `<version>.<epoch>`. The live settings are sent at once unless it is exactly the live one's id: an older or newer version, another epoch (the version number reused after a database was restored from a backup), or a bare version from before ids had an epoch all get the full state.",
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
    "Server-sent events: `retry: 3000`, then `event: settings`, `id: <version>.<epoch>` (the epoch: 12 hex digits derived from that version's history MAC, different on every timeline), `data: <the GET body as JSON>` for the live settings and each new version, and `:` comment heartbeats.",
  examples: [
    'retry: 3000\n\nevent: settings\nid: 42.3f9a1c07b2de\ndata: {"data":{"version":42,"siteName":"…"},"meta":{}}\n\n',
  ],
});

export const streamQuery = {
  types: z
    .string()
    .optional()
    .meta({
      description:
        'Comma-separated: `settings` and the keys of the other versioned types to carry (e.g. `settings,home-page`); the settings alone without it. Each other type goes out as an event named after it (`event: home-page`, `id: home-page:<version>`, `data:` the body of its public GET) on every (re)connect and every new version; nothing is sent for a type the Public role may not read.',
      examples: ['settings,home-page'],
    }),
};
