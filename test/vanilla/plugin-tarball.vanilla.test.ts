/**
 * The plugin as a user installs it: packed with `npm pack`, installed into a Strapi app that
 * create-strapi-app made (not this repository's host app), built and started in production,
 * then the REST contract over HTTP, every response checked against docs/openapi.json.
 * One app, one build, one start (scripts/lib/vanilla-app.cjs, shared with `npm run playground`).
 * The app runs on PostgreSQL when it answers (a fresh database, dropped afterwards: a user's
 * production setup, and no better-sqlite3 to compile from source, which here takes minutes
 * since its prebuilt binaries come from GitHub), else on SQLite as create-strapi-app's default.
 * VANILLA_STRAPI_VERSION picks another Strapi version for the app (default 5.54.0);
 * VANILLA_APP_DIR runs the contract against an app already made and built there instead
 * (`npm run playground -- --dir <dir> --no-start`: an app not started yet, at version 1).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningStrapi } from '../../scripts/lib/launcher.cjs';
import {
  DEFAULT_STRAPI_VERSION,
  prepareVanillaApp,
  preparedAppIn,
  startApp,
  type PreparedApp,
} from '../../scripts/lib/vanilla-app.cjs';
import { DEFAULT_SETTINGS } from '../../cms/shared/defaults';
import { createPostgresDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '../helpers/database';
import { checkedClientFor } from '../helpers/openapi';

const SETTINGS = '/api/platform-settings';
const CACHE_CONTROL = 'public, max-age=60, s-maxage=60, stale-while-revalidate=30';

let workDir: string;
let prepared: PreparedApp;
let server: RunningStrapi;
let request: Awaited<ReturnType<typeof checkedClientFor>>;
let founder: Record<string, string>;
let database: TestDatabase | undefined;

/** A fresh PostgreSQL database for the app, or undefined (SQLite) when none answers. */
const postgresForApp = async () => {
  try {
    database = await createPostgresDatabase();
  } catch {
    return undefined;
  }
  const url = new URL(database.location);
  const admin = new URL(POSTGRES_ADMIN_URL);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    name: url.pathname.slice(1),
    user: decodeURIComponent(admin.username || 'postgres'),
    password: decodeURIComponent(admin.password),
  };
};

beforeAll(async () => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vanilla-app-'));
  prepared = process.env.VANILLA_APP_DIR
    ? preparedAppIn(path.resolve(process.env.VANILLA_APP_DIR))
    : await prepareVanillaApp({
        dir: path.join(workDir, 'app'),
        strapiVersion: process.env.VANILLA_STRAPI_VERSION || DEFAULT_STRAPI_VERSION,
        log: (line) => process.stdout.write(`${line}\n`),
        database: await postgresForApp(),
      });
  founder = { 'X-Founder-Key': prepared.FOUNDER_KEY };
  server = await startApp(prepared.dir, { logFile: path.join(workDir, 'strapi.log') });
  request = await checkedClientFor(server.url);
}, 20 * 60_000);

afterAll(async () => {
  await server?.stop();
  await database?.drop();
  // The app's node_modules is ~700 MB of small files: removed in the background, not waited on.
  if (workDir) spawn('rm', ['-rf', workDir], { detached: true, stdio: 'ignore' }).unref();
});

const liveSettings = async () => (await request.get(SETTINGS).expect(200)).body;
const historyList = async () =>
  (await request.get(`${SETTINGS}/history/versions?pageSize=100`).set(founder).expect(200)).body;

/** A rejected request leaves the settings and their history exactly as they were. */
const expectUnchanged = async (attempt: () => Promise<unknown>) => {
  const before = [await liveSettings(), await historyList()];
  await attempt();
  expect([await liveSettings(), await historyList()]).toEqual(before);
};

it('installed from the tarball under its npm name, enabled by its plugin id', () => {
  expect(prepared.pluginId).toBe('platform-settings');
  const manifest = JSON.parse(fs.readFileSync(path.join(prepared.dir, 'package.json'), 'utf8'));
  expect(manifest.dependencies[prepared.npmName]).toMatch(/^file:.*\.tgz$/);
});

// Strapi tells errors apart with instanceof (its error middleware) and the admin's React
// contexts (intl, store) are per copy: the plugin must load the very copies Strapi loads. A
// peer npm installed on its own (at its newest version, when the app does not declare it)
// turned every 404 into a 500 and would have left the plugin's admin without its intl context.
it.each([
  ['@strapi/utils', '@strapi/core'],
  ['react-intl', '@strapi/admin'],
  ['react-redux', '@strapi/admin'],
  ['@strapi/design-system', '@strapi/admin'],
  ['@strapi/icons', '@strapi/admin'],
])('loads the same %s as %s', (shared, host) => {
  const modules = path.join(prepared.dir, 'node_modules');
  const from = (dir: string) =>
    path.dirname(require.resolve(`${shared}/package.json`, { paths: [dir] }));
  expect(from(path.join(modules, prepared.npmName))).toBe(from(path.join(modules, host)));
});

