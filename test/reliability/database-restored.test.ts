/**
 * A database restored to an older backup under a running instance: the
 * instance notices the version went back (the periodic version check, on every
 * database) and serves what the database now holds, instead of its newer copy
 * from memory. The next write continues from the restored version.
 */
import type { AddressInfo } from 'node:net';
import { deleteRows, editLiveRow, readRow, replayHead } from '../helpers/chain';
import { eventually, openStream } from '../helpers/event-stream';
import { bootApp, founderHeaders, type TestApp } from '../helpers/strapi';

let app: TestApp;
beforeAll(async () => {
  app = await bootApp({ env: { SETTINGS_VERSION_CHECK_MS: '200' } });
  await new Promise<void>((resolve) =>
    app.strapi.server.httpServer.listen(0, '127.0.0.1', resolve)
  );
  for (let index = 2; index <= 5; index += 1) {
    await app.request
      .put('/api/platform-settings')
      .set(founderHeaders)
      .send({ data: { heroTitle: `Title ${index}` } })
      .expect(200);
  }
});
afterAll(() => app?.stop());

const url = () =>
  `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
/** The id of the first event a client connecting with `lastEventId` gets, or null for a heartbeat. */
const firstEventId = async (lastEventId?: string) => {
  const stream = await openStream(url(), lastEventId ? { 'Last-Event-ID': lastEventId } : {});
  try {
    await eventually(() => stream.events.length > 0 || stream.comments.includes('ping'));
    return stream.events[0]?.id ?? null;
  } finally {
    stream.close();
  }
};

let idBeforeRestore: string | null = null;

it('serves the restored version within a second and continues from it', async () => {
  expect((await app.request.get('/api/platform-settings')).body.data.version).toBe(5);
  // A live-site client that saw version 5 before the restore.
  idBeforeRestore = await firstEventId();
  expect(idBeforeRestore?.split('.')[0]).toBe('5');

  // What restoring a backup taken at version 3 does to the tables.
  const three = await readRow(app.strapi, 3);
  await deleteRows(app.strapi, [4, 5]);
  await editLiveRow(app.strapi, { version: 3, hero_title: three.data.heroTitle });
  await replayHead(app.strapi, 3);

  const started = Date.now();
  let served = (await app.request.get('/api/platform-settings')).body.data;
  while (served.version !== 3 && Date.now() - started < 3000) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    served = (await app.request.get('/api/platform-settings')).body.data;
  }
  expect(served).toMatchObject({ version: 3, heroTitle: 'Title 3' });
  expect(Date.now() - started).toBeLessThan(1500);
  const res = await app.request.get('/api/platform-settings').expect(200);
  expect(res.headers['x-settings-stale']).toBeUndefined();

  const next = await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'After the restore' } })
    .expect(200);
  expect(next.body.data.version).toBe(4);
  const verify = await app.request
    .get('/api/platform-settings/history/verify')
    .set(founderHeaders)
    .expect(200);
  expect(verify.body.data).toMatchObject({ ok: true, versions: 4 });
});

it('sends the full state to a client whose last event came from before the restore', async () => {
  // Two more writes reach version 5 again, on the restored timeline.
  await app.request
    .put('/api/platform-settings')
    .set(founderHeaders)
    .send({ data: { heroTitle: 'Version 5 again' } })
    .expect(200);
  const live = await app.request.get('/api/platform-settings').expect(200);
  expect(live.body.data.version).toBe(5);
  const id = await firstEventId(idBeforeRestore!);
  // Not a heartbeat: version 5 of this timeline, under another id.
  expect(id?.split('.')[0]).toBe('5');
  expect(id).not.toBe(idBeforeRestore);
  // A client of this timeline is only sent a heartbeat.
  expect(await firstEventId(id!)).toBeNull();
});
