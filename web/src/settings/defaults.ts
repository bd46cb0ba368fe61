import { SETTINGS_FIELDS } from './fields.generated';
import type { PlatformSettings } from './types';

/** What the page shows when the API is unreachable or a field is invalid: the schema's defaults. */
export const DEFAULT_SETTINGS: Readonly<PlatformSettings> = Object.freeze(
  Object.fromEntries(
    Object.entries(SETTINGS_FIELDS).map(([name, field]) => [name, field.default])
  ) as unknown as PlatformSettings
);
