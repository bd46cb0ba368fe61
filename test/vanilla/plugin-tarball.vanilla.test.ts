/**
 * The plugin as a user installs it: packed with `npm pack`, installed into a Strapi app that
 * create-strapi-app made (not this repository's host app), built and started in production,
 * then the REST contract over HTTP, every response checked against docs/openapi.json; and a
 * single type of the app's own, made with Strapi's generator and versioned with one config
 * line, written with Strapi's REST and an API token, then rolled back.
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
import supertest from 'supertest';
import type { RunningStrapi } from '../../scripts/lib/launcher.cjs';
import {
  DEFAULT_STRAPI_VERSION,
  EXAMPLE_TYPE,
  prepareVanillaApp,
  preparedAppIn,
  startApp,
  type PreparedApp,
} from '../../scripts/lib/vanilla-app.cjs';
import { DEFAULT_SETTINGS } from '../../cms/shared/defaults';
import { createPostgresDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '../helpers/database';
import { checkedClientFor } from '../helpers/openapi';
import { firstAdminApiToken, type ApiToken } from './first-admin';

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

describe(`a single type of the app's own (${EXAMPLE_TYPE.uid}), versioned with one config line`, () => {
  const TYPE = `/api/${EXAMPLE_TYPE.key}`;
  // A 1×1 PNG: an image, as a user uploads one.
  const PNG = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64'
  );
  type Reference = { id: number; documentId: string };
  const LAUNCH_HIGHLIGHTS = [
    { title: 'Fast', text: 'Served from memory' },
    { title: 'Signed', text: 'Every version signed' },
  ];
  let rest: ReturnType<typeof supertest>;
  let token: ApiToken;
  let cover: Reference;
  const partners: Reference[] = [];

  beforeAll(async () => {
    rest = supertest(server.url);
    token = await firstAdminApiToken(server.url);
  });

  it('was made by the generator and is switched on by one line in config/plugins', () => {
    const api = path.join(prepared.dir, 'src', 'api', EXAMPLE_TYPE.key);
    expect(fs.readFileSync(path.join(api, 'routes', `${EXAMPLE_TYPE.key}.ts`), 'utf8')).toContain(
      `factories.createCoreRouter('${EXAMPLE_TYPE.uid}')`
    );
    const config = fs.readFileSync(path.join(prepared.dir, 'config', 'plugins.ts'), 'utf8');
    expect(config.split('\n').filter((line) => line.includes('versioned'))).toEqual([
      `  '${prepared.pluginId}': { enabled: true, config: { versioned: { '${EXAMPLE_TYPE.uid}': { cacheSeconds: 30 } } } },`,
    ]);
  });

  it("takes an uploaded image and published partners through Strapi's REST with an API token", async () => {
    const upload = await rest
      .post('/api/upload')
      .set(token.headers)
      .attach('files', PNG, { filename: 'cover.png', contentType: 'image/png' });
    expect(upload.status).toBe(201);
    cover = upload.body[0];
    expect(cover).toMatchObject({ documentId: expect.any(String), mime: 'image/png' });
    for (const name of ['Acme', 'Globex']) {
      const created = await rest.post('/api/partners').set(token.headers).send({ data: { name } });
      expect(created.status).toBe(201);
      // Strapi's REST publishes what it creates: a rollback may point at it again.
      expect(created.body.data.publishedAt).toEqual(expect.any(String));
      partners.push(created.body.data);
    }
  });

  it("makes each of Strapi's own PUTs a version, references kept by documentId", async () => {
    const first = await rest
      .put(TYPE)
      .set(token.headers)
      .send({
        data: {
          headline: 'Launch',
          [EXAMPLE_TYPE.media]: cover.id,
          [EXAMPLE_TYPE.relation.name]: partners[0].documentId,
          [EXAMPLE_TYPE.component.name]: LAUNCH_HIGHLIGHTS,
        },
      });
    expect(first.status).toBe(200);
    expect(first.body.data).toMatchObject({ headline: 'Launch', version: 1 });
    const second = await rest
      .put(TYPE)
      .set(token.headers)
      .send({
        data: {
          headline: 'Relaunch',
          [EXAMPLE_TYPE.media]: null,
          [EXAMPLE_TYPE.relation.name]: partners[1].documentId,
          [EXAMPLE_TYPE.component.name]: [{ title: 'Only one', text: null }],
        },
      });
    expect(second.status).toBe(200);
    expect(second.body.data).toMatchObject({ headline: 'Relaunch', version: 2 });

    const history = await rest.get(`${TYPE}/history/versions`).set(token.headers);
    expect(history.status).toBe(200);
    expect(history.body.data.map((entry: { version: number }) => entry.version)).toEqual([2, 1]);
    const one = await rest.get(`${TYPE}/history/versions/1`).set(token.headers);
    expect(one.body.data).toMatchObject({
      changeType: 'create',
      author: { kind: 'api-token', name: token.name },
      data: {
        headline: 'Launch',
        [EXAMPLE_TYPE.media]: cover.documentId,
        [EXAMPLE_TYPE.relation.name]: partners[0].documentId,
        [EXAMPLE_TYPE.component.name]: LAUNCH_HIGHLIGHTS,
      },
    });
  });

  it('rolls back to version 1 as version 3: the component, the image and the partner come back', async () => {
    const rollback = await rest
      .post(`${TYPE}/rollback/1`)
      .set(token.headers)
      .send({ note: 'Back to the launch page' });
    expect(rollback.status).toBe(200);
    expect(rollback.body.data).toMatchObject({ version: 3, headline: 'Launch' });
    expect(rollback.body.meta).toEqual({
      restoredFrom: 1,
      skippedFields: [],
      missingReferences: [],
    });

    const live = await rest.get(`${TYPE}?populate=*`).set(token.headers);
    expect(live.status).toBe(200);
    expect(live.body.data).toMatchObject({
      version: 3,
      headline: 'Launch',
      [EXAMPLE_TYPE.media]: { documentId: cover.documentId, mime: 'image/png' },
      [EXAMPLE_TYPE.relation.name]: { documentId: partners[0].documentId, name: 'Acme' },
    });
    // New component rows, in their order.
    expect(
      live.body.data[EXAMPLE_TYPE.component.name].map(
        ({ title, text }: Record<string, unknown>) => ({
          title,
          text,
        })
      )
    ).toEqual(LAUNCH_HIGHLIGHTS);

    const verify = await rest.get(`${TYPE}/history/verify`).set(token.headers);
    expect(verify.body.data).toMatchObject({ ok: true, versions: 3, head: { version: 3 } });
    // A chain of its own: the settings' stayed where they were.
    const settings = await request.get(`${SETTINGS}/history/verify`).set(founder).expect(200);
    expect(settings.body.data).toMatchObject({ ok: true, versions: 3 });
  });

  it('never wrote the API token to its log', () => {
    expect(server.output()).not.toContain(token.accessKey);
  });
});

it('never wrote the founder key to its log', () => {
  expect(server.output()).not.toContain(prepared.FOUNDER_KEY);
});
