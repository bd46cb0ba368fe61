/**
 * Schedules are signed intent: a row the server did not sign (inserted or edited
 * in the database) never runs and shows as failed: tampered; data is validated
 * again when it runs; scheduling needs the permission of the change, at creation
 * and again at run time; a schedule is cancelled or run, never both.
 */
import type { Knex } from 'knex';
import { auth, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';
import { historyRows } from '../helpers/history';
import { SIGNING_KEY, bootApp, type TestApp } from '../helpers/strapi';
import { valueOf } from '../ops/helpers/prometheus';
import {
  SCHEDULES_TABLE,
  adminWithPermissions,
  editSchedule,
  insertSchedule,
  readSchedule,
  type ScheduleRow,
} from './schedule-rows';

const SCHEDULE = 'plugin::platform-settings.schedule';
const ROLLBACK = 'plugin::platform-settings.history.rollback';
const READ = 'plugin::platform-settings.history.read';
const SETTINGS = 'plugin::platform-settings.setting';
const CM_PUBLISH = 'plugin::content-manager.explorer.publish';
const CM_UPDATE = 'plugin::content-manager.explorer.update';

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp();
  admin = await registerSuperAdmin(app);
});
afterEach(() => {
  jest.restoreAllMocks();
  app.strapi.plugin('platform-settings').service('clock').reset();
});
afterAll(() => app?.stop());

const plugin = () => app.strapi.plugin('platform-settings');
const clock = () => plugin().service('clock');
const runDue = () => plugin().service('schedules').runDue();
const live = async () => (await app.request.get('/api/platform-settings').expect(200)).body.data;
const metric = async (result: string) =>
  valueOf((await app.request.get('/metrics')).text, 'settings_schedules_total', { result });
const list = async (token = admin.token) =>
  (await app.request.get('/platform-settings/schedules').set(auth(token)).expect(200)).body.data;
const find = async (id: number) => {
  const { pending, past } = await list();
  return [...pending, ...past].find((s: { id: number }) => s.id === id);
};
const scheduleAs = (token: string, body: Record<string, unknown>) =>
  app.request.post('/platform-settings/schedules').set(auth(token)).send(body);
const scheduleCount = async () => {
  const knex = app.strapi.db.connection as unknown as Knex;
  const row = (await knex(SCHEDULES_TABLE).count('* as n').first()) as { n: unknown };
  return Number(row.n);
};

let hour = 0;
/** A distinct time tomorrow for each test, and the moment just after it. */
const nextSlot = () => {
  const at = new Date();
  at.setUTCDate(at.getUTCDate() + 1);
  at.setUTCHours(0, 0, 0, 0);
  hour += 1;
  const runAt = new Date(at.getTime() + hour * 10 * 60_000);
  return { runAt, after: runAt.getTime() + 5_000 };
};

const patchRow = (runAt: Date, overrides: Partial<ScheduleRow> = {}): ScheduleRow => ({
  kind: 'patch',
  runAt,
  data: { tagline: `Scheduled at ${runAt.toISOString()}` },
  note: 'Prepared in the admin',
  author: { kind: 'admin', id: admin.id, name: admin.name },
  ...overrides,
});

/** Runs what is due just after `after`; returns how many versions that made. */
const runAt = async (after: number) => {
  const before = (await live()).version;
  clock().travelTo(after);
  await runDue();
  return (await live()).version - before;
};