it('serves the built admin panel', async () => {
  const res = await fetch(`${server.url}/admin`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
});

it('serves the defaults as version 1 to anyone, with cache headers, an ETag and 304', async () => {
  const res = await request.get(SETTINGS).expect(200);
  expect(res.body).toEqual({
    data: { version: 1, updatedAt: expect.any(String), ...DEFAULT_SETTINGS },
    meta: {},
  });
  expect(res.headers['cache-control']).toBe(CACHE_CONTROL);
  expect(res.headers['x-settings-version']).toBe('1');
  expect(res.headers.etag).toMatch(/^"1-[0-9a-f]{16}"$/);
  const notModified = await request
    .get(SETTINGS)
    .set('If-None-Match', res.headers.etag)
    .expect(304);
  expect(notModified.text).toBe('');
  expect(notModified.headers.etag).toBe(res.headers.etag);
});

it('answers 401 without the founder key and 403 with a wrong one, changing nothing', async () => {
  await expectUnchanged(async () => {
    const missing = await request
      .put(SETTINGS)
      .send({ data: { heroTitle: 'x' } })
      .expect(401);
    expect(missing.body.error).toMatchObject({ status: 401, name: 'UnauthorizedError' });
    const wrong = await request
      .put(SETTINGS)
      .set('X-Founder-Key', `${prepared.FOUNDER_KEY}x`)
      .send({ data: { heroTitle: 'x' } })
      .expect(403);
    expect(wrong.body.error).toMatchObject({ status: 403, name: 'ForbiddenError' });
  });
});

it('writes with the right key as the next version, with a new ETag', async () => {
  const before = await request.get(SETTINGS).expect(200);
  const res = await request
    .put(SETTINGS)
    .set(founder)
    .send({ data: { heroTitle: 'Vanilla launch' }, note: 'from the tarball' })
    .expect(200);
  expect(res.body.data).toMatchObject({ version: 2, heroTitle: 'Vanilla launch' });
  expect(res.body.meta).toEqual({ changed: true, changedFields: ['heroTitle'] });
  expect(res.headers['cache-control']).toBe('no-store');
  const after = await request.get(SETTINGS).set('If-None-Match', before.headers.etag).expect(200);
  expect(after.headers.etag).not.toBe(before.headers.etag);
  expect(after.body.data).toMatchObject({ version: 2, heroTitle: 'Vanilla launch' });
});

it('refuses bad input naming the field and the reason, changing nothing', async () => {
  await expectUnchanged(async () => {
    const res = await request
      .put(SETTINGS)
      .set(founder)
      .send({ data: { primaryColor: 'red', heroTitle: 'x'.repeat(121) } }) // reported in this order
      .expect(422);
    expect(res.body.error).toMatchObject({ status: 422, name: 'ValidationError' });
    expect(res.body.error.details.errors).toEqual([
      {
        path: ['data', 'primaryColor'],
        message: 'must be a colour in #RRGGBB form',
        name: 'ValidationError',
      },
      {
        path: ['data', 'heroTitle'],
        message: 'must be at most 120 characters',
        name: 'ValidationError',
      },
    ]);
    const malformed = await request
      .put(SETTINGS)
      .set(founder)
      .set('Content-Type', 'application/json')
      .send('{"data": {')
      .expect(400);
    expect(malformed.body.error.status).toBe(400);
  });
});

it('lists the history newest first and serves one entry', async () => {
  const list = await historyList();
  expect(list.data.map((entry: { version: number }) => entry.version)).toEqual([2, 1]);
  expect(list.meta.pagination).toMatchObject({ page: 1, total: 2 });
  const entry = await request.get(`${SETTINGS}/history/versions/2`).set(founder).expect(200);
  expect(entry.body.data).toMatchObject({
    version: 2,
    changeType: 'update',
    changedFields: ['heroTitle'],
    note: 'from the tarball',
    author: { kind: 'founder-key' },
    data: expect.objectContaining({ heroTitle: 'Vanilla launch' }),
  });
  await request.get(`${SETTINGS}/history/versions/99`).set(founder).expect(404);
  await request.get(`${SETTINGS}/history/versions`).expect(401);
});

it('rolls back by creating a new version with the old content', async () => {
  const res = await request.post(`${SETTINGS}/rollback/1`).set(founder).expect(200);
  expect(res.body.data).toMatchObject({ version: 3, heroTitle: DEFAULT_SETTINGS.heroTitle });
  expect(res.body.meta).toMatchObject({ restoredFrom: 1 });
  const entry = await request.get(`${SETTINGS}/history/versions/3`).set(founder).expect(200);
  expect(entry.body.data).toMatchObject({ changeType: 'rollback', restoredFrom: 1 });
  expect((await liveSettings()).data).toMatchObject({
    version: 3,
    heroTitle: DEFAULT_SETTINGS.heroTitle,
  });
  const verify = await request.get(`${SETTINGS}/history/verify`).set(founder).expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: 3 });
});

it('never wrote the founder key to its log', () => {
  expect(server.output()).not.toContain(prepared.FOUNDER_KEY);
});
