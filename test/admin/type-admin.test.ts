/**
 * The admin API of the versioned types other than settings, with real admin
 * JWTs: the type list, each type's history, diff, verify, pins and rollback
 * under `/platform-settings/types/<key>`, and the RBAC separation between
 * types — a role with only the home page's actions can neither read nor roll
 * back the settings, and the other way round.
 */
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';
import { ensureHomePage, homeDocuments, homeHistory, HOME_PAGE_UID } from '../helpers/home-page';
import { adminWithActions, auth, registerSuperAdmin, type SignedInAdmin } from './admin-users';

const READ = 'plugin::platform-settings.history.read';
const ROLLBACK = 'plugin::platform-settings.history.rollback';
const HOME_READ = 'plugin::platform-settings.home-page.history.read';
const HOME_ROLLBACK = 'plugin::platform-settings.home-page.history.rollback';
const HOME_SCHEDULE = 'plugin::platform-settings.home-page.schedule';
const SCHEDULE = 'plugin::platform-settings.schedule';
const HOME = '/platform-settings/types/home-page';

let app: TestApp;
let superAdmin: SignedInAdmin;
let nobody: SignedInAdmin;
let homeReader: SignedInAdmin;
let homeManager: SignedInAdmin;
let settingsManager: SignedInAdmin;

/** Publishes the home page with `data` merged in: one version, written by code (`system`). */
const publishHome = async (data: Record<string, unknown>) => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({ documentId, status: 'published', data });
};

const homeVersions = async () => (await homeHistory(app)).map((row) => Number(row.version));

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
  superAdmin = await registerSuperAdmin(app);
  nobody = await adminWithActions(app, 'nobody', []);
  homeReader = await adminWithActions(app, 'homereader', [HOME_READ]);
  homeManager = await adminWithActions(app, 'homemanager', [HOME_READ, HOME_ROLLBACK]);
  settingsManager = await adminWithActions(app, 'settingsmanager', [READ, ROLLBACK]);
  // Home page v2 (the SEO component) and v3 (the repeatable features), settings v2.
  await publishHome({ seo: { title: 'Second title', description: 'Second description' } });
  await publishHome({
    features: [
      { title: 'Third', text: 'Only one feature now', icon: 'star' },
      { title: 'Fourth', text: 'And another', icon: 'bolt' },
    ],
  });
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Settings v2' } })
    .expect(200);
});
afterAll(() => app?.stop());

type Method = 'get' | 'post' | 'delete';
const call = (method: string, path: string, token?: string) => {
  const req = app.request[method as Method](path);
  return token ? req.set(auth(token)) : req;
};

const HOME_READ_ROUTES: [string, string][] = [
  ['get', `${HOME}/history`],
  ['get', `${HOME}/history/1`],
  ['get', `${HOME}/history/compare?from=1`],
  ['get', `${HOME}/history/verify`],
];
const HOME_ROLLBACK_ROUTES: [string, string][] = [
  ['post', `${HOME}/history/1/pin`],
  ['delete', `${HOME}/history/1/pin`],
  ['post', `${HOME}/rollback/1?dryRun=true`],
  ['post', `${HOME}/rollback/1`],
];
const SETTINGS_ROUTES: [string, string][] = [
  ['get', '/platform-settings/live'],
  ['get', '/platform-settings/history'],
  ['get', '/platform-settings/history/compare?from=1'],
  ['get', '/platform-settings/types/settings/history'],
  ['get', '/platform-settings/types/settings/history/1'],
  ['get', '/platform-settings/types/settings/history/compare?from=1'],
  ['get', '/platform-settings/types/settings/history/verify'],
  ['post', '/platform-settings/history/1/pin'],
  ['post', '/platform-settings/types/settings/history/1/pin'],
  ['delete', '/platform-settings/types/settings/history/1/pin'],
  ['post', '/platform-settings/rollback/1?dryRun=true'],
  ['post', '/platform-settings/rollback/1'],
  ['post', '/platform-settings/types/settings/rollback/1?dryRun=true'],
  ['post', '/platform-settings/types/settings/rollback/1'],
];

