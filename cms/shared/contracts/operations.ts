/** Response types of the operations endpoints (readiness), for probes, scripts and tests. */

export declare namespace Readiness {
  /** `GET /api/platform-settings/health`: 200 when `status` is `ready`, 503 otherwise. */
  interface Response {
    status: 'ready' | 'unavailable';
    checks: {
      database: 'up' | 'down';
      settings: 'loaded' | 'missing';
    };
    /** The live version this instance serves, or null when none is loaded. */
    settingsVersion: number | null;
  }
}
