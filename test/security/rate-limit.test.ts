/**
 * The founder-key failure budget: 10 wrong or missing keys a window per client
 * are judged (401/403); beyond it the answer is 429 with Retry-After, counted
 * but never written. A correct key is accepted all the same: anyone sharing
 * the founder's address (an office NAT, a CDN edge) must not lock them out.
 * Runs on whichever database DATABASE_URL names (SQLite by default).
 */
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());
beforeEach(() => app.strapi.plugin('platform-settings').service('founderKey').resetRateLimits());

const history = () => app.request.get('/api/platform-settings/history/versions');
const knex = () => app.strapi.db.connection;
const counterRows = () =>
  knex()('platform_settings_auth_failures').select('client_key', 'failures');

it('never slows or counts successful requests', async () => {
  for (let attempt = 0; attempt < 25; attempt += 1) await history().set(founderHeaders).expect(200);
  expect(await counterRows()).toEqual([]);
  for (let attempt = 0; attempt < 10; attempt += 1)
    await history().set('X-Founder-Key', 'guess').expect(403);
});

it('answers 429 with Retry-After beyond 10 wrong or missing keys a window, and never to a right key', async () => {
  for (let attempt = 0; attempt < 5; attempt += 1) await history().expect(401);
  for (let attempt = 0; attempt < 5; attempt += 1)
    await history().set('X-Founder-Key', `guess-${attempt}`).expect(403);
  const limited = await history().set('X-Founder-Key', 'guess-11').expect(429);
  expect(limited.body.error).toMatchObject({ status: 429, name: 'RateLimitError' });
  expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  await history().expect(429);

  // The founder, from the same address as the guesser, still gets in, and the write is made.
  await history().set(founderHeaders).expect(200);
  const written = await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Written past the guesser' } })
    .expect(200);
  expect(written.body.data.heroTitle).toBe('Written past the guesser');
  const live = await app.request.get('/api/platform-settings').expect(200);
  expect(live.body.data.heroTitle).toBe('Written past the guesser');
  // …which neither reset the guesser's budget nor spent it.
  await history().set('X-Founder-Key', 'guess-12').expect(429);
  // The public read is never limited.
  await app.request.get('/api/platform-settings').expect(200);
});

it('writes one counter row per client, and nothing once the client is over its budget', async () => {
  for (let attempt = 0; attempt < 10; attempt += 1)
    await history().set('X-Founder-Key', `guess-${attempt}`).expect(403);
  const before = await counterRows();
  expect(before).toHaveLength(1);
  expect(Number(before[0].failures)).toBe(10);
  const updatedAt = await knex()('platform_settings_auth_failures').first('updated_at');
  for (let attempt = 0; attempt < 30; attempt += 1)
    await history().set('X-Founder-Key', `more-${attempt}`).expect(429);
  expect(await counterRows()).toEqual(before);
  expect(await knex()('platform_settings_auth_failures').first('updated_at')).toEqual(updatedAt);
});

it('judges at most 10 of 200 concurrent wrong keys from one client; the rest get 429', async () => {
  const statuses = await Promise.all(
    Array.from({ length: 200 }, (_, attempt) =>
      history()
        .set('X-Founder-Key', `burst-${attempt}`)
        .then((res) => res.status)
    )
  );
  const judged = statuses.filter((status) => status === 403).length;
  expect(judged).toBeLessThanOrEqual(10);
  expect(judged).toBeGreaterThan(0);
  expect(statuses.filter((status) => status === 429)).toHaveLength(200 - judged);
  const rows = await counterRows();
  expect(rows).toHaveLength(1);
  expect(Number(rows[0].failures)).toBeLessThanOrEqual(11);
  // The founder is not among the locked out.
  await history().set(founderHeaders).expect(200);
});

it('counts concurrent failures atomically in the database: each gets its own count', async () => {
  // Straight at the counter, past this instance's queue: what two instances would do at once.
  const founderKey = app.strapi.plugin('platform-settings').service('founderKey');
  const counts = await Promise.all(
    Array.from({ length: 40 }, () => founderKey.countFailure('203.0.113.9'))
  );
  expect(
    counts.map(({ failures }: { failures: number }) => failures).sort((a, b) => a - b)
  ).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  expect(new Set(counts.map(({ start }: { start: number }) => start)).size).toBe(1);
});