describe('permissions', () => {
  it('registers a read, a rollback and a schedule action for the home page, granted to the Super Admin', async () => {
    const registry = await app.request
      .get('/admin/permissions')
      .set(auth(superAdmin.token))
      .expect(200);
    const plugins = registry.body.data.sections.plugins as {
      action: string;
      displayName: string;
      subCategory: string;
    }[];
    const home = plugins.filter((p) => p.action.startsWith('plugin::platform-settings.home-page.'));
    expect(
      home.map(({ action, displayName, subCategory }) => ({ action, displayName, subCategory }))
    ).toEqual([
      { action: HOME_READ, displayName: 'Read the Home page history', subCategory: 'Home page' },
      {
        action: HOME_ROLLBACK,
        displayName: 'Roll back and pin Home page versions',
        subCategory: 'Home page',
      },
      {
        action: HOME_SCHEDULE,
        displayName: 'Schedule Home page changes',
        subCategory: 'Home page',
      },
    ]);
    const mine = await app.request
      .get('/admin/users/me/permissions')
      .set(auth(superAdmin.token))
      .expect(200);
    expect((mine.body.data as { action: string }[]).map((p) => p.action)).toEqual(
      expect.arrayContaining([HOME_READ, HOME_ROLLBACK, HOME_SCHEDULE, READ, ROLLBACK])
    );
  });

  it.each([...HOME_READ_ROUTES, ...HOME_ROLLBACK_ROUTES])(
    '%s %s answers 401 without a token and 403 without the home page actions',
    async (method, path) => {
      const before = await homeVersions();
      await call(method, path).expect(401);
      for (const admin of [nobody, settingsManager]) {
        const res = await call(method, path, admin.token).expect(403);
        expect(res.body.error.name).toBe('PolicyError');
      }
      expect(await homeVersions()).toEqual(before);
    }
  );

  it.each(HOME_READ_ROUTES)(
    '%s %s is allowed with the home page read action',
    async (method, path) => {
      await call(method, path, homeReader.token).expect(200);
    }
  );

  it.each(HOME_ROLLBACK_ROUTES)(
    '%s %s needs the home page rollback action',
    async (method, path) => {
      const before = await homeHistory(app);
      await call(method, path, homeReader.token).expect(403);
      expect(await homeHistory(app)).toEqual(before);
    }
  );

  it.each(SETTINGS_ROUTES)(
    '%s %s is refused to a role with every home page action',
    async (method, path) => {
      const before = await historyRows(app.strapi);
      const res = await call(method, path, homeManager.token).expect(403);
      expect(res.body.error.name).toBe('PolicyError');
      expect(await historyRows(app.strapi)).toEqual(before);
    }
  );

  it('answers 404 for a key no versioned type has, whatever the method', async () => {
    for (const [method, path] of [
      ['get', '/platform-settings/types/nope/history'],
      ['get', '/platform-settings/types/nope/history/verify'],
      ['post', '/platform-settings/types/nope/rollback/1'],
      ['delete', '/platform-settings/types/nope/history/1/pin'],
      ['post', '/platform-settings/types/platform-settings/history/1/pin'],
    ]) {
      const res = await call(method, path, superAdmin.token).expect(404);
      expect(res.body.error.message).toMatch(/^No versioned type has the key "/);
      await call(method, path).expect(401);
    }
  });
});

describe('GET /platform-settings/types', () => {
  const keys = async (admin: SignedInAdmin) =>
    (
      await app.request.get('/platform-settings/types').set(auth(admin.token)).expect(200)
    ).body.data.map((type: { key: string }) => type.key);

  it('lists every versioned type, the settings first, with the actions guarding each', async () => {
    const res = await app.request
      .get('/platform-settings/types')
      .set(auth(superAdmin.token))
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      data: [
        {
          key: 'settings',
          uid: 'plugin::platform-settings.setting',
          displayName: 'Platform settings',
          publicPath: '/api/platform-settings',
          actions: { read: READ, rollback: ROLLBACK, schedule: SCHEDULE },
        },
        {
          key: 'home-page',
          uid: HOME_PAGE_UID,
          displayName: 'Home page',
          publicPath: '/api/home-page',
          actions: { read: HOME_READ, rollback: HOME_ROLLBACK, schedule: HOME_SCHEDULE },
        },
      ],
      meta: {},
    });
  });

  it('lists only the types the admin may read', async () => {
    expect(await keys(homeReader)).toEqual(['home-page']);
    expect(await keys(settingsManager)).toEqual(['settings']);
    expect(await keys(nobody)).toEqual([]);
    await app.request.get('/platform-settings/types').expect(401);
  });
});

