/**
 * Scheduled changes of the home page (a versioned type other than settings),
 * with a controllable clock, under `/platform-settings/types/home-page/schedules`:
 * a scheduled publish of the draft runs once and makes exactly one version,
 * credited to the admin who scheduled it, under the home page's lock and on
 * its chain (the settings' untouched); a scheduled rollback restores a version;
 * "only if live is still version N" is recorded as skipped; the home page's
 * `schedule` permission and the permission of the change are needed at
 * creation, and again when it runs; a row moved to another type in the
 * database never runs. Runs on SQLite, and on PostgreSQL or MariaDB with
 * DATABASE_URL.
 */
import type { Knex } from 'knex';
import { auth, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';
import { adminWithPermissions, editSchedule, SCHEDULES_TABLE } from '../drafts/schedule-rows';
import { historyRows } from '../helpers/history';
import { ensureHomePage, homeDocuments, homeHistory, HOME_PAGE_UID } from '../helpers/home-page';
import { bootApp, type TestApp } from '../helpers/strapi';

const HOME = '/platform-settings/types/home-page';
const HOME_READ = 'plugin::platform-settings.home-page.history.read';
const HOME_ROLLBACK = 'plugin::platform-settings.home-page.history.rollback';
const HOME_SCHEDULE = 'plugin::platform-settings.home-page.schedule';
const SETTINGS_READ = 'plugin::platform-settings.history.read';
const SETTINGS_ROLLBACK = 'plugin::platform-settings.history.rollback';
const SETTINGS_SCHEDULE = 'plugin::platform-settings.schedule';
const CM_PUBLISH = 'plugin::content-manager.explorer.publish';

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp({
    postgres: process.env.DATABASE_URL?.startsWith('postgres'),
    mysql: process.env.DATABASE_URL?.startsWith('mysql'),
  });
  await ensureHomePage(app);
  admin = await registerSuperAdmin(app);
});
afterEach(() => {
  jest.restoreAllMocks();
  plugin().service('clock').reset();
});
afterAll(() => app?.stop());

const plugin = () => app.strapi.plugin('platform-settings');
const clock = () => plugin().service('clock');
const runDue = () => plugin().service('schedules').runDue();
const homeType = () => plugin().service('versionedTypes').byUid(HOME_PAGE_UID);
const knex = () => app.strapi.db.connection as unknown as Knex;

const scheduleHome = (body: Record<string, unknown>, token = admin.token) =>
  app.request.post(`${HOME}/schedules`).set(auth(token)).send(body);
const listHome = async (token = admin.token) =>
  (await app.request.get(`${HOME}/schedules`).set(auth(token)).expect(200)).body.data;
const findHome = async (id: number) => {
  const { pending, past } = await listHome();
  return [...pending, ...past].find((s: { id: number }) => s.id === id);
};
const homeVersions = async () => (await homeHistory(app)).map((row) => row.version);
const published = () =>
  homeDocuments(app).findFirst({ status: 'published', populate: ['seo', 'closingCta'] });

/** Writes the home page's draft only: no version. */
const saveDraft = async (data: Record<string, unknown>) => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({ documentId, status: 'draft', data });
};
/** Publishes the home page with `data`: one version, written by code. */
const publishHome = async (data: Record<string, unknown>) => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({ documentId, status: 'published', data });
};

/** A fresh slot a day ahead (each test its own), and a moment just after it. */
let slot = 0;
const nextSlot = () => {
  slot += 1;
  const runAt = new Date(Date.now() + 24 * 3_600_000 + slot * 3_600_000);
  runAt.setUTCSeconds(0, 0);
  return { runAt, after: runAt.getTime() + 5_000 };
};

