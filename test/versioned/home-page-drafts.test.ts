/**
 * The home page's draft routes, as the settings' have them: read the draft,
 * publish it as exactly one version (If-Match, Idempotency-Key), read one old
 * version for a preview. Strapi's own auth per action (API tokens, the Public
 * role), and preview tokens the admin mints for the type: valid only for that
 * type and scope, refused with 401 or 403 otherwise. Every answer of the
 * plugin's routes goes through `app.request`, checked against docs/openapi.json.
 */
import {
  adminWithActions,
  auth,
  registerSuperAdmin,
  type SignedInAdmin,
} from '../admin/admin-users';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { createApiToken, ensureHomePage, homeDocuments, homeHistory } from '../helpers/home-page';

const HOME_READ = 'plugin::platform-settings.home-page.history.read';
const SETTINGS_READ = 'plugin::platform-settings.history.read';

let app: TestApp;
let fullAccess: Awaited<ReturnType<typeof createApiToken>>;
let draftReader: Awaited<ReturnType<typeof createApiToken>>;
let historyReader: Awaited<ReturnType<typeof createApiToken>>;
let superAdmin: SignedInAdmin;
let homeReader: SignedInAdmin;
let settingsReader: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
  fullAccess = await createApiToken(app);
  draftReader = await createApiToken(app, 'custom', [
    'plugin::platform-settings.home-page-draft.find',
    'plugin::platform-settings.home-page-preview.findOne',
  ]);
  historyReader = await createApiToken(app, 'custom', [
    'plugin::platform-settings.home-page-history.find',
  ]);
  superAdmin = await registerSuperAdmin(app);
  homeReader = await adminWithActions(app, 'homereader', [HOME_READ]);
  settingsReader = await adminWithActions(app, 'settingsreader', [SETTINGS_READ]);
});
afterAll(() => app?.stop());

const versions = async () => (await homeHistory(app)).map((row) => Number(row.version));
const saveDraft = async (data: Record<string, unknown>) => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({ documentId, status: 'draft', data });
};
const mintFor = (key: string, body: unknown, as: SignedInAdmin) =>
  app.request.post(`/platform-settings/types/${key}/preview-token`).set(auth(as.token)).send(body);
const withPreview = (path: string, token: string) =>
  app.request.get(path).set('X-Preview-Token', token);

