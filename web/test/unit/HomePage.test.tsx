import { act, render, screen, waitFor, within } from '@testing-library/react';
import { App } from '../../src/App';
import { loadHomePage } from '../../src/homePage/loadHomePage';
import type { LiveConfig } from '../../src/live/useLiveSettings';
import { loadSettings } from '../../src/settings/loadSettings';
import { apiBody, apiSettings, fakeFetch, mockReducedMotion } from './fixtures';
import { homePageBody } from './homePageFixtures';
import {
  fakeBroadcastChannelClass,
  fakeDocument,
  fakeEventSourceClass,
  fakeLocks,
  liveEnv,
  type FakeEventSourceClass,
} from './support/liveFakes';

jest.mock('../../src/hero/webglSupport', () => ({ isWebGL2Available: jest.fn(() => false) }));

const API = 'http://cms.test';
const INDEX_DESCRIPTION = 'Settings that ship safely.';
let warn: jest.SpyInstance;

beforeEach(() => {
  mockReducedMotion(false);
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  // index.html's head, as the page starts.
  document.head.innerHTML = `<meta name="description" content="${INDEX_DESCRIPTION}">`;
  document.title = 'Acme Platform';
});

const description = () =>
  document.head.querySelector('meta[name="description"]')?.getAttribute('content');

/** A fetch that never answers, but gives up like a real one when its signal aborts. */
const hangingFetch = () =>
  jest.fn(
    (_url: RequestInfo | URL, init: RequestInit = {}) =>
      new Promise<Response>((_resolve, reject) =>
        init.signal?.addEventListener('abort', () =>
          reject(new DOMException('The operation was aborted.', 'AbortError'))
        )
      )
  ) as unknown as jest.Mock;

async function renderHome(homeFetch: jest.Mock, live: LiveConfig | null = null) {
  const settingsRequest = loadSettings({ apiUrl: API, fetchImpl: fakeFetch({ body: apiBody() }) });
  const homePageRequest = loadHomePage({ apiUrl: API, fetchImpl: homeFetch, timeoutMs: 50 });
  const view = render(
    <App
      settingsRequest={settingsRequest}
      homePageRequest={homePageRequest}
      allowSoftwareWebGL={false}
      live={live}
    />
  );
  await act(async () => {
    await settingsRequest;
    await homePageRequest;
  });
  return { ...view, site: view.container.querySelector<HTMLElement>('.site')! };
}