describe('the home page history', () => {
  it('pages newest first and names the live version', async () => {
    const res = await app.request
      .get(`${HOME}/history?page=1&pageSize=2`)
      .set(auth(homeReader.token))
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.data.map((e: { version: number }) => e.version)).toEqual([3, 2]);
    expect(res.body.meta).toEqual({
      pagination: { page: 1, pageSize: 2, pageCount: 2, total: 3 },
      liveVersion: 3,
    });
    expect(res.body.data[0]).toMatchObject({ changeType: 'update', changedFields: ['features'] });
  });

  it('reads one version, and answers 404 for one that does not exist', async () => {
    const res = await app.request.get(`${HOME}/history/2`).set(auth(homeReader.token)).expect(200);
    expect(res.body.data).toMatchObject({ version: 2, changedFields: ['seo'] });
    expect(res.body.data.data.seo).toEqual({
      title: 'Second title',
      description: 'Second description',
      shareImage: null,
    });
    await app.request.get(`${HOME}/history/99`).set(auth(homeReader.token)).expect(404);
  });

  it('diffs a version against the live one by default, components as their values', async () => {
    const [first] = await homeHistory(app);
    const res = await app.request
      .get(`${HOME}/history/compare?from=1`)
      .set(auth(homeReader.token))
      .expect(200);
    expect(res.body.data).toEqual({
      from: 1,
      to: 3,
      diff: [
        {
          field: 'seo',
          from: first.data.seo,
          to: { title: 'Second title', description: 'Second description', shareImage: null },
        },
        {
          field: 'features',
          from: first.data.features,
          to: [
            { title: 'Third', text: 'Only one feature now', icon: 'star' },
            { title: 'Fourth', text: 'And another', icon: 'bolt' },
          ],
        },
      ],
    });
    const back = await app.request
      .get(`${HOME}/history/compare?from=3&to=2`)
      .set(auth(homeReader.token))
      .expect(200);
    expect(back.body.data.diff.map((d: { field: string }) => d.field)).toEqual(['features']);
    await app.request
      .get(`${HOME}/history/compare?from=1&to=99`)
      .set(auth(homeReader.token))
      .expect(404);
    await app.request.get(`${HOME}/history/compare`).set(auth(homeReader.token)).expect(422);
  });

  it('verifies its own chain', async () => {
    const res = await app.request
      .get(`${HOME}/history/verify`)
      .set(auth(homeReader.token))
      .expect(200);
    expect(res.body.data).toMatchObject({ ok: true, versions: 3, head: { version: 3 } });
    const settings = await app.request
      .get('/platform-settings/types/settings/history/verify')
      .set(auth(settingsManager.token))
      .expect(200);
    expect(settings.body.data).toMatchObject({ ok: true, versions: 2, head: { version: 2 } });
  });
});

describe('home page pins', () => {
  it('pins with a label, filters on it, unpins, and leaves the settings and the chain alone', async () => {
    const settingsBefore = await historyRows(app.strapi);
    const pinned = await app.request
      .post(`${HOME}/history/2/pin`)
      .set(auth(homeManager.token))
      .send({ label: ' Launch SEO ' })
      .expect(200);
    expect(pinned.body.data).toMatchObject({ version: 2, pinned: true, pinLabel: 'Launch SEO' });
    const filtered = await app.request
      .get(`${HOME}/history?pinned=true`)
      .set(auth(homeReader.token))
      .expect(200);
    expect(filtered.body.data.map((e: { version: number }) => e.version)).toEqual([2]);
    const settingsPinned = await app.request
      .get('/platform-settings/types/settings/history?pinned=true')
      .set(auth(settingsManager.token))
      .expect(200);
    expect(settingsPinned.body.data).toEqual([]);

    const verify = await app.request
      .get(`${HOME}/history/verify`)
      .set(auth(homeReader.token))
      .expect(200);
    expect(verify.body.data.ok).toBe(true);
    const unpinned = await app.request
      .delete(`${HOME}/history/2/pin`)
      .set(auth(homeManager.token))
      .expect(200);
    expect(unpinned.body.data).toMatchObject({ version: 2, pinned: false, pinLabel: null });
    expect(await historyRows(app.strapi)).toEqual(settingsBefore);
  });

  it('validates the label and the version', async () => {
    await app.request
      .post(`${HOME}/history/2/pin`)
      .set(auth(homeManager.token))
      .send({ label: 'x'.repeat(121) })
      .expect(422);
    await app.request.post(`${HOME}/history/99/pin`).set(auth(homeManager.token)).expect(404);
  });
});