describe('who may use them', () => {
  it('refuses no credentials (403), a bad token (401) and a token not granted the action (403)', async () => {
    await app.request.get('/api/home-page/draft').expect(403);
    await app.request.post('/api/home-page/publish').send({}).expect(403);
    await app.request.get('/api/home-page/preview/versions/1').expect(403);
    await app.request
      .get('/api/home-page/draft')
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
    await app.request.get('/api/home-page/draft').set(historyReader.headers).expect(403);
    await app.request.post('/api/home-page/publish').set(draftReader.headers).send({}).expect(403);
    await app.request.get('/api/home-page/draft').set(draftReader.headers).expect(200);
    await app.request.get('/api/home-page/preview/versions/1').set(draftReader.headers).expect(200);
    expect(await versions()).toEqual([1]);
  });

  it("mints a preview token for the type only for admins who may read the type's history", async () => {
    await mintFor('home-page', { scope: 'draft' }, settingsReader).expect(403);
    const refused = await mintFor('home-page', { scope: 'everything' }, homeReader).expect(422);
    expect(refused.body.error.details.errors[0].path).toEqual(['scope']);
    const minted = await mintFor('home-page', { scope: 'draft' }, homeReader).expect(200);
    expect(Date.parse(minted.body.data.expiresAt)).toBeGreaterThan(Date.now());
    expect(minted.headers['cache-control']).toBe('no-store');
  });

  it("reads the type's draft with its draft token, and refuses it anywhere else", async () => {
    const { token } = (await mintFor('home-page', { scope: 'draft' }, homeReader)).body.data;
    const draft = await withPreview('/api/home-page/draft', token).expect(200);
    expect(draft.headers['cache-control']).toBe('no-store');
    // This admin may not read the settings' history: the token does not cover their draft.
    await withPreview('/api/platform-settings/draft', token).expect(403);
    const version = await withPreview('/api/home-page/preview/versions/1', token).expect(403);
    expect(version.body.error.message).toMatch(/version 1/);
    // Never a write: publish ignores the header and asks for Strapi's credentials.
    await app.request
      .post('/api/home-page/publish')
      .set('X-Preview-Token', token)
      .send({})
      .expect(403);
  });

  it("refuses the settings' token on the home page, and a forged or expired one with 401", async () => {
    const settingsToken = (
      await app.request
        .post('/platform-settings/preview-token')
        .set(auth(settingsReader.token))
        .send({ scope: 'draft' })
        .expect(200)
    ).body.data.token as string;
    const wrongType = await withPreview('/api/home-page/draft', settingsToken).expect(403);
    expect(wrongType.body.error.message).toMatch(/draft of/);
    await withPreview('/api/platform-settings/draft', settingsToken).expect(200);

    const { token } = (await mintFor('home-page', { scope: 'draft' }, homeReader)).body.data;
    const [body, signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const stretched = Buffer.from(
      JSON.stringify({ ...payload, scope: ['home-page:draft', 'draft'] })
    ).toString('base64url');
    await withPreview('/api/home-page/draft', `${stretched}.${signature}`).expect(401);
    await withPreview('/api/home-page/draft', 'nonsense').expect(401);
  });

  it('gives an admin who may read both histories one token for both drafts', async () => {
    const { token } = (await mintFor('home-page', { scope: 'draft' }, superAdmin)).body.data;
    await withPreview('/api/home-page/draft', token).expect(200);
    await withPreview('/api/platform-settings/draft', token).expect(200);
  });

  it('mints a token for one version of the type, and nothing else with it', async () => {
    const { token } = (
      await mintFor('home-page', { scope: 'version', version: 1 }, homeReader).expect(200)
    ).body.data;
    const one = await withPreview('/api/home-page/preview/versions/1', token).expect(200);
    expect(one.body.meta).toEqual({ status: 'version', version: 1 });
    await withPreview('/api/home-page/draft', token).expect(403);
    await withPreview('/api/platform-settings/preview/versions/1', token).expect(403);
  });
});

describe('the draft and publishing it', () => {
  it('shows the draft beside what is published, which stays as it was', async () => {
    await saveDraft({ seo: { title: 'Draft title', description: 'Not yet' } });
    const draft = await app.request.get('/api/home-page/draft').set(fullAccess.headers).expect(200);
    expect(draft.body.data).toMatchObject({ version: 1, seo: { title: 'Draft title' } });
    expect(draft.body.meta).toMatchObject({ status: 'draft', liveVersion: 1, changed: true });
    expect(draft.body.meta.diff.map((d: { field: string }) => d.field)).toEqual(['seo']);
    const live = await homeDocuments(app).findFirst({ status: 'published', populate: ['seo'] });
    expect(live!.seo!.title).not.toBe('Draft title');
    expect(await versions()).toEqual([1]);
  });

  it('answers a dry run with the diff, and a stale If-Match with 412, changing nothing', async () => {
    const dry = await app.request
      .post('/api/home-page/publish?dryRun=true')
      .set(fullAccess.headers)
      .send({})
      .expect(200);
    expect(dry.body).toMatchObject({ meta: { liveVersion: 1 } });
    expect(dry.body.data.diff.map((d: { field: string }) => d.field)).toEqual(['seo']);
    const stale = await app.request
      .post('/api/home-page/publish')
      .set(fullAccess.headers)
      .set('If-Match', '"0-deadbeef"')
      .send({})
      .expect(412);
    expect(stale.body.error.details.currentVersion).toBe(1);
    expect(await versions()).toEqual([1]);
  });

  it('publishes the draft as exactly one version, and a retry with the same key replays it', async () => {
    const published = await app.request
      .post('/api/home-page/publish')
      .set(fullAccess.headers)
      .set('Idempotency-Key', 'publish-home-1')
      .send({ note: 'New SEO title' })
      .expect(200);
    expect(published.body.data).toMatchObject({ version: 2, seo: { title: 'Draft title' } });
    expect(published.body.meta).toEqual({ changed: true, changedFields: ['seo'] });
    expect(published.headers['x-version']).toBe('2');
    expect(published.headers.etag).toMatch(/^"2-/);
    expect(await versions()).toEqual([1, 2]);
    const [, second] = await homeHistory(app);
    expect(second.note).toBe('New SEO title');
    expect(second.author).toMatchObject({ kind: 'api-token', name: fullAccess.name });

    const retry = await app.request
      .post('/api/home-page/publish')
      .set(fullAccess.headers)
      .set('Idempotency-Key', 'publish-home-1')
      .send({ note: 'New SEO title' })
      .expect(200);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body.data.version).toBe(2);
    expect(retry.body.meta).toEqual({ changed: true, changedFields: ['seo'] });
    const reused = await app.request
      .post('/api/home-page/publish')
      .set(fullAccess.headers)
      .set('Idempotency-Key', 'publish-home-1')
      .send({ note: 'Another body' })
      .expect(422);
    expect(reused.body.error.details.errors[0].path).toEqual(['Idempotency-Key']);
    expect(await versions()).toEqual([1, 2]);

    // If-Match with the current ETag is accepted; nothing left to publish is no version.
    const again = await app.request
      .post('/api/home-page/publish')
      .set(fullAccess.headers)
      .set('If-Match', published.headers.etag)
      .send({})
      .expect(200);
    expect(again.body.meta).toEqual({ changed: false, changedFields: [] });
    expect(again.body.data.version).toBe(2);
    expect(await versions()).toEqual([1, 2]);
    const draft = await app.request.get('/api/home-page/draft').set(fullAccess.headers).expect(200);
    expect(draft.body.meta).toMatchObject({ liveVersion: 2, changed: false, diff: [] });
  });

  it('reads an old version for a preview; 404 for none, 422 for nonsense', async () => {
    const one = await app.request
      .get('/api/home-page/preview/versions/1')
      .set(fullAccess.headers)
      .expect(200);
    expect(one.body.data.version).toBe(1);
    expect(one.body.data.seo.title).not.toBe('Draft title');
    expect(one.headers['cache-control']).toBe('no-store');
    await app.request.get('/api/home-page/preview/versions/9').set(fullAccess.headers).expect(404);
    await app.request.get('/api/home-page/preview/versions/x').set(fullAccess.headers).expect(422);
  });

  it('leaves the settings chain alone', async () => {
    const settings = await app.request
      .get('/api/platform-settings/history/verify')
      .set(founderHeaders)
      .expect(200);
    expect(settings.body.data).toMatchObject({ ok: true, versions: 1 });
    const home = await app.request.get('/api/home-page/history/verify').set(fullAccess.headers);
    expect(home.body.data).toMatchObject({ ok: true, versions: 2 });
  });
});
