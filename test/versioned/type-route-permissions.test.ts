/**
 * Each route of a versioned type is its own content-API action: a token granted
 * one action opens that route and no other (a custom API token is how a script
 * or a CI job is given exactly what it needs). A read-only token, which Strapi grants every
 * `find`/`findOne`, opens neither the history nor old versions (policies/no-read-only-token.ts).
 */
import { bootApp, type TestApp } from '../helpers/strapi';
import { createApiToken, ensureHomePage, homeHistory, restOf } from '../helpers/home-page';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
  await ensureHomePage(app);
});
afterAll(() => app?.stop());

const ACTIONS = {
  'home-page-history.find': ['get', '/api/home-page/history/versions'],
  'home-page-history.findOne': ['get', '/api/home-page/history/versions/1'],
  'home-page-verify.find': ['get', '/api/home-page/history/verify'],
  'home-page-rollback.create': ['post', '/api/home-page/rollback/1?dryRun=true'],
  'home-page-draft.find': ['get', '/api/home-page/draft'],
  'home-page-publish.create': ['post', '/api/home-page/publish?dryRun=true'],
  'home-page-preview.findOne': ['get', '/api/home-page/preview/versions/1'],
} as const;

type Action = keyof typeof ACTIONS;
const call = (action: Action, headers: Record<string, string>) => {
  const [method, path] = ACTIONS[action];
  const request = restOf(app)[method](path).set(headers);
  return method === 'post' ? request.send({}) : request;
};

it.each(Object.keys(ACTIONS) as Action[])(
  'a token granted only %s opens that route and no other',
  async (granted) => {
    const token = await createApiToken(app, 'custom', [`plugin::platform-settings.${granted}`]);
    const versionsBefore = (await homeHistory(app)).length;
    for (const action of Object.keys(ACTIONS) as Action[]) {
      const response = await call(action, token.headers);
      if (action === granted) {
        expect({ action, status: response.status }).toEqual({ action, status: 200 });
      } else {
        expect({ action, status: response.status }).toEqual({ action, status: 403 });
      }
    }
    expect((await homeHistory(app)).length).toBe(versionsBefore);
  }
);

it("a read-only API token (Strapi grants it every find and findOne) opens neither the history, verify nor an old version; the draft keeps Strapi's rule", async () => {
  const token = await createApiToken(app, 'read-only');
  const statuses = Object.fromEntries(
    await Promise.all(
      (Object.keys(ACTIONS) as Action[]).map(async (action) => [
        action,
        (await call(action, token.headers)).status,
      ])
    )
  );
  expect(statuses).toEqual({
    'home-page-history.find': 403,
    'home-page-history.findOne': 403,
    'home-page-verify.find': 403,
    // Writes are never a read-only token's.
    'home-page-rollback.create': 403,
    // Strapi's own GET /api/home-page?status=draft gives a read-only token the draft too.
    'home-page-draft.find': 200,
    'home-page-publish.create': 403,
    'home-page-preview.findOne': 403,
  });
  const refused = await call('home-page-history.find', token.headers);
  expect(refused.body.error).toMatchObject({
    status: 403,
    message: expect.stringContaining('read-only API token'),
  });
});

it('a full-access API token still opens every route', async () => {
  const token = await createApiToken(app, 'full-access');
  for (const action of Object.keys(ACTIONS) as Action[]) {
    expect({ action, status: (await call(action, token.headers)).status }).toEqual({
      action,
      status: 200,
    });
  }
});
