/**
 * Drafts: saving one changes nothing public and makes no version; each publish
 * is a version, whichever way it comes (REST, the document service's publish
 * and update-with-status, the Content Manager's update-then-publish in one
 * transaction); a PUT publishes only what it sends and rebases the draft; a
 * rollback replaces the draft too. On whichever database the suite runs on.
 */
import { historyRows } from '../helpers/history';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

const SETTINGS_UID = 'plugin::platform-settings.setting';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

const documents = () => app.strapi.documents(SETTINGS_UID as never);
const publicGet = () => app.request.get('/api/platform-settings').expect(200);
const draft = async () =>
  (await app.request.get('/api/platform-settings/draft').set(founderHeaders).expect(200)).body;
const putDraft = (data: Record<string, unknown>) =>
  app.request.put('/api/platform-settings?status=draft').set(founderHeaders).send({ data });
const put = (data: Record<string, unknown>) =>
  app.request.put('/api/platform-settings').set(founderHeaders).send({ data });
const versions = async () => (await historyRows(app.strapi)).map((row) => row.version);
const rows = () => app.strapi.db.connection('platform_settings').select('*').orderBy('id');
const documentId = async () => (await rows())[0].document_id as string;
const verify = async () =>
  (await app.request.get('/api/platform-settings/history/verify').set(founderHeaders).expect(200))
    .body.data;

it('starts with a published row and a draft, at version 1', async () => {
  const all = await rows();
  expect(all).toHaveLength(2);
  expect(all.filter((row) => row.published_at === null)).toHaveLength(1);
  expect(all.map((row) => Number(row.version))).toEqual([1, 1]);
  expect(await versions()).toEqual([1]);
});

it('saves a draft without a version, leaving the public GET byte-identical', async () => {
  const before = await publicGet();
  const saved = await putDraft({ heroTitle: 'Launch day' }).expect(200);
  expect(saved.headers['cache-control']).toBe('no-store');
  expect(saved.body.data).toMatchObject({ heroTitle: 'Launch day', version: 1 });
  expect(saved.body.meta).toEqual({
    status: 'draft',
    liveVersion: 1,
    changed: true,
    diff: [{ field: 'heroTitle', from: before.body.data.heroTitle, to: 'Launch day' }],
  });
  const after = await publicGet();
  expect(after.text).toBe(before.text);
  expect(after.headers.etag).toBe(before.headers.etag);
  expect(await versions()).toEqual([1]);

  const read = await app.request
    .get('/api/platform-settings/draft')
    .set(founderHeaders)
    .expect(200);
  expect(read.headers['cache-control']).toBe('no-store');
  expect(read.body.data.heroTitle).toBe('Launch day');
  await app.request.get('/api/platform-settings/draft').expect(401);
});

it('publishes only the fields a PUT sends, and rebases the draft on the new live version', async () => {
  const res = await put({ maintenanceMode: true }).expect(200);
  expect(res.body.data).toMatchObject({ version: 2, maintenanceMode: true });
  // The half-written launch copy in the draft did not go live…
  expect((await publicGet()).body.data.heroTitle).not.toBe('Launch day');
  // …and the draft kept it, on top of the new live version.
  const view = await draft();
  expect(view.data).toMatchObject({ heroTitle: 'Launch day', maintenanceMode: true, version: 2 });
  expect(view.meta.diff.map((d: { field: string }) => d.field)).toEqual(['heroTitle']);
  expect((await historyRows(app.strapi)).at(-1)).toMatchObject({
    version: 2,
    changedFields: ['maintenanceMode'],
  });
});

it('publishes the draft: dry run, If-Match, a version, and nothing when there is nothing to publish', async () => {
  const dry = await app.request
    .post('/api/platform-settings/publish?dryRun=true')
    .set(founderHeaders)
    .expect(200);
  expect(dry.body.data.diff.map((d: { field: string }) => d.field)).toEqual(['heroTitle']);
  expect(await versions()).toEqual([1, 2]);

  await app.request
    .post('/api/platform-settings/publish')
    .set(founderHeaders)
    .set('If-Match', '"1-0000000000000000"')
    .send({})
    .expect(412);
  const etag = (await publicGet()).headers.etag;
  const published = await app.request
    .post('/api/platform-settings/publish')
    .set(founderHeaders)
    .set('If-Match', etag)
    .send({ note: 'Launch copy' })
    .expect(200);
  expect(published.body.data).toMatchObject({ version: 3, heroTitle: 'Launch day' });
  expect(published.body.meta).toEqual({ changed: true, changedFields: ['heroTitle'] });
  expect((await publicGet()).body.data.heroTitle).toBe('Launch day');
  expect((await historyRows(app.strapi)).at(-1)).toMatchObject({ version: 3, note: 'Launch copy' });

  const again = await app.request
    .post('/api/platform-settings/publish')
    .set(founderHeaders)
    .send({});
  expect(again.body.meta).toEqual({ changed: false, changedFields: [] });
  expect(await versions()).toEqual([1, 2, 3]);
});

