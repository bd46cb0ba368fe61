import { MAX_FAILED_RECONNECTS } from '../../src/live/eventStream';
import type { LiveEnv } from '../../src/live/liveEnv';
import {
  EVENTS_PATH,
  STALE_COPY_MAX_MS,
  startLiveSettings,
  type LiveStatus,
} from '../../src/live/liveSettings';
import { parseLiveBody, type LiveSnapshot } from '../../src/live/liveSnapshot';
import { STREAM_RETRY_MAX_MS } from '../../src/live/settingsFeed';
import { apiBody } from './fixtures';
import {
  fakeApiFetch,
  fakeBroadcastChannelClass,
  fakeDocument,
  fakeEventSourceClass,
  fakeLocks,
  ifNoneMatch,
  liveEnv,
  type FakeEventSourceClass,
  type FakeResponse,
} from './support/liveFakes';

const API = 'http://cms.test';
const POLL_MS = 30_000;
const body = (version: number, overrides: Parameters<typeof apiBody>[0] = {}) => ({
  ...apiBody(overrides),
  data: { ...apiBody(overrides).data, version },
});

/** One tab's live updates, recording what it applied and its status. */
function startTab(
  env: LiveEnv,
  initialVersion: number | null = 7,
  initialSettings: LiveSnapshot['settings'] | null = null
) {
  const applied: LiveSnapshot[] = [];
  const statuses: LiveStatus[] = [];
  const stop = startLiveSettings({
    apiUrl: API,
    pollIntervalMs: POLL_MS,
    initialVersion,
    initialEtag: '"v7"',
    initialSettings,
    env,
    onSnapshot: (snapshot) => applied.push(snapshot),
    onStatus: (status) => statuses.push(status),
  });
  return {
    applied,
    versions: () => applied.map((snapshot) => snapshot.version),
    status: () => statuses[statuses.length - 1],
    stop,
  };
}

const flush = () => jest.advanceTimersByTimeAsync(0);
let warn: jest.SpyInstance;

