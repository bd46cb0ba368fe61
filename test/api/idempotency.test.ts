import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { historyRows } from '../helpers/history';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp();
});
afterAll(() => app?.stop());

const put = (key: string, data: Record<string, unknown>) =>
  app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .set('Idempotency-Key', key)
    .send({ data });

it('answers a retried PUT with the first result and makes one version', async () => {
  const first = await put('deploy-42', { heroTitle: 'Deployed' }).expect(200);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  await put('other', { heroTitle: 'Later change' }).expect(200);

  const retry = await put('deploy-42', { heroTitle: 'Deployed' }).expect(200);
  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(retry.body).toEqual(first.body);
  expect(retry.headers.etag).toBe(first.headers.etag);
  expect((await historyRows(app.strapi)).map((row) => row.version)).toEqual([1, 2, 3]);
});

it('makes one version when the same request races itself', async () => {
  const before = (await historyRows(app.strapi)).length;
  const results = await Promise.all(
    Array.from({ length: 8 }, () => put('race-1', { tagline: 'Raced' }))
  );
  expect(results.map((res) => res.status)).toEqual(Array(8).fill(200));
  // Every racer gets the one change (not a "nothing changed" answer), and it is one version.
  expect(results.map((res) => res.body.meta)).toEqual(
    Array(8).fill({ changed: true, changedFields: ['tagline'] })
  );
  expect(results.filter((res) => res.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
  expect(new Set(results.map((res) => res.body.data.version)).size).toBe(1);
  expect(await historyRows(app.strapi)).toHaveLength(before + 1);
});

it('refuses to reuse a key for a different body, and rejects malformed keys', async () => {
  const before = await historyRows(app.strapi);
  const reused = await put('deploy-42', { heroTitle: 'Something else' }).expect(422);
  expect(reused.body.error.details.errors[0].path).toEqual(['Idempotency-Key']);
  await put('x'.repeat(256), { heroTitle: 'Too long a key' }).expect(422);
  await put('has space', { heroTitle: 'Bad key' }).expect(422);
  expect(await historyRows(app.strapi)).toEqual(before);
});

it('replays a retried rollback instead of reverting a change made in between', async () => {
  const target = (await historyRows(app.strapi)).length - 1;
  const rollback = () =>
    app.request
      .post(`/api/platform-settings/rollback/${target}`)
      .set(founderHeaders)
      .set('Idempotency-Key', 'rollback-7')
      .send({ note: 'undo the last change' });
  const first = await rollback().expect(200);
  expect(first.headers['idempotent-replayed']).toBeUndefined();
  // Someone else changes the settings after the rollback...
  const theirs = await put('their-change', { siteName: 'Their change' }).expect(200);
  // ...and the rollback's retry (a lost answer, a script re-run) must not undo it.
  const retry = await rollback().expect(200);
  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(retry.body).toEqual(first.body);
  const live = await app.request.get('/api/platform-settings').expect(200);
  expect(live.body.data).toMatchObject({
    version: theirs.body.data.version,
    siteName: 'Their change',
  });
  // The same key for another target is a different request.
  await app.request
    .post(`/api/platform-settings/rollback/1`)
    .set(founderHeaders)
    .set('Idempotency-Key', 'rollback-7')
    .send({ note: 'undo the last change' })
    .expect(422);
});

it('remembers a key whose first use changed nothing', async () => {
  const live = (await app.request.get('/api/platform-settings').expect(200)).body.data;
  const first = await put('no-op-1', { siteName: live.siteName }).expect(200);
  expect(first.body.meta).toEqual({ changed: false, changedFields: [] });
  await put('changes-it', { siteName: 'Changed since' }).expect(200);
  const versions = (await historyRows(app.strapi)).length;

  const retry = await put('no-op-1', { siteName: live.siteName }).expect(200);
  expect(retry.headers['idempotent-replayed']).toBe('true');
  expect(retry.body).toEqual(first.body);
  expect(await historyRows(app.strapi)).toHaveLength(versions);
  expect((await app.request.get('/api/platform-settings')).body.data.siteName).toBe(
    'Changed since'
  );
});
