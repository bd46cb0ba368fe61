// Strapi's logger. In production (or with LOG_FORMAT=json) every line is one JSON
// object, for a log shipper: the plugin adds one line per request and one per
// settings change, with their fields as keys. Elsewhere Strapi's readable default.
// Keep the LOG_FORMAT rule in step with cms/server/src/utils/log-format.ts.
import { winston } from '@strapi/logger';

type Env = (key: string, fallback?: string) => string;

export default ({ env }: { env: Env }) => {
  // An empty value counts as unset.
  const format = env('LOG_FORMAT') || (env('NODE_ENV') === 'production' ? 'json' : 'pretty');
  const level = env('LOG_LEVEL');
  if (format !== 'json') return level ? { level } : {};
  return {
    // `info` leaves out `strapi::logger`'s own `http`-level request lines: ours replace them.
    level: level || 'info',
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: true }),
      winston.format.json()
    ),
    transports: [new winston.transports.Console()],
  };
};