it('publishes the draft at its time: one version, on the home page chain, under its lock, once', async () => {
  await saveDraft({ seo: { title: 'Prepared the day before', description: 'Launch' } });
  const versions = await homeVersions();
  const settingsBefore = await historyRows(app.strapi);
  const { runAt, after } = nextSlot();

  const created = await scheduleHome({
    kind: 'publish',
    runAt: runAt.toISOString(),
    note: 'Go live',
  }).expect(201);
  expect(created.body.data).toMatchObject({ kind: 'publish', status: 'pending', note: 'Go live' });
  const { pending } = await listHome();
  expect(pending).toHaveLength(1);
  expect(pending[0].diff).toEqual([
    expect.objectContaining({
      field: 'seo',
      to: expect.objectContaining({ title: 'Prepared the day before' }),
    }),
  ]);
  // The settings' own list does not show it.
  const settingsList = await app.request
    .get('/platform-settings/schedules')
    .set(auth(admin.token))
    .expect(200);
  expect(settingsList.body.data.pending.map((s: { id: number }) => s.id)).not.toContain(
    created.body.data.id
  );

  const chains = plugin().service('chain');
  const homeLock = jest.spyOn(chains.of(homeType()), 'lock');
  const settingsLock = jest.spyOn(chains.of({ isSettings: true }), 'lock');
  clock().travelTo(after);
  await runDue();
  await runDue();

  // Exactly one version, credited to the admin, on the home page's chain only.
  expect(await homeVersions()).toEqual([...versions, versions.at(-1)! + 1]);
  const made = (await homeHistory(app)).at(-1)!;
  expect(made).toMatchObject({
    change_type: 'update',
    note: 'Go live',
    author: {
      kind: 'admin',
      id: admin.id,
      scheduled: { id: created.body.data.id, runAt: runAt.toISOString() },
    },
  });
  expect((await published())!.seo!.title).toBe('Prepared the day before');
  expect(homeLock).toHaveBeenCalledTimes(1);
  expect(settingsLock).not.toHaveBeenCalled();
  expect(await historyRows(app.strapi)).toEqual(settingsBefore);
  const verify = await app.request.get(`${HOME}/history/verify`).set(auth(admin.token)).expect(200);
  expect(verify.body.data).toMatchObject({ ok: true });
  expect(await findHome(created.body.data.id)).toMatchObject({
    status: 'done',
    resultVersion: versions.at(-1)! + 1,
    resultMessage: `Made version ${versions.at(-1)! + 1}`,
  });
});

it('rolls back to a version at its time, as a rollback version', async () => {
  const [first] = await homeHistory(app);
  await publishHome({ closingCta: { heading: 'Changed since', label: 'Go', url: '/go' } });
  const versions = await homeVersions();
  const { runAt, after } = nextSlot();
  const created = await scheduleHome({
    kind: 'rollback',
    targetVersion: first.version,
    runAt: runAt.toISOString(),
  }).expect(201);
  const { pending } = await listHome();
  expect(pending.find((s: { id: number }) => s.id === created.body.data.id).diff).not.toEqual([]);

  clock().travelTo(after);
  await runDue();

  expect(await homeVersions()).toEqual([...versions, versions.at(-1)! + 1]);
  const made = (await homeHistory(app)).at(-1)!;
  expect(made).toMatchObject({ change_type: 'rollback', restored_from: first.version });
  expect(made.data).toEqual(first.data);
  expect((await published())!.closingCta).toMatchObject(first.data.closingCta!);
  expect(await findHome(created.body.data.id)).toMatchObject({
    status: 'done',
    resultVersion: versions.at(-1)! + 1,
  });
});

it('records a schedule whose "only if" version is no longer live as skipped, making no version', async () => {
  const [latest] = (await homeVersions()).slice(-1);
  await saveDraft({ seo: { title: 'Only if nothing moved', description: 'Conditional' } });
  const { runAt, after } = nextSlot();
  const created = await scheduleHome({
    kind: 'publish',
    runAt: runAt.toISOString(),
    ifVersion: latest,
  }).expect(201);
  // Someone publishes in between: live moves past the condition (412 when it runs).
  await publishHome({ closingCta: { heading: 'Moved on', label: 'Go', url: '/go' } });
  const versions = await homeVersions();

  clock().travelTo(after);
  await runDue();

  expect(await homeVersions()).toEqual(versions);
  expect(await findHome(created.body.data.id)).toMatchObject({
    status: 'skipped',
    resultVersion: null,
    resultMessage: `Skipped: live is no longer version ${latest}`,
  });
});

it('accepts publish and rollback only, and a version that exists', async () => {
  const { runAt } = nextSlot();
  const patch = await scheduleHome({
    kind: 'patch',
    runAt: runAt.toISOString(),
    data: { heroTitle: 'Settings only' },
  }).expect(422);
  expect(patch.body.error.details.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        path: ['kind'],
        message: 'must be publish or rollback (a patch is for the settings only)',
      }),
    ])
  );
  const missing = await scheduleHome({
    kind: 'rollback',
    targetVersion: 999,
    runAt: runAt.toISOString(),
  }).expect(422);
  expect(missing.body.error.details.errors).toEqual([
    expect.objectContaining({ path: ['targetVersion'], message: 'version 999 does not exist' }),
  ]);
  expect((await listHome()).pending).toEqual([]);
});

