/**
 * `GET /platform-settings/events`: the admin's stream of admin-only changes, through a real
 * connection with real admin JWTs. 401 without a token, 403 without `history.read`; with it,
 * `ready`, then `changed` for schedules and pins — made here, or elsewhere (another instance
 * writing the database) and noticed by the periodic check — while the PUBLIC stream hears
 * none of it. Every stream closes when the server stops.
 */
import { ACTIONS, adminWithActions, auth, type SignedInAdmin } from '../admin/admin-users';
import { ADMIN_EVENTS, bootAdminEventsApp } from '../helpers/admin-events';
import { openStream, type OpenStream } from '../helpers/event-stream';
import { ensureHomePage, HOME_TABLES, homeDocuments } from '../helpers/home-page';
import { founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
let url: string;
let superAdmin: SignedInAdmin;
let reader: SignedInAdmin;
let nobody: SignedInAdmin;
const opened: OpenStream[] = [];

beforeAll(async () => {
  ({ app, url, superAdmin, reader, nobody } = await bootAdminEventsApp());
  // v2, so there is a version to pin besides the first.
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Second' } })
    .expect(200);
});
afterEach(() => {
  opened.splice(0).forEach((stream) => stream.close());
});
afterAll(async () => {
  await app?.stop();
});

const openAdmin = async (token?: string) => {
  const stream = await openStream(url, token ? auth(token) : {}, { path: ADMIN_EVENTS });
  opened.push(stream);
  return stream;
};
/** The public stream, past its first frame (the settings on connect). */
const openPublic = async () => {
  const stream = await openStream(url);
  opened.push(stream);
  if (stream.events.length === 0) await stream.next();
  return stream;
};
/** An admin stream with a reader's token (or `token`), past `ready`. */
const openReady = async (token = reader.token) => {
  const stream = await openAdmin(token);
  const first = stream.events[0] ?? (await stream.next());
  expect(first).toMatchObject({ event: 'ready' });
  return stream;
};
const topicsOf = (event: { data?: string }) =>
  (JSON.parse(event.data ?? '{}') as { topics: string[] }).topics;
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
const service = (name: string) => app.strapi.plugin('platform-settings').service(name);

it('answers 401 without a token and 403 without the history read permission of any type', async () => {
  const anonymous = await openAdmin();
  expect(anonymous.status).toBe(401);
  const forbidden = await openAdmin(nobody.token);
  expect(forbidden.status).toBe(403);
  expect(service('adminEvents').open()).toBe(0);
});

it('opens for a reader: an event stream, never cached or buffered, that starts with ready', async () => {
  const stream = await openReady();
  expect(stream.status).toBe(200);
  expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  expect(stream.headers['cache-control']).toBe('no-store');
  expect(stream.headers['x-accel-buffering']).toBe('no');
});

it('sends schedule changes to the admin stream, and nothing to the public stream', async () => {
  const admin = await openReady();
  const publicStream = await openPublic();
  const publicEvents = publicStream.events.length;

  const created = admin.next();
  const res = await app.request
    .post('/platform-settings/schedules')
    .set(auth(superAdmin.token))
    .send({ kind: 'publish', runAt: inAnHour(), note: 'Launch' })
    .expect(201);
  expect(topicsOf(await created)).toEqual(['schedules']);

  const cancelled = admin.next();
  await app.request
    .delete(`/platform-settings/schedules/${res.body.data.id}`)
    .set(auth(superAdmin.token))
    .expect(200);
  expect(topicsOf(await cancelled)).toEqual(['schedules']);

  // Long enough for the periodic check (200 ms) to have run a few times.
  await expect(publicStream.next(1000)).rejects.toThrow(/no event/);
  expect(publicStream.events).toHaveLength(publicEvents);
});

it('sends pin changes to the admin stream, and nothing to the public stream', async () => {
  const admin = await openReady();
  const publicStream = await openPublic();
  const publicEvents = publicStream.events.length;

  const pinned = admin.next();
  await app.request
    .post('/platform-settings/history/1/pin')
    .set(auth(superAdmin.token))
    .send({ label: 'Known good' })
    .expect(200);
  expect(topicsOf(await pinned)).toEqual(['pins']);

  const unpinned = admin.next();
  await app.request
    .delete('/platform-settings/history/1/pin')
    .set(auth(superAdmin.token))
    .expect(200);
  expect(topicsOf(await unpinned)).toEqual(['pins']);

  await expect(publicStream.next(1000)).rejects.toThrow(/no event/);
  expect(publicStream.events).toHaveLength(publicEvents);
});

it('sends a change made by another instance (straight to the database), once', async () => {
  const admin = await openReady();
  // Let the first check take its baseline.
  await new Promise((resolve) => setTimeout(resolve, 400));

  // What another instance's services write: no request reaches this one.
  const scheduled = admin.next(3000);
  await service('schedules').create(
    { kind: 'publish', runAt: inAnHour() },
    { kind: 'admin', id: superAdmin.id, name: superAdmin.name }
  );
  expect(topicsOf(await scheduled)).toEqual(['schedules']);

  const pinned = admin.next(3000);
  await service('history').setPinned(2, true, 'From instance B');
  expect(topicsOf(await pinned)).toEqual(['pins']);

  // Nothing else moved: no repeat.
  await expect(admin.next(800)).rejects.toThrow(/no event/);
});

it('does not send versions: those are public, on the public stream', async () => {
  const admin = await openReady();
  const publicStream = await openPublic();
  const published = publicStream.next();
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Third' } })
    .expect(200);
  expect(await published).toMatchObject({ event: 'settings' });
  await expect(admin.next(800)).rejects.toThrow(/no event/);
});

describe('another versioned type (the home page)', () => {
  /** A new published version of the home page, written the way the Content Manager does. */
  const publishHome = async (title: string) => {
    const { documentId } = await ensureHomePage(app);
    await homeDocuments(app).update({ documentId, data: { seo: { title } }, status: 'published' });
  };

  it('sends its new versions as versions, to an admin who may read only its history', async () => {
    const homeReader = await adminWithActions(app, 'home-reader', [ACTIONS.homePage.read]);
    await ensureHomePage(app);
    const admin = await openReady(homeReader.token);
    const changed = admin.next();
    await publishHome('A new home title');
    expect(topicsOf(await changed)).toEqual(['versions']);
  });

  it('notices a version another instance made (its head moved in the database), once', async () => {
    await ensureHomePage(app);
    const admin = await openReady();
    await new Promise((resolve) => setTimeout(resolve, 400));
    const moved = admin.next(3000);
    // What a commit on instance B leaves behind here: a head that moved, no request.
    const db = app.strapi.db.connection;
    const head = (await db(HOME_TABLES.head).first()) as { head_version: number };
    await db(HOME_TABLES.head).update({ head_version: Number(head.head_version) + 1 });
    try {
      expect(topicsOf(await moved)).toEqual(['versions']);
      await expect(admin.next(800)).rejects.toThrow(/no event/);
    } finally {
      await db(HOME_TABLES.head).update({ head_version: head.head_version });
    }
  });
});

it('counts against the cap on open streams, with the public streams', async () => {
  const current = app.strapi.config.get('plugin::platform-settings.events') as Record<
    string,
    number
  >;
  app.strapi.config.set('plugin::platform-settings.events', { ...current, maxStreams: 2 });
  try {
    await openPublic();
    await openReady();
    const refused = await openAdmin(reader.token);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
  } finally {
    app.strapi.config.set('plugin::platform-settings.events', current);
  }
});

it('closes every admin stream when the server stops', async () => {
  const stream = await openReady();
  expect(service('adminEvents').open()).toBe(1);
  await app.stop();
  await stream.ended;
  app = undefined as unknown as TestApp;
});
