/**
 * Attacks on signed schedules that work today. A schedule row's MAC covers what
 * it will do (kind, time, data, target, condition, author, note, created at) but
 * not whether it may still run: its status and its row id are outside the MAC.
 * So a database writer without the key can make the server run again, or run at
 * all, intent that an admin signed once, withdrew, or already had carried out;
 * the version it makes is signed by the server and credited to that admin.
 * Each test asserts the secure outcome and FAILS until the code is fixed.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { auth, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';
import { historyRows } from '../helpers/history';
import { bootApp, founderHeaders, SIGNING_KEY, type TestApp } from '../helpers/strapi';
import { archive, expectExit } from '../ops/helpers/archive';
import { editSchedule, readSchedule, SCHEDULES_TABLE } from '../drafts/schedule-rows';

let app: TestApp;
let admin: SignedInAdmin;

beforeAll(async () => {
  app = await bootApp();
  admin = await registerSuperAdmin(app);
});
afterEach(() => app.strapi.plugin('platform-settings').service('clock').reset());
afterAll(() => app?.stop());

const plugin = () => app.strapi.plugin('platform-settings');
const knex = () => app.strapi.db.connection as unknown as Knex;
const live = async () => (await app.request.get('/api/platform-settings').expect(200)).body.data;

let slot = 0;
/** A distinct time tomorrow for each test, and the moment just after it. */
const nextSlot = () => {
  const at = new Date();
  at.setUTCDate(at.getUTCDate() + 1);
  at.setUTCHours(6, 0, 0, 0);
  slot += 1;
  const runAt = new Date(at.getTime() + slot * 10 * 60_000);
  return { runAt, after: runAt.getTime() + 5_000 };
};
const runDueAt = async (at: number) => {
  plugin().service('clock').travelTo(at);
  await plugin().service('schedules').runDue();
};
const schedulePatch = async (runAt: Date, data: Record<string, unknown>) =>
  (
    await app.request
      .post('/platform-settings/schedules')
      .set(auth(admin.token))
      .send({ kind: 'patch', runAt: runAt.toISOString(), data })
      .expect(201)
  ).body.data.id as number;
const madeBy = async (id: number) =>
  (await historyRows(app.strapi)).filter(
    (row) => (row.author as { scheduled?: { id: number } }).scheduled?.id === id
  );

beforeAll(async () => {
  if (!(await app.request.get('/api/platform-settings')).ok) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { tagline: 'Start' } })
      .expect(200);
  }
});

/**
 * Attack: the admin schedules "ctaUrl → the spring campaign", then thinks better
 * of it and cancels it (200, status cancelled). A database writer sets the row's
 * status back to `pending`. Its MAC still verifies (status is not signed), so it
 * runs at its time and the server signs a version "by" the admin who cancelled it.
 *
 * Secure outcome: a cancelled schedule never runs (cancelling withdraws the
 * signature, or the status is signed): it fails as tampered, live is unchanged.
 */
it('a cancelled schedule never runs after its status is set back to pending in the database', async () => {
  const { runAt, after } = nextSlot();
  const id = await schedulePatch(runAt, { ctaUrl: 'https://example.com/withdrawn' });
  await app.request.delete(`/platform-settings/schedules/${id}`).set(auth(admin.token)).expect(200);
  await editSchedule(app.strapi, id, { status: 'pending', result_message: null });

  const before = (await live()).version;
  await runDueAt(after);
  expect((await live()).version).toBe(before);
  expect((await live()).ctaUrl).not.toBe('https://example.com/withdrawn');
  expect(await madeBy(id)).toHaveLength(0);
  expect(await readSchedule(app.strapi, id)).toMatchObject({
    status: 'failed',
    failure_reason: 'tampered',
  });
});

/**
 * Attack: a patch schedule ran once (done, version N, "tagline → Summer sale").
 * The tagline has moved on since. A database writer copies the done row into a
 * new row (same signed columns, same MAC, status pending, a new id). The copy
 * verifies (the row id is not signed, and the Idempotency-Key is `schedule:<id>`,
 * so the first run's version is not found), and it runs: the summer-sale tagline
 * is back, in a version the server signs and credits to the admin.
 *
 * Secure outcome: one signed intent runs at most once: the copy makes no version
 * (it fails as tampered, or replays the first run).
 */