beforeEach(() => {
  jest.useFakeTimers();
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.useRealTimers());

describe('a single tab on the event stream', () => {
  let EventSource: FakeEventSourceClass;
  let env: LiveEnv;
  beforeEach(() => {
    EventSource = fakeEventSourceClass();
    env = liveEnv({
      EventSource: EventSource as unknown as typeof globalThis.EventSource,
      BroadcastChannel: fakeBroadcastChannelClass() as unknown as typeof BroadcastChannel,
      locks: fakeLocks(),
    });
  });

  it('opens the events endpoint and applies every version that differs from the one shown', async () => {
    const tab = startTab(env);
    await flush();
    expect(EventSource.instances.map((source) => source.url)).toEqual([`${API}${EVENTS_PATH}`]);
    const [stream] = EventSource.instances;
    stream!.open();
    expect(tab.status()).toBe('stream');

    stream!.send(body(7)); // what is on screen already (sent on connect)
    stream!.send(body(8, { heroTitle: 'Eight' }));
    stream!.send(body(8, { heroTitle: 'Eight' })); // the same again: nothing to apply
    stream!.send(body(9, { maintenanceMode: true }));
    // The database was restored from a backup: the stream carries what the server serves now.
    stream!.send(body(6, { heroTitle: 'Six' }));
    expect(tab.versions()).toEqual([8, 9, 6]);
    expect(tab.applied[0]!.settings.heroTitle).toBe('Eight');
    expect(tab.applied[1]!.settings.maintenanceMode).toBe(true);
    expect(tab.applied[2]!.settings.heroTitle).toBe('Six');
    tab.stop();
    expect(stream!.closed).toBe(true);
  });

  it('applies the stream’s other copy of the version on screen (a restored database reused it)', async () => {
    const tab = startTab(env, 7, parseLiveBody(body(7))!.settings);
    await flush();
    const [stream] = EventSource.instances;
    stream!.open();
    stream!.send(body(7)); // what is on screen already (sent on connect)
    expect(tab.versions()).toEqual([]);
    // The server resends version 7 only to a client whose last event came from another timeline.
    stream!.send(body(7, { heroTitle: 'Restored timeline' }));
    expect(tab.versions()).toEqual([7]);
    expect(tab.applied[0]!.settings.heroTitle).toBe('Restored timeline');
    stream!.send(body(7, { heroTitle: 'Restored timeline' }));
    expect(tab.versions()).toEqual([7]);
    tab.stop();
  });

  it('ignores unparsable or versionless events safely, and keeps applying good ones', async () => {
    const tab = startTab(env);
    await flush();
    const [stream] = EventSource.instances;
    stream!.open();
    expect(() => {
      stream!.send('{not json');
      stream!.send('null');
      stream!.send({ data: { heroTitle: 'No version' }, meta: {} });
      stream!.send({ data: { ...apiBody().data, version: 'eight' }, meta: {} });
      stream!.send(body(10, { primaryColor: 'red' })); // one bad field: its default, one warning
    }).not.toThrow();
    expect(tab.versions()).toEqual([10]);
    expect(tab.applied[0]!.settings.primaryColor).toBe('#4F46E5');
    expect(warn.mock.calls.map(([text]) => String(text))).toEqual([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/without settings data or a version/),
      expect.stringMatching(/without settings data or a version/),
      expect.stringMatching(/without settings data or a version/),
      expect.stringMatching(/primaryColor.*version 10/),
    ]);
    tab.stop();
  });

  it('accepts any version when the page shows the built-in defaults', async () => {
    const tab = startTab(env, null);
    await flush();
    EventSource.instances[0]!.send(body(1));
    expect(tab.versions()).toEqual([1]);
    tab.stop();
  });

  it('holds no stream and applies nothing while hidden, then catches up once when shown', async () => {
    const doc = env.document as ReturnType<typeof fakeDocument>;
    const fetch = fakeApiFetch(() => ({ status: 200, body: body(9), etag: '"v9"' }));
    env.fetch = fetch;
    const tab = startTab(env);
    await flush();
    const first = EventSource.instances[0]!;
    first.open();

    doc.setHidden(true);
    expect(first.closed).toBe(true);
    expect(tab.status()).toBe('hidden');
    first.send(body(8)); // a closed stream delivers nothing, and a hidden tab would ignore it
    await jest.advanceTimersByTimeAsync(5 * 60_000);
    expect(EventSource.open()).toHaveLength(0);
    expect(fetch).not.toHaveBeenCalled();
    expect(tab.versions()).toEqual([]);

    doc.setHidden(false);
    await flush();
    // One conditional GET catches up; the stream is open again for what comes next.
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toBe(`${API}/api/platform-settings`);
    expect(ifNoneMatch(fetch.mock.calls[0]!)).toBe('"v7"');
    expect((fetch.mock.calls[0]![1] as RequestInit).credentials).toBe('omit');
    expect(tab.versions()).toEqual([9]);
    expect(EventSource.open()).toHaveLength(1);
    EventSource.open()[0]!.send(body(9)); // the reopened stream's first event: already shown
    expect(tab.versions()).toEqual([9]);
    tab.stop();
  });

  it('does not connect while it starts hidden', async () => {
    const doc = env.document as ReturnType<typeof fakeDocument>;
    doc.setHidden(true);
    const tab = startTab(env);
    await flush();
    expect(EventSource.instances).toHaveLength(0);
    expect(tab.status()).toBe('hidden');
    tab.stop();
  });
});

