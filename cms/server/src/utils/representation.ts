/** The settings' public GET response, serialized once per version: body, bytes and strong ETag. */
import type { GetSettings, Settings } from '../../../shared/contracts/settings';
import { etagFor } from './etag';

export interface Representation {
  version: number;
  etag: string;
  body: string;
  /** The body as bytes, encoded once per version rather than once per request. */
  bytes: Buffer;
  settings: Settings;
}

export const representationOf = (settings: Settings): Representation => {
  const body = JSON.stringify({ data: settings, meta: {} } satisfies GetSettings.Response);
  return {
    version: settings.version,
    etag: etagFor(settings.version, body),
    body,
    bytes: Buffer.from(body),
    settings,
  };
};
