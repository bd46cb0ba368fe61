/**
 * The plugin's admin API with real admin JWTs: authentication, the RBAC
 * actions, and that the admin writes the same history as the REST API.
 */
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';
import { adminWithActions, auth, registerSuperAdmin, type SignedInAdmin } from './admin-users';

const READ = 'plugin::platform-settings.history.read';
const ROLLBACK = 'plugin::platform-settings.history.rollback';
const SCHEDULE = 'plugin::platform-settings.schedule';
const SETTINGS_UID = 'plugin::platform-settings.setting';

let app: TestApp;
let superAdmin: SignedInAdmin;
let noAccess: SignedInAdmin;
let reader: SignedInAdmin;
let manager: SignedInAdmin;

const putRest = (data: Record<string, unknown>) =>
  app.request.put('/api/platform-settings').set(founderHeaders).send({ data }).expect(200);
const live = async () => (await app.request.get('/api/platform-settings').expect(200)).body.data;

beforeAll(async () => {
  app = await bootApp();
  superAdmin = await registerSuperAdmin(app);
  noAccess = await adminWithActions(app, 'nobody', []);
  reader = await adminWithActions(app, 'reader', [READ]);
  manager = await adminWithActions(app, 'manager', [READ, ROLLBACK]);
  // v2 and v3, so there is something to compare, pin and roll back.
  await putRest({ heroTitle: 'Second title', primaryColor: '#112233' });
  await putRest({ heroTitle: 'Third title' });
});
afterAll(() => app?.stop());

const READ_ROUTES: [string, string][] = [
  ['get', '/platform-settings/live'],
  ['get', '/platform-settings/history'],
  ['get', '/platform-settings/history/1'],
  ['get', '/platform-settings/history/compare?from=1'],
];
const ROLLBACK_ROUTES: [string, string][] = [
  ['post', '/platform-settings/history/1/pin'],
  ['delete', '/platform-settings/history/1/pin'],
  ['post', '/platform-settings/rollback/1?dryRun=true'],
  ['post', '/platform-settings/rollback/1'],
];
type Method = 'get' | 'post' | 'delete';
const call = (method: string, path: string, token?: string) => {
  const req = app.request[method as Method](path);
  return token ? req.set(auth(token)) : req;
};

describe('permissions', () => {
  it("registers the settings' actions in the admin permission registry, and each versioned type's three", async () => {
    const res = await app.request.get('/admin/permissions').set(auth(superAdmin.token)).expect(200);
    const plugins = res.body.data.sections.plugins as { action: string; subCategory: string }[];
    const ours = plugins.filter((p) => p.action.startsWith('plugin::platform-settings.'));
    // The host app versions its home page (config/plugins.ts): see type-admin.test.ts.
    expect(ours.map((p) => p.action).sort()).toEqual(
      [
        READ,
        ROLLBACK,
        SCHEDULE,
        'plugin::platform-settings.home-page.history.read',
        'plugin::platform-settings.home-page.history.rollback',
        'plugin::platform-settings.home-page.schedule',
      ].sort()
    );
  });

  it('grants them to the Super Admin role by default', async () => {
    const res = await app.request.get('/admin/users/me/permissions').set(auth(superAdmin.token));
    const actions = (res.body.data as { action: string }[]).map((p) => p.action);
    expect(actions).toEqual(expect.arrayContaining([READ, ROLLBACK]));
  });

  it.each([...READ_ROUTES, ...ROLLBACK_ROUTES])(
    '%s %s answers 401 without a token',
    async (method, path) => {
      await call(method, path).expect(401);
    }
  );

  it.each([...READ_ROUTES, ...ROLLBACK_ROUTES])(
    '%s %s answers 403 for a role without the actions',
    async (method, path) => {
      const res = await call(method, path, noAccess.token).expect(403);
      expect(res.body.error.name).toBe('PolicyError');
    }
  );

  it.each(READ_ROUTES)('%s %s is allowed with history.read', async (method, path) => {
    await call(method, path, reader.token).expect(200);
  });

  it.each(ROLLBACK_ROUTES)('%s %s needs history.rollback', async (method, path) => {
    const before = await historyRows(app.strapi);
    await call(method, path, reader.token).expect(403);
    expect(await historyRows(app.strapi)).toEqual(before);
  });
});