it('a copy of a schedule that already ran never runs again', async () => {
  const { runAt, after } = nextSlot();
  const id = await schedulePatch(runAt, { tagline: 'Summer sale' });
  await runDueAt(after);
  expect(await readSchedule(app.strapi, id)).toMatchObject({ status: 'done' });
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { tagline: 'Autumn' } })
    .expect(200);

  const { id: _id, ...original } = await readSchedule(app.strapi, id);
  await knex()(SCHEDULES_TABLE).insert({
    ...original,
    status: 'pending',
    claimed_at: null,
    failure_reason: null,
    result_version: null,
    result_message: null,
    ran_at: null,
  });

  const before = (await live()).version;
  await runDueAt(after + 60_000);
  expect((await live()).tagline).toBe('Autumn');
  expect((await live()).version).toBe(before);
  expect(await madeBy(id)).toHaveLength(1);
});

/**
 * Attack: as above, but on the same row, once the operator archived the version
 * it made (`history:archive` moves that history row, and with it the
 * Idempotency-Key `schedule:<id>` that a replay looks for, into a file). A
 * database writer sets the done row back to `pending`: it verifies and runs
 * again, and the server signs a version undoing what was published since.
 *
 * Secure outcome: a schedule that ran never runs again, archived or not.
 */
it('a done schedule set back to pending never runs again after its version was archived', async () => {
  const { runAt, after } = nextSlot();
  const id = await schedulePatch(runAt, { tagline: 'Winter sale' });
  await runDueAt(after);
  expect(await readSchedule(app.strapi, id)).toMatchObject({ status: 'done' });
  for (const tagline of ['Spring', 'Spring, again']) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { tagline } })
      .expect(200);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-attack-'));
  try {
    expectExit(
      await archive(['--keep', '1', '--dir', dir], {
        ...app.database.env,
        HISTORY_SIGNING_KEY: SIGNING_KEY,
      }),
      0
    );
    await editSchedule(app.strapi, id, { status: 'pending' });
    const before = (await live()).version;
    await runDueAt(after + 60_000);
    expect((await live()).tagline).toBe('Spring, again');
    expect((await live()).version).toBe(before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Attack: an admin schedules "publish the draft" for tomorrow morning, having
 * reviewed the draft. A scheduled publish signs only its kind and time, not what
 * the draft holds, and the draft row is not signed at all. A database writer
 * edits the draft row (ctaUrl → a `javascript:` URL, which the API refuses with
 * 422). At the schedule's time the server publishes the edited draft, without
 * validating it, and signs the version "by" the admin.
 *
 * Secure outcome: a scheduled publish publishes the draft the admin scheduled, or
 * nothing: the signed intent binds the draft's content (a digest of it), and a
 * changed draft fails the schedule as tampered; and what is published is
 * validated again like a patch's data.
 */
it('a scheduled publish never publishes a draft edited in the database after it was scheduled', async () => {
  const reviewed = 'https://example.com/reviewed';
  await app.request
    .put('/platform-settings/draft')
    .set(auth(admin.token))
    .send({ data: { ctaUrl: reviewed } });
  const draftBefore = await knex()('platform_settings').whereNull('published_at').first();
  const { runAt, after } = nextSlot();
  const id = (
    await app.request
      .post('/platform-settings/schedules')
      .set(auth(admin.token))
      .send({ kind: 'publish', runAt: runAt.toISOString() })
      .expect(201)
  ).body.data.id as number;

  const evil = 'javascript:alert(document.cookie)';
  if (draftBefore) {
    await knex()('platform_settings').where({ id: draftBefore.id }).update({ cta_url: evil });
  } else {
    const liveRow = await knex()('platform_settings').whereNotNull('published_at').first();
    const { id: _liveId, ...copy } = liveRow;
    await knex()('platform_settings').insert({ ...copy, published_at: null, cta_url: evil });
  }
  await runDueAt(after);
  // Read from the table: the public GET would serve it (and fail the OpenAPI check here).
  const published = await knex()('platform_settings').whereNotNull('published_at').first();
  expect(published.cta_url).not.toBe(evil);
  expect(await madeBy(id)).toHaveLength(0);
  expect(await readSchedule(app.strapi, id)).toMatchObject({ status: 'failed' });
});

/** A raw request (outside the OpenAPI-checked client: these paths are not in the document). */
const rawRequest = (
  method: string,
  urlPath: string,
  headers: Record<string, string>,
  body: Buffer,
  { pauseMs }: { pauseMs?: number } = {}
) =>
  new Promise<{ status: number | null; during: string[] }>((resolve) => {
    const server = app.strapi.server.httpServer;
    const { port } = server.address() as { port: number };
    let status: number | null = null;
    let during: string[] = [];
    const before = new Set(fs.readdirSync(os.tmpdir()));
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on('end', () => resolve({ status, during }));
    });
    req.on('error', () => resolve({ status, during }));
    req.write(body);
    if (pauseMs === undefined) {
      req.end();
      return;
    }
    // Mid-upload: what the server has written to the temp folder so far.
    setTimeout(() => {
      during = fs
        .readdirSync(os.tmpdir())
        .filter((name) => !before.has(name))
        .filter((name) => {
          try {
            return fs.statSync(path.join(os.tmpdir(), name)).size > 500_000;
          } catch {
            return false;
          }
        });
      req.destroy();
      setTimeout(() => resolve({ status, during }), 100);
    }, pauseMs);
  });