describe('home page rollback', () => {
  it('dry run: the diff and what would be skipped, writing nothing', async () => {
    const before = await homeHistory(app);
    const [first] = before;
    const res = await app.request
      .post(`${HOME}/rollback/1?dryRun=true`)
      .set(auth(homeManager.token))
      .send({})
      .expect(200);
    expect(res.body.data.diff.map((d: { field: string }) => d.field)).toEqual(['seo', 'features']);
    expect(res.body.data.diff[1].to).toEqual(first.data.features);
    expect(res.body.meta).toEqual({
      restoredFrom: 1,
      skippedFields: [],
      missingReferences: [],
      liveVersion: 3,
    });
    expect(await homeHistory(app)).toEqual(before);
  });

  it('refuses a stale If-Match with 412, then rolls back as the signed-in admin with a note', async () => {
    const stale = await app.request
      .post(`${HOME}/rollback/1`)
      .set(auth(homeManager.token))
      .set('If-Match', '"2-0000000000000000"')
      .send({ note: 'Never' });
    expect(stale.status).toBe(412);
    expect(await homeVersions()).toEqual([1, 2, 3]);

    const res = await app.request
      .post(`${HOME}/rollback/1`)
      .set(auth(homeManager.token))
      .send({ note: 'Back to launch copy' })
      .expect(200);
    expect(res.body.data.version).toBe(4);
    expect(res.body.meta).toMatchObject({ restoredFrom: 1, skippedFields: [] });
    expect(res.headers.etag).toMatch(/^"4-/);

    // The ETag it answered is the one the next write must match.
    await app.request
      .post(`${HOME}/rollback/2`)
      .set(auth(homeManager.token))
      .set('If-Match', res.headers.etag)
      .send({})
      .expect(200);
    await app.request
      .post(`${HOME}/rollback/3`)
      .set(auth(homeManager.token))
      .set('If-Match', res.headers.etag)
      .send({})
      .expect(412);

    const rows = await homeHistory(app);
    expect(rows.map((row) => Number(row.version))).toEqual([1, 2, 3, 4, 5]);
    expect(rows[3]).toMatchObject({
      change_type: 'rollback',
      note: 'Back to launch copy',
      author: { kind: 'admin', id: homeManager.id, name: homeManager.name },
    });
    expect(Number(rows[3].restored_from)).toBe(1);
    expect(rows[3].data).toEqual(rows[0].data);
    const published = await homeDocuments(app).findFirst({
      status: 'published',
      populate: { features: true, seo: true },
    });
    expect(published!.seo.title).toBe('Second title');
    expect(published!.version).toBe(5);
  });

  it('answers 404 for an unknown version and 422 for a bad note', async () => {
    await app.request.post(`${HOME}/rollback/99`).set(auth(homeManager.token)).send({}).expect(404);
    await app.request
      .post(`${HOME}/rollback/1`)
      .set(auth(homeManager.token))
      .send({ note: 'x'.repeat(501) })
      .expect(422);
  });
});

describe('the settings under /types/settings', () => {
  it('answer as their historic admin routes do', async () => {
    for (const path of ['/history?pageSize=2', '/history/1', '/history/compare?from=1']) {
      const [historic, typed] = await Promise.all([
        app.request.get(`/platform-settings${path}`).set(auth(settingsManager.token)).expect(200),
        app.request
          .get(`/platform-settings/types/settings${path}`)
          .set(auth(settingsManager.token))
          .expect(200),
      ]);
      expect(typed.body).toEqual(historic.body);
    }
    const dryRun = await app.request
      .post('/platform-settings/types/settings/rollback/1?dryRun=true')
      .set(auth(settingsManager.token))
      .send({})
      .expect(200);
    expect(dryRun.body.data.diff).toEqual([
      { field: 'heroTitle', from: 'Settings v2', to: 'Build on a platform you can trust' },
    ]);
  });
});
