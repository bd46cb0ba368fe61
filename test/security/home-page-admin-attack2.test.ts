/**
 * An admin role granted one versioned type's actions reaches nothing of the
 * other's admin API (schedules, preview tokens), and a preview
 * token minted for one type opens nothing of the other.
 */
import { ACTIONS, adminWithActions, auth, type SignedInAdmin } from '../admin/admin-users';
import { ensureHomePage, restOf } from '../helpers/home-page';
import { bootApp, type TestApp } from '../helpers/strapi';

let app: TestApp;
let homeAdmin: SignedInAdmin;
let settingsAdmin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp();
  await ensureHomePage(app);
  homeAdmin = await adminWithActions(app, 'homeall', Object.values(ACTIONS.homePage));
  settingsAdmin = await adminWithActions(app, 'settingsall', Object.values(ACTIONS.settings));
});
afterAll(() => app?.stop());

const runAt = () => new Date(Date.now() + 48 * 3_600_000).toISOString();
type Call = [method: 'get' | 'post' | 'delete', path: string, body?: Record<string, unknown>];
const statusOf = async ([method, path, body]: Call, token: string) => {
  const request = app.request[method](path).set(auth(token));
  return (await (body ? request.send(body) : request)).status;
};

it("refuses a role with every home page action the settings' schedules and preview token", async () => {
  const calls: Call[] = [
    ['get', '/platform-settings/schedules'],
    [
      'post',
      '/platform-settings/schedules',
      { kind: 'rollback', targetVersion: 1, runAt: runAt() },
    ],
    ['delete', '/platform-settings/schedules/1'],
    ['get', '/platform-settings/types/settings/schedules'],
    [
      'post',
      '/platform-settings/types/settings/schedules',
      { kind: 'rollback', targetVersion: 1, runAt: runAt() },
    ],
    ['post', '/platform-settings/preview-token', { scope: 'draft' }],
    ['post', '/platform-settings/types/settings/preview-token', { scope: 'draft' }],
  ];
  // Not the admin event stream: it opens for a reader of any type's history and carries topic
  // names only (test/events/admin-events.test.ts).
  const statuses: Record<string, number> = {};
  for (const call of calls)
    statuses[`${call[0]} ${call[1]}`] = await statusOf(call, homeAdmin.token);
  expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((key) => [key, 403])));
});

it("refuses a role with every settings action the home page's schedules and preview token", async () => {
  const calls: Call[] = [
    ['get', '/platform-settings/types/home-page/schedules'],
    [
      'post',
      '/platform-settings/types/home-page/schedules',
      { kind: 'rollback', targetVersion: 1, runAt: runAt() },
    ],
    ['post', '/platform-settings/types/home-page/preview-token', { scope: 'draft' }],
    ['get', '/platform-settings/types/home-page/history'],
  ];
  const statuses: Record<string, number> = {};
  for (const call of calls)
    statuses[`${call[0]} ${call[1]}`] = await statusOf(call, settingsAdmin.token);
  expect(statuses).toEqual(Object.fromEntries(Object.keys(statuses).map((key) => [key, 403])));
});

it("a home page draft token minted by a home-only admin opens neither the settings' draft nor their versions", async () => {
  const minted = await app.request
    .post('/platform-settings/types/home-page/preview-token')
    .set(auth(homeAdmin.token))
    .send({ scope: 'draft' })
    .expect(200);
  const token = minted.body.data.token as string;
  const version = await app.request
    .post('/platform-settings/types/home-page/preview-token')
    .set(auth(homeAdmin.token))
    .send({ scope: 'version', version: 1 })
    .expect(200);
  const statuses: Record<string, number> = {};
  for (const [name, value, path] of [
    ['draft', token, '/api/platform-settings/draft'],
    ['draft', token, '/api/platform-settings/preview/versions/1'],
    ['version', version.body.data.token as string, '/api/platform-settings/preview/versions/1'],
    ['version', version.body.data.token as string, '/api/platform-settings/draft'],
    ['version', version.body.data.token as string, '/api/home-page/draft'],
  ]) {
    statuses[`${name} ${path}`] = (
      await restOf(app).get(path).set('X-Preview-Token', value)
    ).status;
  }
  expect(Object.values(statuses).every((status) => status === 401 || status === 403)).toEqual(true);
});
