/**
 * Strapi's own Preview, configured by the plugin's helper (config/admin.ts):
 * the Content Manager's preview URL for the settings is the site with a draft
 * token in its fragment, for admins who may read the history, and for nobody else;
 * the home page's is the site with a token for its draft (and the settings' draft
 * when the admin may read them too).
 */
import {
  adminWithActions,
  auth,
  registerSuperAdmin,
  type SignedInAdmin,
} from '../admin/admin-users';
import { ensureHomePage, homeDocuments } from '../helpers/home-page';
import { bootApp, FOUNDER_KEY, type TestApp } from '../helpers/strapi';

const SITE_URL = 'http://site.test:8080/launch';
const SETTINGS_UID = 'plugin::platform-settings.setting';
const PREVIEW_URL = `/content-manager/preview/url/${SETTINGS_UID}`;

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp({ env: { PREVIEW_SITE_URL: SITE_URL } });
  admin = await registerSuperAdmin(app);
  await app.request
    .put('/api/platform-settings?status=draft')
    .set('X-Founder-Key', FOUNDER_KEY)
    .send({ data: { heroTitle: 'Seen only in the preview' } })
    .expect(200);
});
afterAll(() => app?.stop());

const previewUrl = (as: SignedInAdmin, status = 'draft') =>
  app.request.get(PREVIEW_URL).query({ status }).set(auth(as.token));

const tokenOf = (url: string) =>
  new URLSearchParams(new URL(url).hash.slice(1)).get('preview-token');

it('opens the site with a draft token in the fragment, which reads the draft', async () => {
  const res = await previewUrl(admin).expect(200);
  const url: string = res.body.data.url;
  expect(url.startsWith(`${SITE_URL}#preview-token=`)).toBe(true);
  expect(url).not.toContain(FOUNDER_KEY);
  const token = tokenOf(url)!;
  const draft = await app.request
    .get('/api/platform-settings/draft')
    .set('X-Preview-Token', token)
    .expect(200);
  expect(draft.body.data.heroTitle).toBe('Seen only in the preview');
  expect(draft.headers['cache-control']).toBe('no-store');
  // Read-only and scoped to the draft.
  await app.request
    .get('/api/platform-settings/preview/versions/1')
    .set('X-Preview-Token', token)
    .expect(403);
  await app.request
    .put('/api/platform-settings?status=draft')
    .set('X-Preview-Token', token)
    .send({ data: { heroTitle: 'Written with a preview token' } })
    .expect(401);
});

it('never outlives the admin session, and a fresh token each time', async () => {
  const first = tokenOf((await previewUrl(admin).expect(200)).body.data.url)!;
  const payload = JSON.parse(Buffer.from(first.split('.')[0], 'base64url').toString());
  const session = JSON.parse(Buffer.from(admin.token.split('.')[1], 'base64url').toString());
  expect(payload).toMatchObject({ scope: 'draft', sub: admin.id });
  expect(payload.exp).toBeLessThanOrEqual(session.exp * 1000);
  await new Promise((resolve) => setTimeout(resolve, 5));
  expect(tokenOf((await previewUrl(admin).expect(200)).body.data.url)).not.toBe(first);
});

it('shows the published settings as the public site, without a token', async () => {
  const res = await previewUrl(admin, 'published').expect(200);
  expect(res.body.data.url).toBe(SITE_URL);
});

it('gives no preview URL to an admin who may not read the history', async () => {
  // Strapi's preview route asks only for a signed-in admin: the handler is what refuses.
  const editor = await adminWithActions(app, 'editor', []);
  const res = await previewUrl(editor).expect(204);
  expect(res.text).toBe('');
  const reader = await adminWithActions(app, 'reader', ['plugin::platform-settings.history.read']);
  expect(tokenOf((await previewUrl(reader).expect(200)).body.data.url)).toBeTruthy();
  await app.request.get(PREVIEW_URL).query({ status: 'draft' }).expect(401);
});

it("opens the home page's draft with a token for it, and the settings' draft where allowed", async () => {
  await ensureHomePage(app);
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({
    documentId,
    status: 'draft',
    data: { seo: { title: 'Home draft in the preview' } },
  });
  const homePreviewUrl = (as: SignedInAdmin) =>
    app.request
      .get('/content-manager/preview/url/api::home-page.home-page')
      .query({ status: 'draft', documentId })
      .set(auth(as.token));

  const both = tokenOf((await homePreviewUrl(admin).expect(200)).body.data.url)!;
  const home = await app.request
    .get('/api/home-page/draft')
    .set('X-Preview-Token', both)
    .expect(200);
  expect(home.body.data.seo.title).toBe('Home draft in the preview');
  await app.request.get('/api/platform-settings/draft').set('X-Preview-Token', both).expect(200);

  const homeOnly = await adminWithActions(app, 'homeonly', [
    'plugin::platform-settings.home-page.history.read',
  ]);
  const token = tokenOf((await homePreviewUrl(homeOnly).expect(200)).body.data.url)!;
  await app.request.get('/api/home-page/draft').set('X-Preview-Token', token).expect(200);
  await app.request.get('/api/platform-settings/draft').set('X-Preview-Token', token).expect(403);
  // A settings reader may not read the home page's history: no preview of it.
  const settingsOnly = await adminWithActions(app, 'settingsonly', [
    'plugin::platform-settings.history.read',
  ]);
  await homePreviewUrl(settingsOnly).expect(204);
});

it('leaves other content types alone', async () => {
  const { handler } = app.strapi.config.get('admin.preview').config;
  expect(await handler('api::page.page', { documentId: 'x', status: 'draft' })).toBeNull();
});

it('tells the admin where previews open', async () => {
  const res = await app.request
    .get('/platform-settings/preview-site')
    .set(auth(admin.token))
    .expect(200);
  expect(res.body).toEqual({ data: { url: SITE_URL }, meta: {} });
});
