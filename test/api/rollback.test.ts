import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';
import { GENESIS_MAC, rowMac, rowToDb, type ChainRow } from '../../cms/server/src/chain';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
  await put({ heroTitle: 'Second', primaryColor: '#112233' }); // v2
  await put({ heroTitle: 'Third' }); // v3
});
afterAll(() => app?.stop());

async function put(data: Record<string, unknown>) {
  return app.request.put('/api/platform-settings').set(founderHeaders).send({ data }).expect(200);
}
const live = async () => (await app.request.get('/api/platform-settings')).body.data;

describe('POST /api/platform-settings/rollback/:version', () => {
  it('with ?dryRun=true shows the diff and writes nothing', async () => {
    const before = await historyRows(app.strapi);
    const res = await app.request
      .post('/api/platform-settings/rollback/1?dryRun=true')
      .set(founderHeaders)
      .expect(200);
    expect(res.body.data).toEqual({
      diff: [
        { field: 'heroTitle', from: 'Third', to: 'Build on a platform you can trust' },
        { field: 'primaryColor', from: '#112233', to: '#4F46E5' },
      ],
    });
    expect(res.body.meta).toMatchObject({ restoredFrom: 1, skippedFields: [], liveVersion: 3 });
    expect(await historyRows(app.strapi)).toEqual(before);
  });

  it('creates a new version whose content is the old one, and keeps history intact', async () => {
    const historyBefore = await historyRows(app.strapi);
    const res = await app.request
      .post('/api/platform-settings/rollback/2')
      .set(founderHeaders)
      .send({ note: 'back to the launch copy' })
      .expect(200);
    expect(res.body.data).toMatchObject({
      version: 4,
      heroTitle: 'Second',
      primaryColor: '#112233',
    });
    expect(res.body.meta).toEqual({ restoredFrom: 2, skippedFields: [] });
    expect(res.headers['x-settings-version']).toBe('4');
    expect(res.headers['cache-control']).toBe('no-store');

    const history = await historyRows(app.strapi);
    expect(history.slice(0, 3)).toEqual(historyBefore);
    expect(history[3]).toMatchObject({
      version: 4,
      changeType: 'rollback',
      restoredFrom: 2,
      changedFields: ['heroTitle'],
      note: 'back to the launch copy',
      author: { kind: 'founder-key' },
    });
    expect(history[3].data).toEqual(history[1].data);
    expect((await live()).heroTitle).toBe('Second');
  });

  it('honours If-Match like PUT', async () => {
    const { headers } = await app.request.get('/api/platform-settings');
    await put({ tagline: 'moved on' });
    const stale = await app.request
      .post('/api/platform-settings/rollback/1')
      .set(founderHeaders)
      .set('If-Match', headers.etag)
      .expect(412);
    expect(stale.body.error.name).toBe('PreconditionFailedError');
    const current = await app.request.get('/api/platform-settings');
    await app.request
      .post('/api/platform-settings/rollback/1')
      .set(founderHeaders)
      .set('If-Match', current.headers.etag)
      .expect(200);
  });

  it('answers 404 for an unknown version, 422 for a bad one, 401/403 without the right key', async () => {
    const before = await historyRows(app.strapi);
    const missing = await app.request
      .post('/api/platform-settings/rollback/4242')
      .set(founderHeaders)
      .expect(404);
    expect(missing.body.error).toMatchObject({
      status: 404,
      message: 'Version 4242 does not exist',
    });
    await app.request.post('/api/platform-settings/rollback/zero').set(founderHeaders).expect(422);
    await app.request.post('/api/platform-settings/rollback/0').set(founderHeaders).expect(422);
    await app.request
      .post('/api/platform-settings/rollback/1')
      .set(founderHeaders)
      .send({ note: 'x'.repeat(501) })
      .expect(422);
    await app.request
      .post('/api/platform-settings/rollback/1')
      .set(founderHeaders)
      .send({ other: true })
      .expect(422);
    await app.request.post('/api/platform-settings/rollback/1').expect(401);
    await app.request
      .post('/api/platform-settings/rollback/1')
      .set('X-Founder-Key', 'wrong')
      .expect(403);
    expect(await historyRows(app.strapi)).toEqual(before);
  });
});

describe('restoring across schema changes', () => {
  /**
   * A snapshot written under an older schema: one field since removed, one not yet added.
   * Signed like any row (alone, with nothing before it), so only the schema is under test.
   */
  const insertOldSnapshot = async (version: number, data: Record<string, unknown>) => {
    const { current } = app.strapi.plugin('platform-settings').service('chain').keys();
    const row: ChainRow = {
      version,
      changeType: 'update',
      data,
      changedFields: Object.keys(data),
      restoredFrom: null,
      author: { kind: 'system' },
      note: null,
      schemaVersion: 0,
      createdAt: new Date().toISOString(),
      idempotencyKey: null,
      requestHash: null,
      hash: '',
      signedWith: current.id,
    };
    row.hash = rowMac(current.secret, GENESIS_MAC, row);
    await app.strapi.db.connection('platform_settings_history').insert(rowToDb(row));
  };

  it('skips fields that no longer exist and keeps the live value of fields added since', async () => {
    const current = await live();
    const { hero3dSpeed: _dropped, version: _v, updatedAt: _u, ...oldFields } = current;
    const version = current.version + 1000;
    await insertOldSnapshot(version, {
      ...oldFields,
      heroTitle: 'From the old days',
      legacyBanner: 'gone',
    });
    const res = await app.request
      .post(`/api/platform-settings/rollback/${version}`)
      .set(founderHeaders)
      .expect(200);
    expect(res.body.meta.skippedFields).toEqual(['legacyBanner']);
    expect(res.body.data).toMatchObject({
      heroTitle: 'From the old days',
      hero3dSpeed: current.hero3dSpeed,
    });
    expect(res.body.data).not.toHaveProperty('legacyBanner');
  });

  it('answers 422 when the restored result would not be valid today', async () => {
    const current = await live();
    const version = current.version + 2000;
    await insertOldSnapshot(version, { heroTitle: 'y'.repeat(300), primaryColor: 'teal' });
    const res = await app.request
      .post(`/api/platform-settings/rollback/${version}`)
      .set(founderHeaders)
      .expect(422);
    expect(
      res.body.error.details.errors.map((error: { path: string[] }) => error.path.join('.'))
    ).toEqual(['data.heroTitle', 'data.primaryColor']);
    expect((await live()).version).toBe(current.version);
  });

  it('restores a switch an old snapshot left empty as its default, and says so in the dry run', async () => {
    const current = await live();
    const { version: _v, updatedAt: _u, ...fields } = current;
    const version = current.version + 5000;
    await insertOldSnapshot(version, { ...fields, hero3dEnabled: null, maintenanceMode: null });
    const dry = await app.request
      .post(`/api/platform-settings/rollback/${version}?dryRun=true`)
      .set(founderHeaders)
      .expect(200);
    expect(dry.body.meta.defaultedFields).toEqual(['hero3dEnabled', 'maintenanceMode']);
    const res = await app.request
      .post(`/api/platform-settings/rollback/${version}`)
      .set(founderHeaders)
      .expect(200);
    expect(res.body.data).toMatchObject({ hero3dEnabled: true, maintenanceMode: false });
  });
});
