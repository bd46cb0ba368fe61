/** Response types of the operations endpoints (readiness), for probes, scripts and tests. */

export declare namespace Readiness {
  /**
   * `GET /api/platform-settings/health`: 200 when `status` is `ready` — this
   * instance can serve the settings, fresh or (during a database outage) stale
   * — and 503 when it has none to serve or is shutting down.
   */
  interface Response {
    status: 'ready' | 'unavailable';
    checks: {
      database: 'up' | 'down';
      /** fresh: the live version; stale: the last one known, the database cannot say; missing: none. */
      settings: 'fresh' | 'stale' | 'missing';
    };
    /** The version this instance serves, or null when none is loaded. */
    settingsVersion: number | null;
    /** True once shutdown began: finishing what is in flight, taking nothing new. */
    draining: boolean;
  }
}
