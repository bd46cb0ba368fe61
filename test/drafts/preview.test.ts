/**
 * Preview tokens: minted only for admins who may read the history, short-lived,
 * read-only, scoped to the draft or to one version, never valid beyond the
 * admin's own session — and refused, with a clear error, when forged, expired,
 * out of scope, or used to write.
 */
import {
  adminWithActions,
  auth,
  registerSuperAdmin,
  type SignedInAdmin,
} from '../admin/admin-users';
import { bootApp, FOUNDER_KEY, type TestApp } from '../helpers/strapi';

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp();
  admin = await registerSuperAdmin(app);
  await app.request
    .put('/api/platform-settings?status=draft')
    .set('X-Founder-Key', FOUNDER_KEY)
    .send({ data: { heroTitle: 'Draft for the preview' } });
});
afterAll(() => app?.stop());

const mint = (body: unknown, as: SignedInAdmin = admin) =>
  app.request.post('/platform-settings/preview-token').set(auth(as.token)).send(body);
const withToken = (path: string, token: string) =>
  app.request.get(path).set('X-Preview-Token', token);

it('reads the draft with a draft token, uncached', async () => {
  const minted = await mint({ scope: 'draft' }).expect(200);
  const { token, expiresAt } = minted.body.data;
  expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
  expect(Date.parse(expiresAt)).toBeLessThanOrEqual(Date.now() + 5 * 60_000 + 1000);
  const res = await withToken('/api/platform-settings/draft', token).expect(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body.data.heroTitle).toBe('Draft for the preview');
});

it('never outlives the admin session that asked for it', async () => {
  const { expiresAt } = (await mint({ scope: 'draft' }).expect(200)).body.data;
  const session = JSON.parse(Buffer.from(admin.token.split('.')[1], 'base64url').toString());
  expect(Date.parse(expiresAt)).toBeLessThanOrEqual(session.exp * 1000);
});

it('reads one version with a token for that version, and nothing else with it', async () => {
  const { token } = (await mint({ scope: 'version', version: 1 }).expect(200)).body.data;
  const res = await withToken('/api/platform-settings/preview/versions/1', token).expect(200);
  expect(res.body).toMatchObject({ data: { version: 1 }, meta: { status: 'version', version: 1 } });
  expect(res.headers['cache-control']).toBe('no-store');
  const other = await withToken('/api/platform-settings/preview/versions/2', token).expect(403);
  expect(other.body.error.message).toMatch(/version 2/);
  await withToken('/api/platform-settings/draft', token).expect(403);
  const { token: draftToken } = (await mint({ scope: 'draft' })).body.data;
  await withToken('/api/platform-settings/preview/versions/1', draftToken).expect(403);
});

it('refuses a forged, a malformed and an expired token', async () => {
  const { token } = (await mint({ scope: 'draft' })).body.data;
  const [body, mac] = token.split('.');
  const forgedBody = Buffer.from(
    JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), scope: 'version:1' })
  ).toString('base64url');
  for (const bad of [`${forgedBody}.${mac}`, `${body}.${mac.slice(0, -2)}xx`, 'not-a-token']) {
    const res = await withToken('/api/platform-settings/draft', bad).expect(401);
    expect(res.body.error.message).toMatch(/not one this server issued/);
  }
  app.strapi.config.set('plugin::platform-settings.previewTokenTtlMs', 1);
  try {
    const { token: shortLived } = (await mint({ scope: 'draft' })).body.data;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const expired = await withToken('/api/platform-settings/draft', shortLived).expect(401);
    expect(expired.body.error.message).toMatch(/expired/);
  } finally {
    app.strapi.config.set('plugin::platform-settings.previewTokenTtlMs', 5 * 60_000);
  }
});

it('is read-only: a write route wants the founder key', async () => {
  const { token } = (await mint({ scope: 'draft' })).body.data;
  await app.request
    .put('/api/platform-settings')
    .set('X-Preview-Token', token)
    .send({ data: { heroTitle: 'Sneaky' } })
    .expect(401);
  await app.request
    .post('/api/platform-settings/publish')
    .set('X-Preview-Token', token)
    .send({})
    .expect(401);
});

it('is minted only for admins who may read the history', async () => {
  const outsider = await adminWithActions(app, 'nobody', []);
  await mint({ scope: 'draft' }, outsider).expect(403);
  await app.request.post('/platform-settings/preview-token').send({ scope: 'draft' }).expect(401);
  const bad = await mint({ scope: 'everything' }).expect(422);
  expect(bad.body.error.details.errors[0].path).toEqual(['scope']);
});
