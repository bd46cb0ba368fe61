/**
 * Scheduled changes, with a controllable clock: the launch-day pair prepared the
 * day before ("maintenance on at 02:00 UTC", "off at 02:30") both happen on
 * time, each a version credited to the admin who scheduled it; a publish of the
 * draft; a late run says so; "only if live is still version N" skips visibly;
 * a change no longer valid fails visibly; pending ones can be cancelled.
 */
import { auth, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';
import { editRow, readRow } from '../helpers/chain';
import { historyRows } from '../helpers/history';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';
import { valueOf } from '../ops/helpers/prometheus';

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp();
  admin = await registerSuperAdmin(app);
});
afterEach(() => app.strapi.plugin('platform-settings').service('clock').reset());
afterAll(() => app?.stop());

const plugin = () => app.strapi.plugin('platform-settings');
const clock = () => plugin().service('clock');
const runDue = () => plugin().service('schedules').runDue();
const schedule = (body: Record<string, unknown>) =>
  app.request.post('/platform-settings/schedules').set(auth(admin.token)).send(body);
const list = async () =>
  (await app.request.get('/platform-settings/schedules').set(auth(admin.token)).expect(200)).body
    .data;
const live = async () => (await app.request.get('/api/platform-settings').expect(200)).body.data;
const metric = async (result: string) =>
  valueOf((await app.request.get('/metrics')).text, 'settings_schedules_total', { result });

/** Tomorrow at hh:mm UTC. */
const tomorrowAt = (hours: number, minutes: number) => {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() + 1);
  day.setUTCHours(hours, minutes, 0, 0);
  return day;
};

it('runs the launch-day pair on time, each a version credited to the admin who scheduled it', async () => {
  const on = await schedule({
    kind: 'patch',
    runAt: tomorrowAt(2, 0).toISOString(),
    data: { maintenanceMode: true },
    note: 'Launch: maintenance on',
  }).expect(201);
  await schedule({
    kind: 'patch',
    runAt: tomorrowAt(2, 30).toISOString(),
    data: { maintenanceMode: false },
    note: 'Launch: maintenance off',
  }).expect(201);
  const { pending } = await list();
  expect(pending.map((s: { note: string }) => s.note)).toEqual([
    'Launch: maintenance on',
    'Launch: maintenance off',
  ]);
  expect(pending[0].diff).toEqual([{ field: 'maintenanceMode', from: false, to: true }]);
  const before = (await live()).version;

  // 01:59: nothing yet.
  clock().travelTo(tomorrowAt(1, 59));
  await runDue();
  expect((await live()).version).toBe(before);

  clock().travelTo(tomorrowAt(2, 0).getTime() + 5_000);
  await runDue();
  expect(await live()).toMatchObject({ version: before + 1, maintenanceMode: true });
  const made = (await historyRows(app.strapi)).at(-1)!;
  expect(made).toMatchObject({
    version: before + 1,
    note: 'Launch: maintenance on',
    author: {
      kind: 'admin',
      id: admin.id,
      name: admin.name,
      scheduled: { id: on.body.data.id, runAt: tomorrowAt(2, 0).toISOString() },
    },
  });
  // Exactly once: running again changes nothing.
  await runDue();
  expect((await live()).version).toBe(before + 1);

  clock().travelTo(tomorrowAt(2, 30).getTime() + 5_000);
  await runDue();
  expect(await live()).toMatchObject({ version: before + 2, maintenanceMode: false });
  const { pending: left, past } = await list();
  expect(left).toEqual([]);
  expect(past.slice(0, 2).map((s: { status: string }) => s.status)).toEqual(['done', 'done']);
});

it('publishes the draft at its time, and says when it ran late', async () => {
  await app.request
    .put('/api/platform-settings?status=draft')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Prepared the day before' } })
    .expect(200);
  const runAt = tomorrowAt(9, 0);
  await schedule({ kind: 'publish', runAt: runAt.toISOString(), note: 'Go live' }).expect(201);
  // The server was down at 09:00; it comes back at 09:20.
  clock().travelTo(runAt.getTime() + 20 * 60_000);
  await runDue();
  expect((await live()).heroTitle).toBe('Prepared the day before');
  expect((await historyRows(app.strapi)).at(-1)!.note).toMatch(
    /^Go live \(ran late: scheduled for .*, the server was not running then\)$/
  );
});

