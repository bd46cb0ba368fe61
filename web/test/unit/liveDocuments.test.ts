import type { LiveEnv } from '../../src/live/liveEnv';
import { startLiveSettings, type LiveDocument } from '../../src/live/liveSettings';
import { apiBody } from './fixtures';
import { homePageBody } from './homePageFixtures';
import {
  fakeApiFetch,
  fakeBroadcastChannelClass,
  fakeDocument,
  fakeEventSourceClass,
  fakeLocks,
  type FakeEventSourceClass,
} from './support/liveFakes';

const API = 'http://cms.test';

/** One tab following the settings and the home page, recording the home-page bodies it got. */
function openTab(shared: Omit<LiveEnv, 'document'>) {
  const document = fakeDocument();
  const received: { body: unknown; authoritative: boolean }[] = [];
  const homePage: LiveDocument = {
    name: 'home-page',
    path: '/api/home-page',
    etag: { current: null },
    onBody: (body, authoritative) => received.push({ body, authoritative }),
  };
  const settings: number[] = [];
  const stop = startLiveSettings({
    apiUrl: API,
    pollIntervalMs: 30_000,
    initialVersion: 7,
    initialEtag: null,
    documents: [homePage],
    env: { ...shared, document },
    onSnapshot: (snapshot) => settings.push(snapshot.version),
  });
  const titles = () =>
    received.map(({ body }) => {
      const value = (typeof body === 'string' ? JSON.parse(body) : body) as ReturnType<
        typeof homePageBody
      >;
      return (value.data.features as { title: string }[])[0]?.title;
    });
  return { document, received, titles, settings, stop };
}

const flush = () => jest.advanceTimersByTimeAsync(0);

describe('other documents on the shared stream', () => {
  let EventSource: FakeEventSourceClass;
  let shared: Omit<LiveEnv, 'document'>;
  beforeEach(() => {
    jest.useFakeTimers();
    EventSource = fakeEventSourceClass();
    shared = {
      EventSource: EventSource as unknown as typeof globalThis.EventSource,
      BroadcastChannel: fakeBroadcastChannelClass() as unknown as typeof BroadcastChannel,
      locks: fakeLocks(),
      fetch: fakeApiFetch(() => ({ status: 304 })),
    };
  });
  afterEach(() => jest.useRealTimers());

  it('one leader streams both; followers get the home page relayed, a late tab at once', async () => {
    const [a, b] = [openTab(shared), openTab(shared)];
    await flush();
    expect(EventSource.open()).toHaveLength(1);
    const stream = EventSource.open()[0]!;
    expect(stream.url).toBe(`${API}/api/platform-settings/events?types=settings,home-page`);

    stream.send(homePageBody({ features: [{ title: 'Relayed' }] }), 'home-page');
    stream.send({ ...apiBody(), data: { ...apiBody().data, version: 8 } });
    await flush();
    for (const tab of [a, b]) {
      expect(tab.titles()).toEqual(['Relayed']);
      expect(tab.settings).toEqual([8]); // settings events still reach the settings only
    }
    expect(a.received[0]!.authoritative).toBe(true);

    const late = openTab(shared);
    await flush();
    expect(late.titles()).toEqual(['Relayed']); // from the leader's latest, as a hint
    expect(late.received[0]!.authoritative).toBe(false);
    expect(EventSource.instances).toHaveLength(1);
    [a, b, late].forEach((tab) => tab.stop());
  });

  it('ignores home-page bodies while hidden', async () => {
    const tab = openTab(shared);
    await flush();
    const stream = EventSource.open()[0]!;
    tab.document.setHidden(true);
    stream.send(homePageBody(), 'home-page'); // closed: nothing is delivered
    await flush();
    expect(tab.received).toEqual([]);
    tab.stop();
  });

  it('uses a lock of its own, so tabs without the home page keep theirs', async () => {
    const names: string[] = [];
    const locks = shared.locks!;
    shared.locks = {
      ...locks,
      request: ((name: string, ...rest: unknown[]) => {
        names.push(name);
        return (locks.request as (...args: unknown[]) => Promise<unknown>)(name, ...rest);
      }) as LockManager['request'],
    } as LockManager;
    const tab = openTab(shared);
    const plain = startLiveSettings({
      apiUrl: API,
      pollIntervalMs: 30_000,
      initialVersion: 7,
      initialEtag: null,
      env: { ...shared, document: fakeDocument() },
      onSnapshot: () => undefined,
    });
    await flush();
    expect(names).toEqual([
      `platform-settings-live ${API} home-page`,
      `platform-settings-live ${API}`,
    ]);
    expect(EventSource.open().map((source) => source.url)).toEqual([
      `${API}/api/platform-settings/events?types=settings,home-page`,
      `${API}/api/platform-settings/events`,
    ]);
    tab.stop();
    plain();
  });
});
