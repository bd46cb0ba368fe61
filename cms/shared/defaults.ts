/** What a fresh install starts with (version 1): the defaults of shared/settings-fields.ts. */
export { DEFAULT_SETTINGS } from './settings-fields';
