/**
 * A database writer without the key resurrects a signed schedule of the home
 * page: the status of a schedule row is not signed, so a row cancelled by its
 * admin, or one that already ran, can be set back to `pending`. A signed intent
 * must run at most once, and never after it was cancelled. Cancelling and
 * running null the row's MAC, but the writer read it while the row was pending
 * (any time before, or from a backup) and writes it back.
 */
import type { Knex } from 'knex';
import { auth, registerSuperAdmin, type SignedInAdmin } from '../admin/admin-users';
import { SCHEDULES_TABLE } from '../drafts/schedule-rows';
import { ensureHomePage, homeDocuments, homeHistory } from '../helpers/home-page';
import { bootApp, type TestApp } from '../helpers/strapi';

const HOME = '/platform-settings/types/home-page';

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
afterEach(() => plugin().service('clock').reset());
afterAll(() => app?.stop());

const plugin = () => app.strapi.plugin('platform-settings');
const clock = () => plugin().service('clock');
const runDue = () => plugin().service('schedules').runDue();
const knex = () => app.strapi.db.connection as unknown as Knex;
const homeVersions = async () => (await homeHistory(app)).map((row) => row.version);
const scheduleHome = (body: Record<string, unknown>) =>
  app.request.post(`${HOME}/schedules`).set(auth(admin.token)).send(body);

/** The signature of a pending row, as a database reader sees it. */
const signatureOf = (id: number) =>
  knex()(SCHEDULES_TABLE).where({ id }).first('mac', 'signed_with', 'mac_format');

const saveDraft = async (data: Record<string, unknown>) => {
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).update({ documentId, status: 'draft', data });
};

let slot = 0;
const nextSlot = () => {
  slot += 1;
  const runAt = new Date(Date.now() + 24 * 3_600_000 + slot * 3_600_000);
  runAt.setUTCSeconds(0, 0);
  return { runAt, after: runAt.getTime() + 5_000 };
};

it('never runs a cancelled schedule set back to pending in the database', async () => {
  const { runAt, after } = nextSlot();
  const created = await scheduleHome({ kind: 'publish', runAt: runAt.toISOString() }).expect(201);
  const id = created.body.data.id;
  const signature = await signatureOf(id);
  await app.request.delete(`${HOME}/schedules/${id}`).set(auth(admin.token)).expect(200);
  // The attacker's copy waits in the draft (drafts are unsigned), then the cancelled intent is revived.
  await saveDraft({ closingCta: { heading: 'Revived', label: 'Go', url: '/revived' } });
  await knex()(SCHEDULES_TABLE)
    .where({ id })
    .update({ status: 'pending', ...signature });
  const before = await homeVersions();

  clock().travelTo(after);
  await runDue();

  expect(await homeVersions()).toEqual(before);
});

it('never runs a schedule twice, even when its first run changed nothing and its record is deleted', async () => {
  const { runAt, after } = nextSlot();
  // The draft equals what is published: the run changes nothing (no version, an unsigned record).
  const { documentId } = (await homeDocuments(app).findFirst({ status: 'draft' }))!;
  await homeDocuments(app).discardDraft({ documentId });
  const created = await scheduleHome({ kind: 'publish', runAt: runAt.toISOString() }).expect(201);
  const id = created.body.data.id;
  const signature = await signatureOf(id);
  clock().travelTo(after);
  await runDue();
  const ran = await knex()(SCHEDULES_TABLE).where({ id }).first();
  expect(ran.status).toBe('done');

  await saveDraft({ closingCta: { heading: 'Replayed', label: 'Go', url: '/replayed' } });
  await knex()('home_pages_idempotency_keys').del();
  await knex()(SCHEDULES_TABLE)
    .where({ id })
    .update({ status: 'pending', ...signature });
  const before = await homeVersions();
  await runDue();

  expect(await homeVersions()).toEqual(before);
});
