/**
 * Metrics, readiness, JSON request logs and the alert rules, against the real
 * app (SQLite) booted as production would log (LOG_FORMAT=json) with a metrics token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import yaml from 'js-yaml';
import { winston } from '@strapi/logger';
import { ROOT, createSqliteDatabase } from '../helpers/database';
import { bootApp, FOUNDER_KEY, founderHeaders, type TestApp } from '../helpers/strapi';
import { registerSuperAdmin } from '../admin/admin-users';
import { families, seriesNames, valueOf } from './helpers/prometheus';

const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789';
const SETTINGS_UID = 'plugin::platform-settings.setting';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp({
    // SQLite on purpose, also when DATABASE_URL is set: the file uses SQLite-specific SQL.
    database: await createSqliteDatabase(),
    env: { METRICS_TOKEN, LOG_FORMAT: 'json' },
  });
});
afterAll(() => app?.stop());

const scrape = async () =>
  (await app.request.get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`).expect(200))
    .text;

const put = (data: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.request
    .put('/api/platform-settings')
    .set({ ...founderHeaders, ...headers })
    .send({ data });

/** Runs `action`, then returns how much each named series grew meanwhile. */
const growth = async (
  series: Record<string, [string, Record<string, string>]>,
  action: () => Promise<unknown>
) => {
  const before = await scrape();
  await action();
  const after = await scrape();
  return Object.fromEntries(
    Object.entries(series).map(([key, [name, labels]]) => [
      key,
      valueOf(after, name, labels) - valueOf(before, name, labels),
    ])
  );
};