describe('a row the server did not sign', () => {
  it('runs when signed and untouched (the control)', async () => {
    const { runAt: at, after } = nextSlot();
    const id = await insertSchedule(app.strapi, patchRow(at), { sign: true });
    expect(await runAt(after)).toBe(1);
    expect(await find(id)).toMatchObject({ status: 'done', failureReason: null });
  });

  it('never runs when inserted straight into the table: failed, tampered, logged and counted', async () => {
    const { runAt: at, after } = nextSlot();
    const tamperedBefore = await metric('tampered');
    const id = await insertSchedule(
      app.strapi,
      patchRow(at, { data: { heroTitle: 'Inserted by a database writer' } }),
      { sign: false }
    );
    const errors = jest.spyOn(app.strapi.log, 'error');
    expect(await runAt(after)).toBe(0);
    expect((await live()).heroTitle).not.toBe('Inserted by a database writer');
    expect(await find(id)).toMatchObject({
      status: 'failed',
      failureReason: 'tampered',
      resultVersion: null,
      resultMessage: expect.stringMatching(/^Failed: tampered/),
    });
    expect(await metric('tampered')).toBe(tamperedBefore + 1);
    expect(errors).toHaveBeenCalledWith(
      expect.stringContaining(`schedule ${id}`),
      expect.objectContaining({ event: 'schedule.tampered', schedule: id })
    );
    const logged = JSON.stringify(errors.mock.calls);
    expect(logged).not.toContain(SIGNING_KEY);
  });

  it.each([
    ['its data', { data: JSON.stringify({ tagline: 'Edited in the database' }) }],
    ['its author', { author: JSON.stringify({ kind: 'admin', id: 999, name: 'Someone else' }) }],
    ['its note', { note: 'A note nobody wrote' }],
    ['its kind', { kind: 'publish', data: null }],
    ['its condition', { if_version: 1 }],
    ['its MAC format', { mac_format: 2 }],
    ['its MAC, removed', { mac: null }],
  ])('never runs once %s is edited in the database', async (_what, columns) => {
    const { runAt: at, after } = nextSlot();
    const id = await insertSchedule(app.strapi, patchRow(at), { sign: true });
    await editSchedule(app.strapi, id, columns);
    expect(await runAt(after)).toBe(0);
    expect(await find(id)).toMatchObject({ status: 'failed', failureReason: 'tampered' });
  });

  it('never runs once its time is moved in the database, and the list says so before it is due', async () => {
    const { runAt: at } = nextSlot();
    const id = await insertSchedule(app.strapi, patchRow(at), { sign: true });
    await editSchedule(app.strapi, id, { run_at: new Date(at.getTime() - 60_000) });
    const { pending, past } = await list();
    expect(pending.map((s: { id: number }) => s.id)).not.toContain(id);
    expect(past.find((s: { id: number }) => s.id === id)).toMatchObject({
      status: 'failed',
      failureReason: 'tampered',
    });
  });

  it('fails a signed row whose data is not valid with the 422 reason, and makes no version', async () => {
    const { runAt: at, after } = nextSlot();
    const failedBefore = await metric('failed');
    const id = await insertSchedule(
      app.strapi,
      patchRow(at, { data: { heroTitle: 'x'.repeat(500) } }),
      {
        sign: true,
      }
    );
    expect(await runAt(after)).toBe(0);
    expect(await find(id)).toMatchObject({
      status: 'failed',
      failureReason: 'invalid',
      resultVersion: null,
      resultMessage: expect.stringMatching(/^Failed: Invalid schedule data: data\.heroTitle /),
    });
    expect(await metric('failed')).toBe(failedBefore + 1);
  });
});

describe('permissions', () => {
  let scheduler: Awaited<ReturnType<typeof adminWithPermissions>>;
  beforeAll(async () => {
    scheduler = await adminWithPermissions(app, 'scheduler', [
      { action: SCHEDULE },
      { action: READ },
    ]);
  });

  it.each([
    ['a rollback', { kind: 'rollback', targetVersion: 1 }, ROLLBACK],
    ['a publish', { kind: 'publish' }, `${CM_PUBLISH} on ${SETTINGS}`],
    ['a patch', { kind: 'patch', data: { tagline: 'x' } }, `${CM_UPDATE} on ${SETTINGS}`],
  ])(
    'refuses %s with 403 naming the permission, and stores nothing, for an admin with only `schedule`',
    async (_what, body, permission) => {
      const before = await scheduleCount();
      const res = await scheduleAs(scheduler.token, {
        ...body,
        runAt: nextSlot().runAt.toISOString(),
      }).expect(403);
      expect(res.body.error.message).toContain(permission);
      expect(await scheduleCount()).toBe(before);
    }
  );

  it('accepts each kind from an admin who holds what it does', async () => {
    const editor = await adminWithPermissions(app, 'editor', [
      { action: SCHEDULE },
      { action: ROLLBACK },
      { action: CM_UPDATE, subject: SETTINGS },
      { action: CM_PUBLISH, subject: SETTINGS },
    ]);
    for (const body of [
      { kind: 'rollback', targetVersion: 1 },
      { kind: 'publish' },
      { kind: 'patch', data: { tagline: 'x' } },
    ]) {
      const res = await scheduleAs(editor.token, {
        ...body,
        runAt: nextSlot().runAt.toISOString(),
      }).expect(201);
      await app.request
        .delete(`/platform-settings/schedules/${res.body.data.id}`)
        .set(auth(editor.token))
        .expect(200);
    }
  });

  it('refuses a patch to an admin who may publish but not update', async () => {
    const publisher = await adminWithPermissions(app, 'publisher', [
      { action: SCHEDULE },
      { action: CM_PUBLISH, subject: SETTINGS },
    ]);
    const res = await scheduleAs(publisher.token, {
      kind: 'patch',
      data: { tagline: 'x' },
      runAt: nextSlot().runAt.toISOString(),
    }).expect(403);
    expect(res.body.error.message).toContain(CM_UPDATE);
    await scheduleAs(publisher.token, {
      kind: 'publish',
      runAt: nextSlot().runAt.toISOString(),
    }).expect(201);
  });

  it('fails at run time when its author lost the permission since, and makes no version', async () => {
    const grants = [
      { action: SCHEDULE },
      { action: CM_UPDATE, subject: SETTINGS },
      { action: CM_PUBLISH, subject: SETTINGS },
    ];
    const author = await adminWithPermissions(app, 'leaver', grants);
    const { runAt: at, after } = nextSlot();
    const created = await scheduleAs(author.token, {
      kind: 'patch',
      data: { tagline: 'After my role changed' },
      runAt: at.toISOString(),
    }).expect(201);
    await author.setPermissions([{ action: SCHEDULE }, { action: CM_UPDATE, subject: SETTINGS }]);
    expect(await runAt(after)).toBe(0);
    expect(await find(created.body.data.id)).toMatchObject({
      status: 'failed',
      failureReason: 'forbidden',
      resultMessage: expect.stringContaining(`no longer has the permission ${CM_PUBLISH}`),
    });
  });

  it('fails at run time when its author was deactivated since', async () => {
    const author = await adminWithPermissions(app, 'deactivated', [
      { action: SCHEDULE },
      { action: CM_PUBLISH, subject: SETTINGS },
    ]);
    const { runAt: at, after } = nextSlot();
    const created = await scheduleAs(author.token, {
      kind: 'publish',
      runAt: at.toISOString(),
    }).expect(201);
    await app.strapi.db
      .query('admin::user')
      .update({ where: { id: author.id }, data: { isActive: false } });
    expect(await runAt(after)).toBe(0);
    expect(await find(created.body.data.id)).toMatchObject({
      status: 'failed',
      failureReason: 'forbidden',
      resultMessage: expect.stringMatching(/is no longer active/),
    });
  });
});