it('rolls back the draft too, and says which draft changes it discards', async () => {
  await putDraft({ tagline: 'Pending, never published' }).expect(200);
  const dry = await app.request
    .post('/api/platform-settings/rollback/1?dryRun=true')
    .set(founderHeaders)
    .expect(200);
  expect(dry.body.meta.discardedDraftChanges).toEqual([
    expect.objectContaining({ field: 'tagline', to: 'Pending, never published' }),
  ]);
  await app.request
    .post('/api/platform-settings/rollback/1')
    .set(founderHeaders)
    .send({})
    .expect(200);
  const view = await draft();
  expect(view.meta.changed).toBe(false);
  // A later publish cannot undo the rollback.
  const publish = await app.request
    .post('/api/platform-settings/publish')
    .set(founderHeaders)
    .send({});
  expect(publish.body.meta.changed).toBe(false);
  expect(await versions()).toEqual([1, 2, 3, 4]);
  expect(await verify()).toMatchObject({ ok: true, versions: 4 });
});

describe('the document service, as the Content Manager and code use it', () => {
  it('update saves the draft; publish, and update with status published, make a version each', async () => {
    const id = await documentId();
    await documents().update({
      documentId: id,
      data: { tagline: 'Code draft', version: 99 },
    } as never);
    expect(await versions()).toEqual([1, 2, 3, 4]);
    expect((await draft()).data).toMatchObject({ tagline: 'Code draft', version: 4 });

    const result = (await documents().publish({ documentId: id } as never)) as unknown as {
      entries: Array<Record<string, unknown>>;
    };
    expect(result.entries[0]).toMatchObject({ tagline: 'Code draft', version: 5 });
    expect(result.entries[0].publishedAt).toBeTruthy();

    const updated = (await documents().update({
      documentId: id,
      status: 'published',
      data: { tagline: 'Published by code' },
    } as never)) as unknown as Record<string, unknown>;
    expect(updated).toMatchObject({ tagline: 'Published by code', version: 6 });
    expect((await publicGet()).body.data.tagline).toBe('Published by code');
    expect(await versions()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('publishes what the Content Manager saves and publishes in one transaction, once', async () => {
    const id = await documentId();
    await app.strapi.db.transaction(async () => {
      await documents().update({ documentId: id, data: { ctaLabel: 'Join the beta' } } as never);
      await documents().publish({ documentId: id } as never);
    });
    expect((await publicGet()).body.data.ctaLabel).toBe('Join the beta');
    // The same, with nothing new: no version, and nothing half-made.
    await app.strapi.db.transaction(async () => {
      await documents().update({ documentId: id, data: { ctaLabel: 'Join the beta' } } as never);
      await documents().publish({ documentId: id } as never);
    });
    expect(await versions()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await verify()).toMatchObject({ ok: true, versions: 7 });
  });

  it('discards a draft, and refuses to unpublish or delete', async () => {
    const id = await documentId();
    await documents().update({ documentId: id, data: { tagline: 'To be discarded' } } as never);
    await documents().discardDraft({ documentId: id } as never);
    expect((await draft()).meta.changed).toBe(false);
    await expect(documents().unpublish({ documentId: id } as never)).rejects.toThrow(/not allowed/);
    await expect(documents().delete({ documentId: id } as never)).rejects.toThrow(/not allowed/);
    expect((await rows()).filter((row) => row.published_at === null)).toHaveLength(1);
    expect(await rows()).toHaveLength(2);
    expect((await publicGet()).body.data.version).toBe(7);
  });
});

describe('switches', () => {
  it('refuses an empty switch (booleans are never null)', async () => {
    const res = await put({ hero3dEnabled: null }).expect(422);
    expect(res.body.error.details.errors).toEqual([
      {
        path: ['data', 'hero3dEnabled'],
        message: 'must be true or false',
        name: 'ValidationError',
      },
    ]);
  });
});