it('skips, visibly, a change made "only if live is still version N" when live moved on', async () => {
  const { version } = await live();
  const skippedBefore = await metric('skipped');
  const created = await schedule({
    kind: 'patch',
    runAt: tomorrowAt(10, 0).toISOString(),
    data: { tagline: 'Only on top of what I saw' },
    ifVersion: version,
  }).expect(201);
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'Someone else' } })
    .expect(200);
  clock().travelTo(tomorrowAt(10, 1));
  await runDue();
  expect((await live()).tagline).toBe('Someone else');
  const done = (await list()).past.find((s: { id: number }) => s.id === created.body.data.id);
  expect(done).toMatchObject({
    status: 'skipped',
    resultMessage: expect.stringMatching(/no longer version/),
  });
  expect(await metric('skipped')).toBe(skippedBefore + 1);
});

it('fails, visibly, a change that is no longer valid, and changes nothing', async () => {
  const target = (await live()).version;
  const created = await schedule({
    kind: 'rollback',
    runAt: tomorrowAt(11, 0).toISOString(),
    targetVersion: target,
  }).expect(201);
  // The target was edited behind the API's back since: it may not be published again.
  const row = await readRow(app.strapi, target);
  const undo = await editRow(app.strapi, target, {
    data: JSON.stringify({ ...row.data, heroTitle: 'Forged' }),
  });
  const failedBefore = await metric('failed');
  try {
    clock().travelTo(tomorrowAt(11, 1));
    const version = (await live()).version;
    await runDue();
    expect((await live()).version).toBe(version);
    const done = (await list()).past.find((s: { id: number }) => s.id === created.body.data.id);
    expect(done).toMatchObject({
      status: 'failed',
      resultMessage: expect.stringMatching(/^Failed: Version/),
    });
    expect(await metric('failed')).toBe(failedBefore + 1);
  } finally {
    await undo();
  }
});

it('cancels a pending schedule, once', async () => {
  const created = await schedule({
    kind: 'patch',
    runAt: tomorrowAt(12, 0).toISOString(),
    data: { ctaLabel: 'Never' },
  }).expect(201);
  const id = created.body.data.id;
  const cancelled = await app.request
    .delete(`/platform-settings/schedules/${id}`)
    .set(auth(admin.token))
    .expect(200);
  expect(cancelled.body.data.status).toBe('cancelled');
  // Cancelled is finished: a second cancel conflicts with it.
  await app.request.delete(`/platform-settings/schedules/${id}`).set(auth(admin.token)).expect(409);
  clock().travelTo(tomorrowAt(12, 1));
  await runDue();
  expect((await live()).ctaLabel).not.toBe('Never');
});

it.each([
  [
    'a time in the past',
    { kind: 'patch', runAt: '2020-01-01T00:00:00Z', data: { tagline: 'x' } },
    'runAt',
  ],
  [
    'a time without its time zone',
    { kind: 'patch', runAt: '2099-01-01T02:00', data: { tagline: 'x' } },
    'runAt',
  ],
  ['an unknown kind', { kind: 'delete', runAt: '2099-01-01T02:00:00Z' }, 'kind'],
  [
    'an invalid patch',
    { kind: 'patch', runAt: '2099-01-01T02:00:00Z', data: { primaryColor: 'blue' } },
    'data.primaryColor',
  ],
  [
    'a rollback without a version',
    { kind: 'rollback', runAt: '2099-01-01T02:00:00Z' },
    'targetVersion',
  ],
])('refuses %s with a 422 naming the field', async (_case, body, field) => {
  const res = await schedule(body).expect(422);
  expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path.join('.'))).toContain(
    field
  );
});