describe('the home page below the hero', () => {
  it('renders the features as a list and the closing call to action, under the hero', async () => {
    const homeFetch = fakeFetch({ body: homePageBody() });
    const { site } = await renderHome(homeFetch);

    // The bare URL: the CMS's fast path answers it fully populated.
    expect(homeFetch.mock.calls[0]?.[0]).toBe(`${API}/api/home-page`);
    expect((homeFetch.mock.calls[0]?.[1] as RequestInit).credentials).toBe('omit');
    expect(site).toHaveAttribute('data-home-page', 'shown');

    const features = screen.getByRole('region', { name: 'Features' });
    const items = within(within(features).getByRole('list')).getAllByRole('listitem');
    expect(
      items.map((item) => within(item).getByRole('heading', { level: 2 }).textContent)
    ).toEqual(['Versioned', 'Reversible', 'Live']);
    expect(items[0]).toHaveTextContent('Every change is a version.');
    expect(items.map((item) => item.getAttribute('data-icon'))).toEqual([
      'history',
      'rollback',
      'bolt',
    ]);
    expect(items[0]!.querySelector('svg')).toHaveAttribute('aria-hidden', 'true');

    const closing = screen.getByRole('region', { name: 'Ready to launch?' });
    expect(within(closing).getByRole('link', { name: 'Talk to us' })).toHaveAttribute(
      'href',
      '/contact'
    );
    // One h1 (the hero's), then h2s in document order.
    const headings = screen.getAllByRole('heading').map((h) => h.tagName);
    expect(headings[0]).toBe('H1');
    expect(headings.slice(1).every((tag) => tag === 'H2')).toBe(true);
    // The hero's CTA still comes first for the keyboard.
    expect(screen.getAllByRole('link')[0]).toHaveTextContent(apiSettings.ctaLabel);
    expect(warn).not.toHaveBeenCalled();
  });

  it('puts the SEO title and description into the document', async () => {
    await renderHome(fakeFetch({ body: homePageBody() }));
    expect(document.title).toBe('Nimbus Cloud: config without the chaos');
    expect(description()).toBe('Versioned settings for busy teams.');
  });

  it('keeps the settings’ title and index.html’s description without SEO', async () => {
    await renderHome(fakeFetch({ body: homePageBody({ seo: null }) }));
    expect(document.title).toBe(`${apiSettings.siteName} · ${apiSettings.tagline}`);
    expect(description()).toBe(INDEX_DESCRIPTION);
  });

  it("renders no sections for Strapi's answer without components, and no warning", async () => {
    const bare = { data: { id: 2, documentId: 'x', publishedAt: '2025-01-01T00:00:00.000Z' } };
    const { site, container } = await renderHome(fakeFetch({ body: { ...bare, meta: {} } }));
    expect(container.querySelector('.home')).toBeNull();
    expect(site).toHaveAttribute('data-home-page', 'shown');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
    expect(warn).not.toHaveBeenCalled();
  });

  it('shows a feature with an unknown icon without the icon', async () => {
    await renderHome(
      fakeFetch({ body: homePageBody({ features: [{ title: 'Rocket', icon: 'rocket' }] }) })
    );
    const item = screen.getByRole('listitem');
    expect(item).toHaveTextContent('Rocket');
    expect(item.querySelector('svg')).toBeNull();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/features\[0\]\.icon/);
  });

  it.each([
    ['answers 500', () => fakeFetch({ status: 500, body: { error: 'boom' } }), /HTTP 500/],
    ['answers 403 (public read revoked)', () => fakeFetch({ status: 403 }), /HTTP 403/],
    ['answers 404', () => fakeFetch({ status: 404 }), /HTTP 404/],
    ['is down', () => fakeFetch(new TypeError('Failed to fetch')), /Failed to fetch/],
    ['does not answer in time', hangingFetch, /no answer within 50 ms/],
    ['answers garbage', () => fakeFetch({ body: '<html>' }), /unexpected response/],
  ])('renders the hero alone when the home page %s, with one warning', async (_case, make, why) => {
    const { site, container } = await renderHome(make());
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
    expect(screen.getByRole('link', { name: apiSettings.ctaLabel })).toBeInTheDocument();
    expect(container.querySelector('.home')).toBeNull();
    expect(site).toHaveAttribute('data-home-page', 'none');
    expect(document.title).toBe(`${apiSettings.siteName} · ${apiSettings.tagline}`);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(why);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/hero only/);
  });

  it('does not hold the hero while the home page is still loading', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const pending = jest.fn(() => new Promise((resolve) => (answer = resolve))) as jest.Mock;
    const settingsRequest = loadSettings({
      apiUrl: API,
      fetchImpl: fakeFetch({ body: apiBody() }),
    });
    const homePageRequest = loadHomePage({ apiUrl: API, fetchImpl: pending });
    const { container } = render(
      <App
        settingsRequest={settingsRequest}
        homePageRequest={homePageRequest}
        allowSoftwareWebGL={false}
      />
    );
    await act(async () => {
      await settingsRequest;
    });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
    expect(container.querySelector('.site')).toHaveAttribute('data-home-page', 'loading');
    expect(container.querySelector('.home')).toBeNull();

    answer({ ok: true, status: 200, json: () => Promise.resolve(homePageBody()) });
    await act(async () => {
      await homePageRequest;
    });
    expect(screen.getByRole('region', { name: 'Features' })).toBeInTheDocument();
  });

  it('leaves the closing call to action out in maintenance mode, like the hero’s', async () => {
    const settingsRequest = loadSettings({
      apiUrl: API,
      fetchImpl: fakeFetch({ body: apiBody({ maintenanceMode: true }) }),
    });
    const homePageRequest = loadHomePage({
      apiUrl: API,
      fetchImpl: fakeFetch({ body: homePageBody() }),
    });
    render(
      <App
        settingsRequest={settingsRequest}
        homePageRequest={homePageRequest}
        allowSoftwareWebGL={false}
      />
    );
    await act(async () => {
      await Promise.all([settingsRequest, homePageRequest]);
    });
    expect(screen.getByRole('region', { name: 'Features' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Ready to launch?' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
  });
});

describe('the home page with live updates', () => {
  let EventSource: FakeEventSourceClass;
  let live: LiveConfig;
  beforeEach(() => {
    EventSource = fakeEventSourceClass();
    live = {
      apiUrl: API,
      pollIntervalMs: 30_000,
      env: liveEnv({
        EventSource: EventSource as unknown as typeof globalThis.EventSource,
        BroadcastChannel: fakeBroadcastChannelClass() as unknown as typeof BroadcastChannel,
        locks: fakeLocks(),
      }),
    };
  });

  async function stream() {
    await waitFor(() => expect(EventSource.open()).toHaveLength(1));
    return EventSource.open()[0]!;
  }

  it('asks the one stream for both documents and replaces the sections from home-page events', async () => {
    await renderHome(fakeFetch({ body: homePageBody() }), live);
    const source = await stream();
    expect(source.url).toBe(`${API}/api/platform-settings/events?types=settings,home-page`);
    act(() => source.open());

    act(() =>
      source.send(
        homePageBody({
          features: [{ title: 'Pushed', text: 'Live.', icon: 'shield' }],
          closingCta: null,
          seo: { title: 'Pushed title' },
        }),
        'home-page'
      )
    );
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'PushedLive.',
    ]);
    expect(screen.queryByRole('region', { name: 'Ready to launch?' })).not.toBeInTheDocument();
    expect(document.title).toBe('Pushed title');
    expect(description()).toBe(INDEX_DESCRIPTION);

    // Settings events still drive the hero, and leave the sections alone.
    act(() =>
      source.send({ ...apiBody(), data: { ...apiBody().data, version: 8, heroTitle: 'H' } })
    );
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('H');
    expect(screen.getByRole('listitem')).toHaveTextContent('Pushed');
    expect(EventSource.instances).toHaveLength(1);
  });

  it('shows the sections from the stream when the first load failed', async () => {
    const { site, container } = await renderHome(fakeFetch({ status: 500 }), live);
    expect(container.querySelector('.home')).toBeNull();
    const source = await stream();
    act(() => source.send(homePageBody(), 'home-page'));
    expect(site).toHaveAttribute('data-home-page', 'shown');
    expect(screen.getByRole('region', { name: 'Features' })).toBeInTheDocument();
  });

  it('ignores a bad home-page event and keeps the sections shown', async () => {
    await renderHome(fakeFetch({ body: homePageBody() }), live);
    const source = await stream();
    act(() => {
      source.send('{not json', 'home-page');
      source.send({ data: null }, 'home-page');
    });
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
  });

  it('keeps the plain events URL for a page without a home page (a preview passes none)', async () => {
    const settingsRequest = loadSettings({
      apiUrl: API,
      fetchImpl: fakeFetch({ body: apiBody() }),
    });
    render(<App settingsRequest={settingsRequest} allowSoftwareWebGL={false} live={live} />);
    await act(async () => {
      await settingsRequest;
    });
    const source = await stream();
    expect(source.url).toBe(`${API}/api/platform-settings/events`);
  });

  it('polls the home page with the settings while the stream is refused, and catches up when shown', async () => {
    const served = new Map<string, { body: unknown; etag: string }>([
      [`${API}/api/platform-settings`, { body: apiBody(), etag: '"s7"' }],
      [`${API}/api/home-page`, { body: homePageBody(), etag: '"h4"' }],
    ]);
    const polls: { url: string; ifNoneMatch: string | undefined }[] = [];
    const fetch = jest.fn((url: RequestInfo | URL, init: RequestInit = {}) => {
      const ifNoneMatch = (init.headers as Record<string, string>)['If-None-Match'];
      polls.push({ url: String(url), ifNoneMatch });
      const answer = served.get(String(url))!;
      const status = ifNoneMatch === answer.etag ? 304 : 200;
      return Promise.resolve({
        ok: status === 200,
        status,
        headers: { get: (name: string) => (name === 'ETag' ? answer.etag : null) },
        json: () => Promise.resolve(answer.body),
      } as unknown as Response);
    });
    const document = fakeDocument();
    live.env = { ...live.env!, fetch: fetch as unknown as typeof globalThis.fetch, document };
    live.pollIntervalMs = 60_000;
    const homeFetch = jest.fn(() =>
      Promise.resolve({
        ok: true,
        status: 200,
        headers: { get: (name: string) => (name === 'ETag' ? '"h4"' : null) },
        json: () => Promise.resolve(homePageBody()),
      } as unknown as Response)
    ) as unknown as jest.Mock;
    await renderHome(homeFetch, live);
    const source = await stream();
    act(() => source.fail({ closed: true })); // a 503 at the server's cap
    await waitFor(() => expect(polls).toHaveLength(2));
    // Conditional polls of both documents, each with its own ETag from the first load.
    expect(polls).toEqual([
      { url: `${API}/api/platform-settings`, ifNoneMatch: undefined },
      { url: `${API}/api/home-page`, ifNoneMatch: '"h4"' },
    ]);

    // Hidden, then shown again: one catch-up GET of each, and the change is applied.
    act(() => document.setHidden(true));
    served.set(`${API}/api/home-page`, {
      body: homePageBody({ features: [{ title: 'Caught up' }] }, 5),
      etag: '"h5"',
    });
    polls.length = 0;
    act(() => document.setHidden(false));
    await waitFor(() => expect(screen.getByRole('listitem')).toHaveTextContent('Caught up'));
    expect(polls.map(({ url }) => url)).toEqual(
      expect.arrayContaining([`${API}/api/platform-settings`, `${API}/api/home-page`])
    );
  });
});
