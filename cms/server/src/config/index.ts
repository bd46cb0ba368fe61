import { versionedConfigProblems, type VersionedConfig } from '../versioned/config';

export interface PluginConfig {
  /** The host app's single types to version, besides the settings (see versioned/config.ts). */
  versioned: VersionedConfig;
  /** Failed founder-key attempts allowed per client IP in one window. */
  authFailuresPerWindow: number;
  authWindowMs: number;
  /** PostgreSQL: how often each instance checks it still serves the live version (safety net for missed notifications). */
  versionCheckIntervalMs: number;
  // Operations: CDN purge, readiness and graceful shutdown.
  /** Retries of the CDN purge sent after each version (see services/cdn-purge.ts). */
  cdnPurge: { attempts: number; backoffMs: number; timeoutMs: number };
  /** How long the readiness check waits for the database. */
  readinessTimeoutMs: number;
  /** Shutdown: how long readiness answers 503 before connections are closed (for polling load balancers). */
  shutdownDelayMs: number;
  /** Shutdown: the longest wait for in-flight requests to finish. */
  shutdownTimeoutMs: number;
  /** How often each instance looks for scheduled changes that are due. */
  scheduleCheckMs: number;
  /** Lifetime of a preview token (renewed by the admin while the preview stays open). */
  previewTokenTtlMs: number;
  /** Live-settings event streams (services/events.ts). */
  events: {
    maxStreams: number;
    maxStreamsPerClient: number;
    heartbeatMs: number;
    retryMs: number;
    maxPendingBytes: number;
  };
}

export default {
  default: (): PluginConfig => ({
    versioned: {},
    authFailuresPerWindow: 10,
    authWindowMs: 60_000,
    versionCheckIntervalMs: 5000,
    // The CDN purge: 5 tries over about 15 s (1, 2, 4, 8 s apart).
    cdnPurge: { attempts: 5, backoffMs: 1000, timeoutMs: 5000 },
    readinessTimeoutMs: 2000,
    shutdownDelayMs: 0,
    shutdownTimeoutMs: 10_000,
    scheduleCheckMs: 5000,
    previewTokenTtlMs: 5 * 60 * 1000,
    events: {
      maxStreams: 10_000,
      maxStreamsPerClient: 32,
      heartbeatMs: 15_000,
      retryMs: 3000,
      maxPendingBytes: 64 * 1024,
    },
  }),
  validator(config: PluginConfig) {
    const versionedProblems = versionedConfigProblems(config.versioned);
    if (versionedProblems.length > 0) throw new Error(versionedProblems.join('; '));
    if (!Number.isInteger(config.authFailuresPerWindow) || config.authFailuresPerWindow < 1) {
      throw new Error('authFailuresPerWindow must be a positive integer');
    }
    if (!Number.isInteger(config.authWindowMs) || config.authWindowMs < 1000) {
      throw new Error('authWindowMs must be at least 1000');
    }
    if (!Number.isInteger(config.versionCheckIntervalMs) || config.versionCheckIntervalMs < 100) {
      throw new Error('versionCheckIntervalMs must be an integer of at least 100');
    }
    for (const key of [
      'shutdownDelayMs',
      'shutdownTimeoutMs',
      'scheduleCheckMs',
      'previewTokenTtlMs',
    ] as const) {
      if (!Number.isInteger(config[key]) || config[key] < 0) {
        throw new Error(`${key} must be a whole number of milliseconds`);
      }
    }
    // A zero or negative interval would spin, and zero streams would refuse every client.
    const minimums = {
      scheduleCheckMs: 100,
      previewTokenTtlMs: 1000,
      'events.maxStreams': 1,
      'events.maxStreamsPerClient': 1,
      'events.heartbeatMs': 1000,
      'events.retryMs': 0,
      'events.maxPendingBytes': 1024,
    } as const;
    for (const [key, min] of Object.entries(minimums)) {
      const value = key.startsWith('events.')
        ? config.events[key.slice('events.'.length) as keyof PluginConfig['events']]
        : config[key as 'scheduleCheckMs' | 'previewTokenTtlMs'];
      if (!Number.isInteger(value) || value < min) {
        throw new Error(`${key} must be a whole number of at least ${min}`);
      }
    }
    // The CDN purge and the readiness check.
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