describe('GET /platform-settings/history', () => {
  it('pages newest first and names the live version', async () => {
    const res = await app.request
      .get('/platform-settings/history?page=1&pageSize=2')
      .set(auth(reader.token))
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.data.map((e: { version: number }) => e.version)).toEqual([3, 2]);
    expect(res.body.meta).toEqual({
      pagination: { page: 1, pageSize: 2, pageCount: 2, total: 3 },
      liveVersion: 3,
    });
    expect(res.body.data[1]).toMatchObject({
      changeType: 'update',
      changedFields: ['heroTitle', 'primaryColor'],
      author: { kind: 'founder-key' },
    });
  });

  it('rejects bad paging with 422', async () => {
    await app.request
      .get('/platform-settings/history?pageSize=1000')
      .set(auth(reader.token))
      .expect(422);
    await app.request
      .get('/platform-settings/history?pinned=maybe')
      .set(auth(reader.token))
      .expect(422);
  });

  it('answers 404 for a version that does not exist', async () => {
    await app.request.get('/platform-settings/history/999').set(auth(reader.token)).expect(404);
  });
});

describe('GET /platform-settings/history/compare', () => {
  it('diffs a version against the live one by default, field by field', async () => {
    const res = await app.request
      .get('/platform-settings/history/compare?from=1')
      .set(auth(reader.token))
      .expect(200);
    expect(res.body.data).toEqual({
      from: 1,
      to: 3,
      diff: [
        { field: 'heroTitle', from: 'Build on a platform you can trust', to: 'Third title' },
        { field: 'primaryColor', from: '#4F46E5', to: '#112233' },
      ],
    });
  });

  it('diffs any two versions, in either direction', async () => {
    const res = await app.request
      .get('/platform-settings/history/compare?from=3&to=2')
      .set(auth(reader.token))
      .expect(200);
    expect(res.body.data).toEqual({
      from: 3,
      to: 2,
      diff: [{ field: 'heroTitle', from: 'Third title', to: 'Second title' }],
    });
  });

  it('answers 422 without a valid `from` and 404 for an unknown version', async () => {
    await app.request.get('/platform-settings/history/compare').set(auth(reader.token)).expect(422);
    await app.request
      .get('/platform-settings/history/compare?from=x')
      .set(auth(reader.token))
      .expect(422);
    await app.request
      .get('/platform-settings/history/compare?from=1&to=99')
      .set(auth(reader.token))
      .expect(404);
  });
});

describe('GET /platform-settings/live', () => {
  it('returns the live settings and the entry of the live version', async () => {
    const res = await app.request
      .get('/platform-settings/live')
      .set(auth(reader.token))
      .expect(200);
    expect(res.body.data.settings).toEqual(await live());
    expect(res.body.data.lastChange).toMatchObject({ version: 3, author: { kind: 'founder-key' } });
  });
});

describe('pinning', () => {
  it('pins with a trimmed label, filters on it, and unpins', async () => {
    const pinned = await app.request
      .post('/platform-settings/history/2/pin')
      .set(auth(manager.token))
      .send({ label: '  Launch day  ' })
      .expect(200);
    expect(pinned.body.data).toMatchObject({ version: 2, pinned: true, pinLabel: 'Launch day' });

    const filtered = await app.request
      .get('/platform-settings/history?pinned=true')
      .set(auth(reader.token))
      .expect(200);
    expect(filtered.body.data.map((e: { version: number }) => e.version)).toEqual([2]);
    expect(filtered.body.meta.pagination.total).toBe(1);

    const unpinned = await app.request
      .delete('/platform-settings/history/2/pin')
      .set(auth(manager.token))
      .expect(200);
    expect(unpinned.body.data).toMatchObject({ version: 2, pinned: false, pinLabel: null });
  });

  it('pins without a body, and never changes the hash chain', async () => {
    await app.request.post('/platform-settings/history/1/pin').set(auth(manager.token)).expect(200);
    const verify = await app.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200);
    expect(verify.body.data.ok).toBe(true);
    await app.request
      .delete('/platform-settings/history/1/pin')
      .set(auth(manager.token))
      .expect(200);
  });

  it('validates the label and the version', async () => {
    const res = await app.request
      .post('/platform-settings/history/2/pin')
      .set(auth(manager.token))
      .send({ label: 'x'.repeat(121), other: 1 })
      .expect(422);
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path[0]).sort()).toEqual([
      'label',
      'other',
    ]);
    await app.request
      .post('/platform-settings/history/99/pin')
      .set(auth(manager.token))
      .expect(404);
    await app.request.post('/platform-settings/history/0/pin').set(auth(manager.token)).expect(422);
  });
});

