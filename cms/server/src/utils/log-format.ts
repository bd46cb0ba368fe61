/**
 * One rule for "are logs JSON lines?", shared with the host's `config/logger.ts`
 * (which repeats it, as it cannot import plugin code): `LOG_FORMAT=json|pretty`,
 * JSON by default in production, where a log shipper reads them.
 */
export const jsonLogsEnabled = (env: NodeJS.ProcessEnv = process.env): boolean =>
  (env.LOG_FORMAT || (env.NODE_ENV === 'production' ? 'json' : 'pretty')) === 'json';
