/**
 * Prometheus metrics, served at `GET /metrics`. Each Strapi instance gets its
 * own registry (not prom-client's global one), so several apps in one process
 * — the tests boot many — never collide on metric names.
 *
 * Every name here is referenced by `config/alerts.yml`; a test checks that each
 * alert expression only names metrics this registry exports.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getService } from '../utils/get-service';

export type AuthFailureReason = 'missing' | 'wrong' | 'rate-limited';
export type WriteOperation = 'update' | 'rollback';
/**
 * success: a new version was committed. unchanged: accepted but no version was
 * needed (nothing differed, a dry run, a replay). conflict: 409/412. rejected:
 * any other 4xx. error: 5xx — the one an alert fires on.
 */
export type WriteResult = 'success' | 'unchanged' | 'conflict' | 'rejected' | 'error';
export type CacheLookup = 'hit' | 'miss';
export type PurgeResult = 'success' | 'failure';

const WRITE_RESULTS: WriteResult[] = ['success', 'unchanged', 'conflict', 'rejected', 'error'];
const AUTH_FAILURE_REASONS: AuthFailureReason[] = ['missing', 'wrong', 'rate-limited'];

// Fine below 100 ms, where the settings GET lives, with 0.5 s as an exact edge for the p99 alert.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const createMetricsService = () => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });

  new Gauge({
    name: 'settings_version',
    help: 'Live settings version this instance serves (0 until loaded)',
    registers: [registry],
    // Read at scrape time, so versions this instance learns from other instances count too.
    collect() {
      this.set(getService('cache').peek()?.version ?? 0);
    },
  });

  new Gauge({
    name: 'settings_stale',
    help: '1 while this instance serves the last settings it knew because the database cannot be asked, else 0',
    registers: [registry],
    collect() {
      this.set(getService('cache').isStale() ? 1 : 0);
    },
  });

  const writes = {
    update: new Counter({
      name: 'settings_updates_total',
      help: 'Settings update requests (REST, admin, Content Manager) by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
    rollback: new Counter({
      name: 'settings_rollbacks_total',
      help: 'Settings rollback requests by result',
      labelNames: ['result'] as const,
      registers: [registry],
    }),
  };

  const authFailures = new Counter({
    name: 'founder_key_auth_failures_total',
    help: 'Refused founder-key requests by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  const founderKeyPreviousUses = new Counter({
    name: 'founder_key_previous_used_total',
    help: 'Requests accepted with FOUNDER_KEY_PREVIOUS (a rotation still under way)',
    registers: [registry],
  });

  const cacheLookups = new Counter({
    name: 'settings_cache_lookups_total',
    help: 'Lookups of the in-memory settings representation by the settings GET',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  const cdnPurges = new Counter({
    name: 'cdn_purges_total',
    help: 'CDN purges of the public URLs of versioned types (settings and others) by final result (after retries)',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  new Gauge({
    name: 'settings_event_streams',
    help: 'Live-settings event streams open on this instance',
    registers: [registry],
    collect() {
      this.set(getService('events').open());
    },
  });
  const eventsSent = new Counter({
    name: 'settings_events_sent_total',
    help: 'Settings events written to open streams',
    registers: [registry],
  });
  const eventStreamsDropped = new Counter({
    name: 'settings_event_streams_dropped_total',
    help: 'Event streams the server closed or refused, by reason',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const eventDeliveryLag = new Histogram({
    name: 'settings_event_delivery_seconds',
    help: 'From a version being committed to its event leaving this instance',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const scheduleRuns = new Counter({
    name: 'settings_schedules_total',
    help: 'Scheduled changes run, by result: done, failed (no longer valid), skipped (live moved on), tampered (row does not match its signature)',
    labelNames: ['result'] as const,
    registers: [registry],
  });

  const historyWritesRefused = new Counter({
    name: 'settings_history_writes_refused_total',
    help: 'Settings writes refused because the history they would extend does not verify (an operator must act)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });

  const cdnPurgeRetries = new Counter({
    name: 'cdn_purge_retries_total',
    help: 'CDN purge attempts that failed and were retried',
    registers: [registry],
  });

  // Start every series at 0, so `increase()` sees the first event instead of a new series.
  for (const result of WRITE_RESULTS) {
    writes.update.labels(result).inc(0);
    writes.rollback.labels(result).inc(0);
  }
  for (const reason of AUTH_FAILURE_REASONS) authFailures.labels(reason).inc(0);
  for (const result of ['hit', 'miss'] as const) cacheLookups.labels(result).inc(0);
  for (const result of ['success', 'failure'] as const) cdnPurges.labels(result).inc(0);
  for (const result of ['done', 'failed', 'skipped', 'tampered'] as const) {
    scheduleRuns.labels(result).inc(0);
  }
  for (const reason of ['slow', 'refused'] as const) eventStreamsDropped.labels(reason).inc(0);
  for (const reason of ['head', 'altered', 'missing', 'live-mismatch'] as const) {
    historyWritesRefused.labels(reason).inc(0);
  }

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),

    observeRequest(labels: { method: string; route: string; status: number }, seconds: number) {
      requestDuration.labels(labels.method, labels.route, String(labels.status)).observe(seconds);
    },
    settingsWrite(operation: WriteOperation, result: WriteResult) {
      writes[operation].labels(result).inc();
    },
    /** Called by the founder-key auth strategy. */
    authFailure(reason: AuthFailureReason) {
      authFailures.labels(reason).inc();
    },
    /** Called by the founder-key auth strategy for each request the previous key let in. */
    founderKeyPreviousUsed() {
      founderKeyPreviousUses.inc();
    },
    /** Called by the settings GET: was the representation already in memory? */
    cacheLookup(result: CacheLookup) {
      cacheLookups.labels(result).inc();
    },
    cdnPurge(result: PurgeResult) {
      cdnPurges.labels(result).inc();
    },
    eventsSent(count: number) {
      eventsSent.inc(count);
    },
    eventStreamDropped(reason: 'slow' | 'refused') {
      eventStreamsDropped.labels(reason).inc();
    },
    eventDeliveryLag(seconds: number) {
      eventDeliveryLag.observe(seconds);
    },
    scheduleRun(result: 'done' | 'failed' | 'skipped' | 'tampered') {
      scheduleRuns.labels(result).inc();
    },
    cdnPurgeRetry() {
      cdnPurgeRetries.inc();
    },
    /** Called by the chain when a write would extend a history that does not verify. */
    writeRefused(reason: string) {
      historyWritesRefused.labels(reason).inc();
    },
  };
};

export type MetricsService = ReturnType<typeof createMetricsService>;
