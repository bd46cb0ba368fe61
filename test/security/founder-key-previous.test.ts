/**
 * Rotating the founder key: with FOUNDER_KEY_PREVIOUS set, both keys are
 * accepted; each use of the old one is logged (without the key) and counted,
 * so the operator sees who still has to be updated. A third key is refused.
 */
import { bootApp, FOUNDER_KEY, founderHeaders, type TestApp } from '../helpers/strapi';

// The runner passes a random one, which the final leak scan looks for like the founder key.
const PREVIOUS_KEY =
  process.env.TEST_FOUNDER_KEY_PREVIOUS ?? 'test-founder-key-previous-0123456789abcdef012345';

let app: TestApp;
let warnings: string[];
beforeAll(async () => {
  app = await bootApp({ env: { FOUNDER_KEY_PREVIOUS: PREVIOUS_KEY } });
});
afterAll(() => app?.stop());
beforeEach(async () => {
  await app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits();
  warnings = [];
  const log = app.strapi.log as unknown as { warn: (...args: unknown[]) => unknown };
  const original = log.warn.bind(log);
  jest.spyOn(log, 'warn').mockImplementation((...args: unknown[]) => {
    warnings.push(
      args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' ')
    );
    return original(...args);
  });
});
afterEach(() => jest.restoreAllMocks());

const previousUses = async () => {
  const text: string = await app.strapi.plugin('platform-settings').service('metrics').render();
  const line = text.split('\n').find((row) => row.startsWith('founder_key_previous_used_total '));
  return Number(line?.split(' ')[1]);
};

it('accepts the previous key during a rotation, and logs and counts each use without the key', async () => {
  expect(await previousUses()).toBe(0);
  await app.request
    .get('/api/platform-settings/history/versions')
    .set('X-Founder-Key', PREVIOUS_KEY)
    .expect(200);
  const written = await app.request
    .put('/api/platform-settings')
    .set('X-Founder-Key', PREVIOUS_KEY)
    .send({ data: { heroTitle: 'Written with the previous key' } })
    .expect(200);
  expect(written.body.data.heroTitle).toBe('Written with the previous key');
  expect(await previousUses()).toBe(2);
  const used = warnings.filter((line) => line.includes('FOUNDER_KEY_PREVIOUS'));
  expect(used).toHaveLength(2);
  expect(used[1]).toContain('PUT /api/platform-settings');
  for (const line of warnings) {
    expect(line).not.toContain(PREVIOUS_KEY.slice(0, 8));
    expect(line).not.toContain(FOUNDER_KEY.slice(0, 8));
  }

  // The current key is not counted as the previous one.
  await app.request.get('/api/platform-settings/history/versions').set(founderHeaders).expect(200);
  expect(await previousUses()).toBe(2);
});

it('refuses any third key, and a key that merely starts or ends like one of them', async () => {
  const before = await previousUses();
  for (const key of [
    'a-third-key-0123456789abcdef0123456789abcdef',
    `${PREVIOUS_KEY}x`,
    PREVIOUS_KEY.slice(1),
  ]) {
    const refused = await app.request
      .get('/api/platform-settings/history/versions')
      .set('X-Founder-Key', key)
      .expect(403);
    expect(JSON.stringify(refused.body)).not.toContain(PREVIOUS_KEY.slice(0, 8));
  }
  expect(await previousUses()).toBe(before);
});
