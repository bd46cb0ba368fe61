import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows, liveRows } from '../helpers/history';

const SETTINGS_UID = 'plugin::platform-settings.setting';
const HISTORY_UID = 'plugin::platform-settings.history';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());

const documents = () => app.strapi.documents(SETTINGS_UID as never);
const liveDocument = async () =>
  (await documents().findFirst({ status: 'published' } as never)) as unknown as Record<
    string,
    unknown
  > & { documentId: string };
/** An update that publishes at once (drafts are tested in test/drafts). */
const publishUpdate = (params: Record<string, unknown>) =>
  documents().update({ ...params, status: 'published' } as never);
/** The published row, as the database holds it. */
const publishedRows = async () =>
  (await liveRows(app.strapi)).filter((row: Record<string, unknown>) => row.published_at !== null);

describe('writes through strapi.documents() (the Content Manager path)', () => {
  it('starts at version 1 with one create row', async () => {
    const history = await historyRows(app.strapi);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      version: 1,
      changeType: 'create',
      author: { kind: 'system' },
    });
    expect(await publishedRows()).toHaveLength(1);
  });

  it('versions an update made by code, ignoring any version the caller sends', async () => {
    const live = await liveDocument();
    await publishUpdate({
      documentId: live.documentId,
      data: { siteName: 'From code', version: 500 },
    } as never);
    const after = await liveDocument();
    expect(after).toMatchObject({ siteName: 'From code', version: 2 });
    const last = (await historyRows(app.strapi)).at(-1)!;
    expect(last).toMatchObject({
      version: 2,
      changeType: 'update',
      changedFields: ['siteName'],
      author: { kind: 'system' },
    });
    expect(last.data.siteName).toBe('From code');
  });

  it('records nothing for a publish of identical values (a Content Manager “publish” without edits)', async () => {
    const live = await liveDocument();
    const { id: _id, documentId, createdAt: _c, updatedAt: _u, publishedAt: _p, ...fields } = live;
    await publishUpdate({ documentId, data: fields } as never);
    expect((await liveDocument()).version).toBe(live.version);
    expect(await historyRows(app.strapi)).toHaveLength(Number(live.version));
  });

  it('records nothing for a no-op save made inside an outer transaction', async () => {
    const live = await liveDocument();
    const { id: _id, documentId, createdAt: _c, updatedAt: _u, publishedAt: _p, ...fields } = live;
    await app.strapi.db.transaction(() => publishUpdate({ documentId, data: fields } as never));
    expect((await liveDocument()).version).toBe(live.version);
    expect(await historyRows(app.strapi)).toHaveLength(Number(live.version));
    const verify = await app.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200);
    expect(verify.body.data).toMatchObject({ ok: true, versions: live.version });
  });

  it('keeps nothing of a change whose outer transaction rolls back', async () => {
    const live = await liveDocument();
    await expect(
      app.strapi.db.transaction(async () => {
        await publishUpdate({
          documentId: live.documentId,
          data: { siteName: 'Rolled back' },
        } as never);
        throw new Error('the caller changed its mind');
      })
    ).rejects.toThrow('the caller changed its mind');
    expect(await liveDocument()).toMatchObject({ version: live.version, siteName: live.siteName });
    expect(await historyRows(app.strapi)).toHaveLength(Number(live.version));
    const served = await app.request.get('/api/platform-settings').expect(200);
    expect(served.body.data).toMatchObject({ version: live.version, siteName: live.siteName });
  });

  it('keeps the settings untouched when the history write fails', async () => {
    const live = await liveDocument();
    const nextVersion = Number(live.version) + 1;
    // Occupy the next version number directly, so the history insert hits the unique index.
    await app.strapi.db.connection('platform_settings_history').insert({
      document_id: 'blocker',
      version: nextVersion,
      change_type: 'update',
      data: JSON.stringify({}),
      changed_fields: JSON.stringify([]),
      author: JSON.stringify({ kind: 'system' }),
      schema_version: 1,
      hash: 'blocker',
    });
    const put = await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { siteName: 'Doomed' } });
    expect(put.status).toBe(500);
    expect(JSON.stringify(put.body)).not.toMatch(/platform_settings|sql|constraint/i);
    await expect(
      publishUpdate({ documentId: live.documentId, data: { siteName: 'Doomed too' } } as never)
    ).rejects.toThrow();

    const [row] = await publishedRows();
    expect(row.site_name).toBe(live.siteName);
    expect(Number(row.version)).toBe(live.version);
    expect(new Date(row.updated_at).getTime()).toBe(new Date(live.updatedAt as string).getTime());
    const served = await app.request.get('/api/platform-settings').expect(200);
    expect(served.body.data).toMatchObject({ siteName: live.siteName, version: live.version });

    await app.strapi.db
      .connection('platform_settings_history')
      .where({ document_id: 'blocker' })
      .delete();
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { siteName: 'Recovered' } })
      .expect(200);
    expect((await liveDocument()).version).toBe(nextVersion);
  });

  it('has a unique index on history.version', async () => {
    const duplicate = app.strapi.db.query(HISTORY_UID).create({
      data: {
        documentId: 'dup',
        version: 1,
        changeType: 'update',
        data: {},
        changedFields: [],
        author: { kind: 'system' },
        schemaVersion: 1,
        hash: 'x',
      },
    });
    await expect(duplicate).rejects.toThrow();
  });

  it('refuses to delete the settings or create a second copy', async () => {
    const live = await liveDocument();
    await expect(documents().delete({ documentId: live.documentId } as never)).rejects.toThrow(
      /versioned/
    );
    await expect(
      documents().create({ data: { siteName: 'Twin', heroTitle: 'Twin' } } as never)
    ).rejects.toThrow(/already exist/);
    expect(await publishedRows()).toHaveLength(1);
  });

  it('records an admin author when the change happens inside an admin request', async () => {
    const live = await liveDocument();
    const state = {
      auth: { strategy: { name: 'admin' } },
      user: { id: 7, firstname: 'Ada', lastname: 'Lovelace' },
    };
    await app.strapi.requestContext.run({ state } as never, () =>
      publishUpdate({ documentId: live.documentId, data: { tagline: 'By Ada' } } as never)
    );
    const last = (await historyRows(app.strapi)).at(-1)!;
    expect(last.author).toEqual({ kind: 'admin', id: 7, name: 'Ada Lovelace' });
  });
});