const listening = async () => {
  const server = app.strapi.server.httpServer;
  if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
};

/**
 * Attack (visitor): Strapi's router matches paths case-insensitively, the
 * plugin's body limit does not. `PUT /API/platform-settings` (or
 * `/api/Platform-Settings`) reaches the plugin's PUT — it answers 200 with the
 * founder key — but skips the 64 KB limit and the JSON-only check, so Strapi's
 * body parser reads and parses up to its own limit (1 MB JSON) before
 * authentication, from anyone.
 *
 * Secure outcome: the limit applies to every path the plugin's routes answer:
 * an unauthenticated 200 KB body is refused with 413 before it is read.
 */
it('the body limit holds on a case variant of the plugin path', async () => {
  await listening();
  const body = Buffer.from(JSON.stringify({ data: { tagline: 'x'.repeat(200_000) } }));
  const canonical = await rawRequest(
    'PUT',
    '/api/platform-settings',
    { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
    body
  );
  expect(canonical.status).toBe(413);
  for (const variant of ['/API/platform-settings', '/api/Platform-Settings']) {
    const answer = await rawRequest(
      'PUT',
      variant,
      { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
      body
    );
    expect({ variant, status: answer.status }).toEqual({ variant, status: 413 });
  }
});

/**
 * Attack (admin with only the plugin's `schedule` permission, none of the
 * Content Manager's and not `history.rollback`): the founder schedules a
 * rollback for 9:00 (to take down a bad ctaUrl). Schedule ids are sequential,
 * so without even `history.read` the attacker cancels it: 200, and the rollback
 * never runs. Creating that schedule needed `history.rollback`; cancelling it
 * needs nothing the attacker lacks, so the `schedule` permission alone is a veto
 * over every change anyone has scheduled.
 *
 * Secure outcome: cancelling a schedule needs what creating it needed (or being
 * its author): 403, and the schedule stays pending.
 */
it('an admin with only the schedule permission cannot cancel a rollback they could not have scheduled', async () => {
  const { adminWithPermissions } = await import('../drafts/schedule-rows');
  const scheduler = await adminWithPermissions(app, 'canceller', [
    { action: 'plugin::platform-settings.schedule' },
  ]);
  const { runAt } = nextSlot();
  const id = (
    await app.request
      .post('/platform-settings/schedules')
      .set(auth(admin.token))
      // A version still in the database (an earlier test archived the oldest ones).
      .send({ kind: 'rollback', targetVersion: (await live()).version, runAt: runAt.toISOString() })
      .expect(201)
  ).body.data.id as number;
  const res = await app.request
    .delete(`/platform-settings/schedules/${id}`)
    .set(auth(scheduler.token));
  expect(res.status).toBe(403);
  expect(await readSchedule(app.strapi, id)).toMatchObject({ status: 'pending' });
});