describe('falling back to polling', () => {
  let EventSource: FakeEventSourceClass;
  let served: FakeResponse;
  let fetch: ReturnType<typeof fakeApiFetch>;
  let env: LiveEnv;
  beforeEach(() => {
    EventSource = fakeEventSourceClass();
    // Like the CMS: 304 for a matching If-None-Match, else the current body.
    served = { status: 200, body: body(7), etag: '"v7"' };
    fetch = fakeApiFetch((init) =>
      (init.headers as Record<string, string>)['If-None-Match'] === served.etag
        ? { status: 304 }
        : served
    );
    env = liveEnv({
      EventSource: EventSource as unknown as typeof globalThis.EventSource,
      BroadcastChannel: fakeBroadcastChannelClass() as unknown as typeof BroadcastChannel,
      locks: fakeLocks(),
      fetch,
    });
  });

  it('polls with If-None-Match every 30 s when the stream is refused (503), then retries it', async () => {
    const tab = startTab(env);
    await flush();
    EventSource.instances[0]!.fail({ closed: true }); // what the browser does with a 503
    await flush();
    expect(tab.status()).toBe('polling');
    expect(fetch).toHaveBeenCalledTimes(1); // at once
    expect(ifNoneMatch(fetch.mock.calls[0]!)).toBe('"v7"');
    expect((fetch.mock.calls[0]![1] as RequestInit).cache).toBe('no-store');
    expect(tab.versions()).toEqual([]); // 304

    served = { status: 200, body: body(8, { heroTitle: 'Polled' }), etag: '"v8"' };
    await jest.advanceTimersByTimeAsync(POLL_MS - 1);
    expect(fetch).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(tab.applied.map((s) => s.settings.heroTitle)).toEqual(['Polled']);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(ifNoneMatch(fetch.mock.calls[2]!)).toBe('"v8"'); // the new ETag; answered 304
    expect(tab.versions()).toEqual([8]);

    // The stream is tried again later (jittered back-off); once it opens, polling stops.
    await jest.advanceTimersByTimeAsync(STREAM_RETRY_MAX_MS);
    expect(EventSource.instances.length).toBeGreaterThanOrEqual(2);
    const retry = EventSource.open()[0]!;
    retry.open();
    expect(tab.status()).toBe('stream');
    const polls = fetch.mock.calls.length;
    await jest.advanceTimersByTimeAsync(3 * POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(polls);
    retry.send(body(9));
    expect(tab.versions()).toEqual([8, 9]);
    tab.stop();
  });

  it(`gives the stream up after ${MAX_FAILED_RECONNECTS} failed reconnects in a row, and polls`, async () => {
    const tab = startTab(env);
    await flush();
    const stream = EventSource.instances[0]!;
    stream.open();
    stream.fail({ closed: false }); // server restarting: the browser reconnects by itself…
    stream.open(); // …and succeeds, which resets the count
    for (let i = 1; i < MAX_FAILED_RECONNECTS; i += 1) stream.fail({ closed: false });
    expect(stream.closed).toBe(false);
    expect(fetch).not.toHaveBeenCalled();
    stream.fail({ closed: false });
    expect(stream.closed).toBe(true);
    await flush();
    expect(tab.status()).toBe('polling');
    expect(fetch).toHaveBeenCalledTimes(1);
    tab.stop();
  });

  it('polls from the start where EventSource does not exist', async () => {
    env.EventSource = undefined;
    served = { status: 200, body: body(8), etag: '"v8"' };
    const tab = startTab(env);
    await flush();
    expect(tab.status()).toBe('polling');
    expect(tab.versions()).toEqual([8]);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(2);
    tab.stop();
    await jest.advanceTimersByTimeAsync(3 * POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('polls, holding no connection, where Web Locks are missing (so a 7th tab still loads)', async () => {
    env.locks = undefined;
    const tab = startTab(env);
    await flush();
    expect(EventSource.instances).toHaveLength(0);
    expect(tab.status()).toBe('polling');
    expect(fetch).toHaveBeenCalledTimes(1);
    tab.stop();
  });

  it("ignores a poll's older copy (a shared cache's) until it outlasts the cache's stale window", async () => {
    env.EventSource = undefined;
    served = { status: 200, body: body(8), etag: '"v8"' };
    const tab = startTab(env);
    await flush();
    expect(tab.versions()).toEqual([8]);

    // A CDN edge still holding version 7: ignored, and asked again in full next time.
    served = { status: 200, body: body(7), etag: '"v7"' };
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(tab.versions()).toEqual([8]);
    served = { status: 200, body: body(8), etag: '"v8"' };
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(ifNoneMatch(fetch.mock.calls[2]!)).toBeUndefined();
    expect(tab.versions()).toEqual([8]);

    // The database restored to version 5: polls keep saying so, and past the window it is shown.
    served = { status: 200, body: body(5, { heroTitle: 'Restored' }), etag: '"v5"' };
    await jest.advanceTimersByTimeAsync(POLL_MS); // first seen
    await jest.advanceTimersByTimeAsync(STALE_COPY_MAX_MS); // seen again, but not for longer yet
    expect(tab.versions()).toEqual([8]);
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(tab.versions()).toEqual([8, 5]);
    expect(tab.applied[1]!.settings.heroTitle).toBe('Restored');
    tab.stop();
  });

  it('ignores failed polls and tries again at the next interval', async () => {
    env.EventSource = undefined;
    served = { status: 503 };
    const tab = startTab(env);
    await flush();
    served = { status: 200, body: '<html>' };
    await jest.advanceTimersByTimeAsync(POLL_MS);
    served = { status: 200, body: body(8), etag: '"v8"' };
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(tab.versions()).toEqual([8]);
    tab.stop();
  });
});

describe('tabs sharing one stream', () => {
  let EventSource: FakeEventSourceClass;
  let shared: Omit<LiveEnv, 'document'>;
  beforeEach(() => {
    EventSource = fakeEventSourceClass();
    shared = {
      EventSource: EventSource as unknown as typeof globalThis.EventSource,
      BroadcastChannel: fakeBroadcastChannelClass() as unknown as typeof BroadcastChannel,
      locks: fakeLocks(),
      fetch: fakeApiFetch(() => ({ status: 304 })),
    };
  });
  const openTab = () => {
    const document = fakeDocument();
    return { document, ...startTab({ ...shared, document }) };
  };

  it('one tab holds the stream and relays it; the others apply what it relays', async () => {
    const tabs = [openTab(), openTab(), openTab()];
    await flush();
    expect(EventSource.open()).toHaveLength(1);
    expect(tabs.map((tab) => tab.status())).toEqual(['relay', 'relay', 'relay']);
    EventSource.open()[0]!.open();
    expect(tabs[0]!.status()).toBe('stream');

    EventSource.open()[0]!.send(body(8, { heroTitle: 'Shared' }));
    await flush();
    for (const tab of tabs)
      expect(tab.applied.map((s) => s.settings.heroTitle)).toEqual(['Shared']);
    tabs.forEach((tab) => tab.stop());
  });

  it('hands the stream to another tab when the leader hides or closes', async () => {
    const [a, b, c] = [openTab(), openTab(), openTab()];
    await flush();
    const first = EventSource.open()[0]!;

    a.document.setHidden(true); // the leader hides: it lets go, the next visible tab takes over
    await flush();
    expect(first.closed).toBe(true);
    expect(EventSource.open()).toHaveLength(1);
    const second = EventSource.open()[0]!;
    second.send(body(8));
    await flush();
    expect([a, b, c].map((tab) => tab.versions())).toEqual([[], [8], [8]]);

    b.stop(); // the new leader's tab closes
    await flush();
    expect(second.closed).toBe(true);
    expect(EventSource.open()).toHaveLength(1);
    EventSource.open()[0]!.send(body(9));
    await flush();
    expect(c.versions()).toEqual([8, 9]);

    a.document.setHidden(false); // back: a follower now, caught up by the leader and a GET
    await flush();
    expect(EventSource.open()).toHaveLength(1);
    expect(a.versions()).toEqual([9]);
    [a, c].forEach((tab) => tab.stop());
    expect(EventSource.open()).toHaveLength(0);
  });

  it('a tab opened later gets the latest version from the leader at once', async () => {
    const a = openTab();
    await flush();
    EventSource.open()[0]!.send(body(8, { heroTitle: 'Latest' }));
    const late = openTab();
    await flush();
    expect(late.applied.map((s) => s.settings.heroTitle)).toEqual(['Latest']);
    expect(EventSource.instances).toHaveLength(1);
    [a, late].forEach((tab) => tab.stop());
  });

  it('a leader polling (stream refused) relays what its polls find', async () => {
    let served: FakeResponse = { status: 304 };
    shared.fetch = fakeApiFetch(() => served);
    const [a, b] = [openTab(), openTab()];
    await flush();
    EventSource.open()[0]!.fail({ closed: true });
    served = { status: 200, body: body(8), etag: '"v8"' };
    await jest.advanceTimersByTimeAsync(POLL_MS);
    expect([a, b].map((tab) => tab.versions())).toEqual([[8], [8]]);
    expect(shared.fetch).toHaveBeenCalledTimes(2); // the leader's polls only
    [a, b].forEach((tab) => tab.stop());
  });
});
