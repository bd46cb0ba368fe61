export interface PluginConfig {
  /** Failed founder-key attempts allowed per client IP in one window. */
  authFailuresPerWindow: number;
  authWindowMs: number;
  /** PostgreSQL: how often each instance checks it still serves the live version (safety net for missed notifications). */
  versionCheckIntervalMs: number;
  // Operations (issue 6).
  /** Retries of the CDN purge sent after each version (see services/cdn-purge.ts). */
  cdnPurge: { attempts: number; backoffMs: number; timeoutMs: number };
  /** How long the readiness check waits for the database. */
  readinessTimeoutMs: number;
}

export default {
  default: (): PluginConfig => ({
    authFailuresPerWindow: 10,
    authWindowMs: 60_000,
    versionCheckIntervalMs: 5000,
    // Operations (issue 6): 5 tries over about 15 s (1, 2, 4, 8 s apart).
    cdnPurge: { attempts: 5, backoffMs: 1000, timeoutMs: 5000 },
    readinessTimeoutMs: 2000,
  }),
  validator(config: PluginConfig) {
    if (!Number.isInteger(config.authFailuresPerWindow) || config.authFailuresPerWindow < 1) {
      throw new Error('authFailuresPerWindow must be a positive integer');
    }
    if (!Number.isInteger(config.authWindowMs) || config.authWindowMs < 1000) {
      throw new Error('authWindowMs must be at least 1000');
    }
    if (!Number.isInteger(config.versionCheckIntervalMs) || config.versionCheckIntervalMs < 100) {
      throw new Error('versionCheckIntervalMs must be an integer of at least 100');
    }
    // Operations (issue 6).
    const { attempts, backoffMs, timeoutMs } = config.cdnPurge;
    if (!Number.isInteger(attempts) || attempts < 1) {
      throw new Error('cdnPurge.attempts must be a positive integer');
    }
    if (!(backoffMs >= 0) || !(timeoutMs > 0) || !(config.readinessTimeoutMs > 0)) {
      throw new Error(
        'cdnPurge.backoffMs, cdnPurge.timeoutMs and readinessTimeoutMs must be positive'
      );
    }
  },
};
