/**
 * The `versioned` option of the plugin's config: the single types the host app
 * wants versioned, one line each, e.g.
 *   'platform-settings': { config: { versioned: { 'api::home-page.home-page': { cacheSeconds: 30 } } } }
 * Only the shape is checked here (the config validator runs before any content
 * type is known); `register` checks the types themselves.
 */
export interface VersionedTypeOptions {
  /** `s-maxage` of the fast public GET (the CDN's time to live). */
  cacheSeconds: number;
}

export type VersionedConfig = Record<string, Partial<VersionedTypeOptions>>;

export const DEFAULT_TYPE_OPTIONS: VersionedTypeOptions = { cacheSeconds: 60 };

const UID_PATTERN = /^(api|plugin)::[a-z0-9-]+\.[a-z0-9-]+$/;
const OPTION_NAMES = new Set(Object.keys(DEFAULT_TYPE_OPTIONS));
/** A year: longer makes no sense for a document that changes by versions. */
const MAX_CACHE_SECONDS = 365 * 24 * 60 * 60;

/** Every problem with the `versioned` option, as `versioned.<uid>.<option>: reason`. */
export const versionedConfigProblems = (value: unknown): string[] => {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      'versioned must be an object of content-type uids, e.g. { "api::home-page.home-page": { cacheSeconds: 30 } }',
    ];
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([uid, options]) => {
    const at = `versioned["${uid}"]`;
    if (!UID_PATTERN.test(uid)) {
      return [`${at}: is not a content-type uid (api::<name>.<name> or plugin::<plugin>.<name>)`];
    }
    if (options === true) return [];
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      return [`${at}: must be an object of options (or true)`];
    }
    const problems: string[] = [];
    for (const [name, option] of Object.entries(options as Record<string, unknown>)) {
      if (!OPTION_NAMES.has(name)) {
        problems.push(`${at}.${name}: is not an option (known: ${[...OPTION_NAMES].join(', ')})`);
      } else if (
        name === 'cacheSeconds' &&
        (!Number.isInteger(option) ||
          (option as number) < 0 ||
          (option as number) > MAX_CACHE_SECONDS)
      ) {
        problems.push(
          `${at}.cacheSeconds: must be a whole number of seconds from 0 to ${MAX_CACHE_SECONDS}`
        );
      }
    }
    return problems;
  });
};

/** The options of one type with the defaults filled in. */
export const typeOptionsOf = (options: Partial<VersionedTypeOptions> | true | undefined) => ({
  ...DEFAULT_TYPE_OPTIONS,
  ...(options === true || !options ? {} : options),
});