describe('GET /metrics', () => {
  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    const missing = await app.request.get('/metrics').expect(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    await app.request.get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
    await app.request.get('/metrics').set('Authorization', METRICS_TOKEN).expect(401);
  });

  it('serves the Prometheus text format at the root, not under /api', async () => {
    const res = await app.request
      .get('/metrics')
      .set('Authorization', `bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    const exported = families(res.text);
    expect(Object.fromEntries(exported)).toMatchObject({
      http_request_duration_seconds: 'histogram',
      settings_version: 'gauge',
      settings_updates_total: 'counter',
      settings_rollbacks_total: 'counter',
      founder_key_auth_failures_total: 'counter',
      settings_cache_lookups_total: 'counter',
      cdn_purges_total: 'counter',
      process_cpu_user_seconds_total: 'counter',
    });
    await app.request.get('/api/metrics').expect(404);
  });

  it('times requests by method, route pattern and status', async () => {
    const grew = await growth(
      {
        read: [
          'http_request_duration_seconds_count',
          {
            method: 'GET',
            route: '/api/platform-settings/history/versions/:version',
            status: '200',
          },
        ],
        notFound: [
          'http_request_duration_seconds_count',
          { method: 'GET', route: 'unmatched', status: '404' },
        ],
      },
      async () => {
        await app.request.get('/api/platform-settings/history/versions/1').set(founderHeaders);
        await app.request.get('/no/such/page').expect(404);
      }
    );
    // The pattern, not `/versions/1`: one series per route, not per version.
    expect(grew).toEqual({ read: 1, notFound: 1 });
  });

  it('reports the live version', async () => {
    const before = valueOf(await scrape(), 'settings_version');
    const res = await put({ tagline: `Version gauge ${Date.now()}` }).expect(200);
    expect(res.body.data.version).toBe(before + 1);
    expect(valueOf(await scrape(), 'settings_version')).toBe(before + 1);
  });

  it('counts settings updates by result', async () => {
    const live = await app.request.get('/api/platform-settings').expect(200);
    const result = (value: string) =>
      ['settings_updates_total', { result: value }] as [string, Record<string, string>];
    const grew = await growth(
      {
        success: result('success'),
        unchanged: result('unchanged'),
        conflict: result('conflict'),
        rejected: result('rejected'),
        error: result('error'),
      },
      async () => {
        await put({ heroTitle: 'Counted once' }).expect(200);
        await put({ heroTitle: 'Counted once' }).expect(200);
        await put({ heroTitle: 'Too late' }, { 'If-Match': live.headers.etag }).expect(412);
        await put({ primaryColor: 'not a colour' }).expect(422);
      }
    );
    expect(grew).toEqual({ success: 1, unchanged: 1, conflict: 1, rejected: 1, error: 0 });
  });

  it('counts a write the database refuses as a failed update', async () => {
    const knex = app.strapi.db.connection;
    // Strapi logs the failed insert as an error, which is expected here.
    app.strapi.log.silent = true;
    // A real failure inside the write transaction: the history insert is refused.
    await knex.raw(
      `CREATE TRIGGER refuse_history BEFORE INSERT ON platform_settings_history
       BEGIN SELECT RAISE(ABORT, 'history is read-only for this test'); END`
    );
    try {
      const grew = await growth(
        { error: ['settings_updates_total', { result: 'error' }] },
        async () => {
          const res = await put({ heroTitle: 'Never written' });
          expect(res.status).toBeGreaterThanOrEqual(500);
        }
      );
      expect(grew).toEqual({ error: 1 });
    } finally {
      await knex.raw('DROP TRIGGER refuse_history');
      app.strapi.log.silent = false;
    }
  });

  it('counts rollbacks by result, a dry run as unchanged', async () => {
    const grew = await growth(
      {
        success: ['settings_rollbacks_total', { result: 'success' }],
        unchanged: ['settings_rollbacks_total', { result: 'unchanged' }],
        rejected: ['settings_rollbacks_total', { result: 'rejected' }],
      },
      async () => {
        await app.request
          .post('/api/platform-settings/rollback/1?dryRun=true')
          .set(founderHeaders)
          .expect(200);
        await app.request.post('/api/platform-settings/rollback/1').set(founderHeaders).expect(200);
        await app.request
          .post('/api/platform-settings/rollback/99999')
          .set(founderHeaders)
          .expect(404);
      }
    );
    expect(grew).toEqual({ success: 1, unchanged: 1, rejected: 1 });
  });

  it('counts a Content Manager publish as an update, and a draft save not at all', async () => {
    const admin = await registerSuperAdmin(app);
    const live = (await app.request.get('/api/platform-settings').expect(200)).body.data;
    const grew = await growth(
      { success: ['settings_updates_total', { result: 'success' }] },
      async () => {
        const { version: _version, updatedAt: _updatedAt, ...fields } = live;
        const body = { ...fields, heroTitle: 'Saved in the Content Manager' };
        await app.request
          .put(`/content-manager/single-types/${SETTINGS_UID}`)
          .set('Authorization', `Bearer ${admin.token}`)
          .send(body)
          .expect(200);
        await app.request
          .post(`/content-manager/single-types/${SETTINGS_UID}/actions/publish`)
          .set('Authorization', `Bearer ${admin.token}`)
          .send(body)
          .expect(200);
      }
    );
    expect(grew).toEqual({ success: 1 });
  });

  it('counts cache hits of the settings GET', async () => {
    const grew = await growth(
      { hits: ['settings_cache_lookups_total', { result: 'hit' }] },
      async () => {
        for (let i = 0; i < 3; i += 1) await app.request.get('/api/platform-settings').expect(200);
      }
    );
    expect(grew.hits).toBeGreaterThanOrEqual(2);
  });

  it('counts founder-key refusals by reason', async () => {
    const reason = (value: string) =>
      ['founder_key_auth_failures_total', { reason: value }] as [string, Record<string, string>];
    try {
      const grew = await growth(
        { missing: reason('missing'), wrong: reason('wrong'), limited: reason('rate-limited') },
        async () => {
          await app.request.put('/api/platform-settings').send({ data: {} }).expect(401);
          // 10 failures per window are judged; the 11th is refused with 429 and only counted.
          for (let i = 0; i < 9; i += 1) {
            await put({}, { 'X-Founder-Key': `wrong-key-${i}` }).expect(403);
          }
          await put({}, { 'X-Founder-Key': 'wrong-key-9' }).expect(429);
          // A right key is never refused by the limit, nor counted.
          await app.request
            .get('/api/platform-settings/history/versions')
            .set('X-Founder-Key', FOUNDER_KEY)
            .expect(200);
        }
      );
      expect(grew).toEqual({ missing: 1, wrong: 9, limited: 1 });
    } finally {
      await app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits();
    }
  });
});

describe('GET /api/platform-settings/health', () => {
  it('is ready, with fresh settings, when the database answers', async () => {
    const res = await app.request.get('/api/platform-settings/health').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const live = (await app.request.get('/api/platform-settings')).body.data;
    expect(res.body).toEqual({
      status: 'ready',
      checks: { database: 'up', settings: 'fresh' },
      settingsVersion: live.version,
      draining: false,
    });
  });

  it('leaves liveness to Strapi', async () => {
    await app.request.get('/_health').expect(204);
  });
});

describe('error tracking', () => {
  it('is off without SENTRY_DSN', () => {
    const service = app.strapi.plugin('platform-settings').service('errorTracking');
    expect(service.enabled()).toBe(false);
  });
});

describe('JSON logs', () => {
  const captureLogs = async (action: () => Promise<unknown>) => {
    const stream = new PassThrough();
    let output = '';
    stream.on('data', (chunk) => (output += chunk));
    const transport = new winston.transports.Stream({ stream });
    const { log } = app.strapi;
    const level = log.level;
    const consoles = log.transports.filter((t) => !(t instanceof winston.transports.Stream));
    consoles.forEach((t) => (t.silent = true));
    log.level = 'info';
    log.add(transport);
    // Request lines do not go through Strapi's logger (see services/request-log.ts).
    const restoreRequestLog = app.strapi
      .plugin('platform-settings')
      .service('requestLog')
      .divertTo(stream);
    try {
      await action();
    } finally {
      restoreRequestLog();
      log.remove(transport);
      log.level = level;
      consoles.forEach((t) => (t.silent = false));
    }
    return output
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  it('writes one line per request and one per settings change, never the key', async () => {
    let requestId = '';
    const lines = await captureLogs(async () => {
      const res = await put({ tagline: 'Logged change' })
        .set('X-Request-Id', 'req-from-proxy-42')
        .expect(200);
      requestId = res.headers['x-request-id'];
      await put({}, { 'X-Founder-Key': 'a-wrong-key-that-must-not-be-logged' }).expect(403);
    });
    expect(requestId).toBe('req-from-proxy-42');

    const requests = lines.filter((line) => line.event === 'http.request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({
      level: 'info',
      method: 'PUT',
      route: '/api/platform-settings',
      status: 200,
      requestId: 'req-from-proxy-42',
    });
    expect(typeof requests[0].durationMs).toBe('number');
    expect(typeof requests[0].timestamp).toBe('string');
    expect(requests[1]).toMatchObject({ status: 403 });

    const changes = lines.filter((line) => line.event === 'settings.changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      changeType: 'update',
      authorKind: 'founder-key',
      changedFields: ['tagline'],
      requestId: 'req-from-proxy-42',
    });
    expect(typeof changes[0].version).toBe('number');

    const everything = lines.map((line) => JSON.stringify(line)).join('\n');
    expect(everything).not.toContain(FOUNDER_KEY);
    expect(everything).not.toContain('a-wrong-key-that-must-not-be-logged');
  });

  it('gives each request its own id when the client sends none', async () => {
    const first = await app.request.get('/api/platform-settings').expect(200);
    const second = await app.request.get('/api/platform-settings').expect(200);
    expect(first.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    const spoofed = await app.request
      .get('/api/platform-settings')
      .set('X-Request-Id', 'bad id with spaces')
      .expect(200);
    expect(spoofed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('config/alerts.yml', () => {
  interface Rule {
    alert: string;
    expr: string;
    for?: string;
    labels: { severity: string };
    annotations: { summary: string; runbook: string };
  }
  const file = yaml.load(fs.readFileSync(path.join(ROOT, 'config', 'alerts.yml'), 'utf8')) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const rules = file.groups.flatMap((group) => group.rules);

  // PromQL words that are not metric names.
  const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'and', 'or', 'unless', 'bool']);

  /** Metric names in a PromQL expression: identifiers that are not functions, labels or keywords. */
  const metricNames = (expr: string) => {
    const bare = expr
      .replace(/"(?:[^"\\]|\\.)*"/g, '""') // strings
      .replace(/\{[^}]*\}/g, '') // label matchers
      .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '') // grouping labels
      .replace(/\[[^\]]*\]/g, ''); // range selectors
    const names = new Set<string>();
    for (const match of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
      const isCall = /^\s*\(/.test(bare.slice(match.index + match[0].length));
      if (!isCall && !KEYWORDS.has(match[0])) names.add(match[0]);
    }
    return [...names];
  };

  it('has the four alerts (errors, latency, failed updates, refused founder keys), each with a severity and a runbook entry', () => {
    const names = rules.map((rule) => rule.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'SettingsHighErrorRate',
        'SettingsHighLatency',
        'SettingsUpdateFailed',
        'SettingsUnauthorizedBurst',
      ])
    );
    const runbook = fs.readFileSync(path.join(ROOT, 'docs', 'runbook.md'), 'utf8');
    for (const rule of rules) {
      expect(['page', 'warn']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.runbook).toBe(`docs/runbook.md#${rule.alert.toLowerCase()}`);
      expect(runbook).toMatch(new RegExp(`^#+ ${rule.alert}$`, 'm'));
    }
  });

  it('names only metrics the server exports', async () => {
    const exported = seriesNames(await scrape());
    for (const rule of rules) {
      const names = metricNames(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        expect({ alert: rule.alert, metric: name, exported: exported.has(name) }).toEqual({
          alert: rule.alert,
          metric: name,
          exported: true,
        });
      }
    }
  });

  it('alerts above 1 % 5xx over 5 minutes, above 0.5 s p99, on any failed update and on founder-key failures', () => {
    const expr = (name: string) => rules.find((rule) => rule.alert === name)!.expr;
    expect(expr('SettingsHighErrorRate')).toMatch(/status=~"5\.\."\}\[5m\][\s\S]*> 0\.01\s*$/);
    expect(expr('SettingsHighLatency')).toMatch(/histogram_quantile\(0\.99,[\s\S]*> 0\.5\s*$/);
    expect(expr('SettingsUpdateFailed')).toMatch(/result="error"/);
    expect(expr('SettingsUnauthorizedBurst')).toMatch(/founder_key_auth_failures_total/);
  });
});
