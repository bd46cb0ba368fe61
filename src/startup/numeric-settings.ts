/**
 * Every number the app reads from the environment, with the range it accepts.
 * Strapi's env.int() turns `abc` into NaN and takes 0 for a heartbeat (a 1 ms
 * loop), so each one is checked at start instead. Unset means the default;
 * config/*.ts still reads them with env.int().
 */
interface NumericSetting {
  min: number;
  max: number;
  /** What the number is, for the message. */
  unit: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const NUMERIC_SETTINGS: Record<string, NumericSetting> = {
  // 0: any free port (tests).
  PORT: { min: 0, max: 65535, unit: 'a TCP port' },
  SHUTDOWN_DELAY_MS: { min: 0, max: 5 * MINUTE, unit: 'milliseconds' },
  SHUTDOWN_TIMEOUT_MS: { min: 0, max: 10 * MINUTE, unit: 'milliseconds' },
  SETTINGS_VERSION_CHECK_MS: { min: 100, max: HOUR, unit: 'milliseconds' },
  SCHEDULE_CHECK_MS: { min: 100, max: HOUR, unit: 'milliseconds' },
  HOME_PAGE_CACHE_SECONDS: { min: 0, max: 365 * 24 * 60 * 60, unit: 'seconds' },
  PREVIEW_TOKEN_TTL_MS: { min: 1000, max: 24 * HOUR, unit: 'milliseconds' },
  EVENTS_MAX_STREAMS: { min: 1, max: 1_000_000, unit: 'streams' },
  EVENTS_MAX_STREAMS_PER_CLIENT: { min: 1, max: 1_000_000, unit: 'streams' },
  EVENTS_HEARTBEAT_MS: { min: 1000, max: 5 * MINUTE, unit: 'milliseconds' },
  DATABASE_POOL_MIN: { min: 0, max: 1000, unit: 'connections' },
  DATABASE_POOL_MAX: { min: 1, max: 1000, unit: 'connections' },
  DATABASE_CONNECTION_TIMEOUT: { min: 100, max: 10 * MINUTE, unit: 'milliseconds' },
};

const INTEGER = /^-?\d+$/;

/** The variable's whole number, or null when it is unset. NaN when it is not a whole number. */
const integerOf = (raw: string | undefined): number | null => {
  if (raw === undefined) return null;
  const text = raw.trim();
  return INTEGER.test(text) ? Number(text) : Number.NaN;
};

/** One message per numeric variable that is not a whole number in its range. */
export const numericProblems = (env: NodeJS.ProcessEnv): string[] => {
  const problems: string[] = [];
  for (const [name, { min, max, unit }] of Object.entries(NUMERIC_SETTINGS)) {
    const value = integerOf(env[name]);
    if (value === null) continue;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const shown = JSON.stringify(String(env[name]).slice(0, 40));
      problems.push(
        `${name}=${shown} is not allowed: it must be a whole number from ${min} to ${max} (${unit})`
      );
    }
  }
  const poolMin = integerOf(env.DATABASE_POOL_MIN) ?? 2;
  const poolMax = integerOf(env.DATABASE_POOL_MAX) ?? 10;
  if (poolMin > poolMax) {
    problems.push(
      `DATABASE_POOL_MIN (${poolMin}) is larger than DATABASE_POOL_MAX (${poolMax}); the pool could never fill`
    );
  }
  return problems;
};