describe('POST /platform-settings/rollback/:version', () => {
  it('dry run: returns the diff and writes nothing', async () => {
    const before = await historyRows(app.strapi);
    const res = await app.request
      .post('/platform-settings/rollback/1?dryRun=true')
      .set(auth(manager.token))
      .send({})
      .expect(200);
    expect(res.body).toEqual({
      data: {
        diff: [
          { field: 'heroTitle', from: 'Third title', to: 'Build on a platform you can trust' },
          { field: 'primaryColor', from: '#112233', to: '#4F46E5' },
        ],
      },
      meta: {
        restoredFrom: 1,
        skippedFields: [],
        defaultedFields: [],
        discardedDraftChanges: [],
        liveVersion: 3,
      },
    });
    expect(await historyRows(app.strapi)).toEqual(before);
  });

  it('creates a new version authored by the signed-in admin, like the REST rollback', async () => {
    const viaAdmin = await app.request
      .post('/platform-settings/rollback/1')
      .set(auth(manager.token))
      .send({ note: 'Back to launch copy' })
      .expect(200);
    expect(viaAdmin.body.data).toMatchObject({
      version: 4,
      heroTitle: 'Build on a platform you can trust',
    });
    expect(await live()).toEqual(viaAdmin.body.data);

    // The same rollback through the founder-key REST API, from the same starting content.
    await app.request
      .post('/api/platform-settings/rollback/3')
      .set(founderHeaders)
      .send({})
      .expect(200);
    await app.request
      .post('/api/platform-settings/rollback/1')
      .set(founderHeaders)
      .send({ note: 'Back to launch copy' })
      .expect(200);

    const rows = await historyRows(app.strapi);
    const [adminRow, restRow] = [rows[3], rows[5]];
    const comparable = ({
      changeType,
      data,
      changedFields,
      restoredFrom,
      note,
    }: typeof adminRow) => ({
      changeType,
      data,
      changedFields,
      restoredFrom,
      note,
    });
    expect(comparable(adminRow)).toEqual(comparable(restRow));
    expect(adminRow).toMatchObject({
      version: 4,
      changeType: 'rollback',
      restoredFrom: 1,
      changedFields: ['heroTitle', 'primaryColor'],
      author: { kind: 'admin', id: manager.id, name: manager.name },
      note: 'Back to launch copy',
    });
    expect(restRow.author).toEqual({ kind: 'founder-key' });
  });

  it('answers 404 for an unknown version and 422 for a bad note', async () => {
    await app.request
      .post('/platform-settings/rollback/99')
      .set(auth(manager.token))
      .send({})
      .expect(404);
    await app.request
      .post('/platform-settings/rollback/1')
      .set(auth(manager.token))
      .send({ note: 'x'.repeat(501) })
      .expect(422);
  });
});

describe('Content Manager', () => {
  it('saves a draft without a version, and records a publish as a version by the admin, ignoring a sent version', async () => {
    const before = await live();
    const body = { ...before, heroTitle: 'Edited in the admin', version: 1 };
    await app.request
      .put(`/content-manager/single-types/${SETTINGS_UID}`)
      .set(auth(superAdmin.token))
      .send(body)
      .expect(200);
    expect(await live()).toMatchObject({ heroTitle: before.heroTitle, version: before.version });
    await app.request
      .post(`/content-manager/single-types/${SETTINGS_UID}/actions/publish`)
      .set(auth(superAdmin.token))
      .send(body)
      .expect(200);
    const after = await live();
    expect(after).toMatchObject({ heroTitle: 'Edited in the admin', version: before.version + 1 });
    const rows = await historyRows(app.strapi);
    expect(rows.at(-1)).toMatchObject({
      version: before.version + 1,
      changeType: 'update',
      changedFields: ['heroTitle'],
      author: { kind: 'admin', id: superAdmin.id, name: superAdmin.name },
    });
  });

  it('shows the founder’s form: labels, help, groups in rows, `version` read-only', async () => {
    const res = await app.request
      .get(`/content-manager/content-types/${SETTINGS_UID}/configuration`)
      .set(auth(superAdmin.token))
      .expect(200);
    const { metadatas, layouts } = res.body.data.contentType;
    expect(metadatas.version.edit.editable).toBe(false);
    expect(metadatas.siteName.edit).toMatchObject({
      label: 'Brand · Site name',
      description: expect.stringContaining('browser tab'),
    });
    expect(metadatas.hero3dDensity.edit.label).toBe('3D hero · Particle count');
    const names = (layouts.edit as { name: string; size: number }[][]).map((row) =>
      row.map((field) => field.name)
    );
    expect(names[0]).toEqual(['siteName', 'tagline']);
    expect(names.flat()).toContain('maintenanceMode');
    expect(names.at(-1)).toEqual(['version']);
    for (const row of layouts.edit as { size: number }[][]) {
      expect(row.reduce((sum, field) => sum + field.size, 0)).toBeLessThanOrEqual(12);
    }
  });
});