describe('cancelled or run, never both', () => {
  const create = async (at: Date, tagline: string) =>
    (
      await scheduleAs(admin.token, {
        kind: 'patch',
        data: { tagline },
        runAt: at.toISOString(),
      }).expect(201)
    ).body.data.id as number;
  const cancel = (id: number) =>
    app.request.delete(`/platform-settings/schedules/${id}`).set(auth(admin.token));

  it('answers 409 to a cancel that arrives while the schedule runs, and it runs once', async () => {
    const { runAt: at, after } = nextSlot();
    const id = await create(at, 'Running while cancelled');
    const versioning = plugin().service('versioning');
    const commit = versioning.commit.bind(versioning);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    jest.spyOn(versioning, 'commit').mockImplementation(async (...args: unknown[]) => {
      entered();
      await gate;
      return commit(...args);
    });
    const before = (await live()).version;
    clock().travelTo(after);
    const run = runDue();
    await started;
    const res = await cancel(id).expect(409);
    expect(res.body.error.message).toMatch(/running now/);
    release();
    await run;
    await runDue();
    expect((await live()).version).toBe(before + 1);
    expect((await live()).tagline).toBe('Running while cancelled');
    expect(await find(id)).toMatchObject({ status: 'done' });
    const made = (await historyRows(app.strapi)).filter(
      (row) => (row.author as { scheduled?: { id: number } }).scheduled?.id === id
    );
    expect(made).toHaveLength(1);
  });

  it('answers 409 to a cancel of a schedule that already ran, or was cancelled', async () => {
    const { runAt: at, after } = nextSlot();
    const id = await create(at, 'Already done');
    expect(await runAt(after)).toBe(1);
    await cancel(id).expect(409);
    const later = await create(nextSlot().runAt, 'Cancelled once');
    await cancel(later).expect(200);
    await cancel(later).expect(409);
  });

  it('gives a schedule back to pending when the run fails for a passing reason, and runs it later', async () => {
    const { runAt: at, after } = nextSlot();
    const id = await create(at, 'After the outage');
    jest
      .spyOn(plugin().service('versioning'), 'commit')
      .mockRejectedValueOnce(new Error('connection terminated'));
    expect(await runAt(after)).toBe(0);
    expect(await readSchedule(app.strapi, id)).toMatchObject({ status: 'pending' });
    expect(await runAt(after + 1_000)).toBe(1);
    expect(await find(id)).toMatchObject({ status: 'done' });
  });

  it('takes over a claim left by an instance that stopped mid-run, once it is stale', async () => {
    const { runAt: at, after } = nextSlot();
    const id = await create(at, 'Claimed by a crashed instance');
    await editSchedule(app.strapi, id, { status: 'running', claimed_at: new Date(after) });
    // A fresh claim is left alone...
    expect(await runAt(after + 60_000)).toBe(0);
    expect(await readSchedule(app.strapi, id)).toMatchObject({ status: 'running' });
    // ...a stale one is taken over.
    expect(await runAt(after + 10 * 60_000)).toBe(1);
    expect(await find(id)).toMatchObject({ status: 'done' });
  });
});
