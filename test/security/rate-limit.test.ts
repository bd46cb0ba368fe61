import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

const history = () => app.request.get('/api/platform-settings/history/versions');

it('never slows or counts successful requests', async () => {
  for (let attempt = 0; attempt < 25; attempt += 1) await history().set(founderHeaders).expect(200);
  for (let attempt = 0; attempt < 10; attempt += 1)
    await history().set('X-Founder-Key', 'guess').expect(403);
});

it('answers 429 with Retry-After after 10 wrong or missing keys a minute, even to a right key', async () => {
  for (let attempt = 0; attempt < 5; attempt += 1) await history().expect(401);
  for (let attempt = 0; attempt < 5; attempt += 1)
    await history().set('X-Founder-Key', `guess-${attempt}`).expect(403);
  const limited = await history().set('X-Founder-Key', 'guess-11').expect(429);
  expect(limited.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
  expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  // A lucky guess must not be confirmed while the address is locked out.
  await history().set(founderHeaders).expect(429);
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'x' } })
    .expect(429);
  // The public read is never limited.
  await app.request.get('/api/platform-settings').expect(200);
});