describe('permissions', () => {
  it("refuses the settings' schedule permission on the home page, and the other way round", async () => {
    const settingsScheduler = await adminWithPermissions(app, 'settingsscheduler', [
      { action: SETTINGS_READ },
      { action: SETTINGS_SCHEDULE },
      { action: SETTINGS_ROLLBACK },
      { action: CM_PUBLISH, subject: 'plugin::platform-settings.setting' },
    ]);
    const homeScheduler = await adminWithPermissions(app, 'homescheduler', [
      { action: HOME_READ },
      { action: HOME_SCHEDULE },
      { action: HOME_ROLLBACK },
      { action: CM_PUBLISH, subject: HOME_PAGE_UID },
    ]);
    const { runAt } = nextSlot();
    const body = { kind: 'rollback', targetVersion: 1, runAt: runAt.toISOString() };

    const refused = await scheduleHome(body, settingsScheduler.token).expect(403);
    expect(refused.body.error.name).toBe('PolicyError');
    await app.request
      .post('/platform-settings/schedules')
      .set(auth(homeScheduler.token))
      .send(body)
      .expect(403);
    await app.request
      .post('/platform-settings/types/settings/schedules')
      .set(auth(homeScheduler.token))
      .send(body)
      .expect(403);

    // The home page's own: created, and cancelled only under its own path.
    const created = await scheduleHome(body, homeScheduler.token).expect(201);
    const id = created.body.data.id;
    await app.request
      .delete(`/platform-settings/schedules/${id}`)
      .set(auth(admin.token))
      .expect(404);
    await app.request
      .delete(`${HOME}/schedules/${id}`)
      .set(auth(settingsScheduler.token))
      .expect(403);
    const cancelled = await app.request
      .delete(`${HOME}/schedules/${id}`)
      .set(auth(homeScheduler.token))
      .expect(200);
    expect(cancelled.body.data).toMatchObject({ id, status: 'cancelled' });
  });

  it('needs the permission of the change itself: publishing the home page in the Content Manager', async () => {
    const noPublish = await adminWithPermissions(app, 'homenopublish', [
      { action: HOME_READ },
      { action: HOME_SCHEDULE },
      // Publishing the settings is not publishing the home page.
      { action: CM_PUBLISH, subject: 'plugin::platform-settings.setting' },
    ]);
    const { runAt } = nextSlot();
    const res = await scheduleHome(
      { kind: 'publish', runAt: runAt.toISOString() },
      noPublish.token
    ).expect(403);
    expect(res.body.error.message).toBe(
      `Scheduling a publish needs the permission ${CM_PUBLISH} on ${HOME_PAGE_UID}`
    );
    expect((await listHome()).pending).toEqual([]);
  });

  it('checks the author again when it runs: one who lost the permission makes no version', async () => {
    const author = await adminWithPermissions(app, 'homeformer', [
      { action: HOME_READ },
      { action: HOME_SCHEDULE },
      { action: CM_PUBLISH, subject: HOME_PAGE_UID },
    ]);
    await saveDraft({ seo: { title: 'Never published', description: 'Revoked' } });
    const { runAt, after } = nextSlot();
    const created = await scheduleHome(
      { kind: 'publish', runAt: runAt.toISOString() },
      author.token
    ).expect(201);
    await author.setPermissions([{ action: HOME_READ }, { action: HOME_SCHEDULE }]);
    const versions = await homeVersions();

    clock().travelTo(after);
    await runDue();

    expect(await homeVersions()).toEqual(versions);
    expect(await findHome(created.body.data.id)).toMatchObject({
      status: 'failed',
      failureReason: 'forbidden',
      resultMessage: expect.stringContaining(`${CM_PUBLISH} on ${HOME_PAGE_UID}`),
    });
  });
});

describe('signed rows', () => {
  it.each([
    ['to the settings', 'plugin::platform-settings.setting'],
    ['to no type (read as the settings)', null],
  ])('never runs a home page schedule moved %s in the database', async (_what, typeUid) => {
    const { runAt, after } = nextSlot();
    const created = await scheduleHome({
      kind: 'rollback',
      targetVersion: 1,
      runAt: runAt.toISOString(),
    }).expect(201);
    const id = created.body.data.id;
    await editSchedule(app.strapi, id, { type_uid: typeUid });
    const settingsBefore = await historyRows(app.strapi);
    const homeBefore = await homeVersions();

    clock().travelTo(after);
    await runDue();

    expect(await historyRows(app.strapi)).toEqual(settingsBefore);
    expect(await homeVersions()).toEqual(homeBefore);
    const row = await knex()(SCHEDULES_TABLE).where({ id }).first();
    expect(row).toMatchObject({ status: 'failed', failure_reason: 'tampered' });
  });
});
