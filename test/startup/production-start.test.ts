/**
 * The other side of refuse-to-start: production with every secret set starts
 * (and its public development secrets are gone: a preview token forged with
 * `dev-admin-jwt-secret` reads nothing, and /metrics needs its token), and
 * development still starts with nothing set at all. Real processes.
 */
import { createHmac } from 'node:crypto';
import type { RunningStrapi } from '../../scripts/lib/launcher.cjs';
import { productionSecrets } from '../../scripts/lib/launcher.cjs';
import { copyApp, startStrapi, type AppCopy } from '../helpers/app-copy';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

let copy: AppCopy;
let database: TestDatabase;
let running: RunningStrapi | undefined;

beforeAll(() => {
  copy = copyApp({ withPluginBuild: true });
});
beforeEach(async () => {
  // The run's database (DATABASE_URL): production starts on PostgreSQL and MariaDB too.
  database = await createTestDatabase();
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  await database.drop();
});
afterAll(() => copy.remove());

/** A draft-preview token as services/preview-tokens.ts makes it, signed with `adminSecret`. */
const forgedPreviewToken = (adminSecret: string) => {
  const key = createHmac('sha256', adminSecret).update('platform-settings preview tokens').digest();
  const body = Buffer.from(
    JSON.stringify({ scope: 'draft', sub: 1, exp: Date.now() + 60_000 })
  ).toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
};

it('starts in production with every secret set; /metrics needs the token, and the development admin secret forges nothing', async () => {
  const secrets = productionSecrets();
  running = await startStrapi(copy.dir, {
    ...database.env,
    ...secrets,
    NODE_ENV: 'production',
  });
  const metrics = (authorization?: string) =>
    fetch(`${running!.url}/metrics`, {
      headers: authorization ? { Authorization: authorization } : {},
    });

  // Before: with METRICS_TOKEN unset, production served /metrics to anyone.
  expect((await metrics()).status).toBe(401);
  expect((await metrics('Bearer not-the-token')).status).toBe(401);
  expect((await metrics(`Bearer ${productionSecrets().METRICS_TOKEN}`)).status).toBe(401);
  const answer = await metrics(`Bearer ${secrets.METRICS_TOKEN}`);
  expect(answer.status).toBe(200);
  expect(await answer.text()).toMatch(/^settings_version /m);

  // Before: production ran on `dev-admin-jwt-secret`, so this token read the draft (200).
  const draft = await fetch(`${running.url}/api/platform-settings/draft`, {
    headers: { 'X-Preview-Token': forgedPreviewToken('dev-admin-jwt-secret') },
  });
  expect([401, 403]).toContain(draft.status);

  expect(running.output()).not.toContain(secrets.METRICS_TOKEN);
});

it('starts in development with no secret and no NODE_ENV at all', async () => {
  const unset = Object.fromEntries(
    [...Object.keys(productionSecrets()), 'NODE_ENV'].map((name) => [name, undefined])
  );
  running = await startStrapi(copy.dir, {
    ...database.env,
    ...unset,
  } as unknown as Record<string, string>);
  const settings = await fetch(`${running.url}/api/platform-settings`);
  expect(settings.status).toBe(200);
  // Outside production /metrics stays public when no token is set.
  expect((await fetch(`${running.url}/metrics`)).status).toBe(200);
});
