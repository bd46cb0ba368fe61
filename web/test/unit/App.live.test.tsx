import { act, render, screen, waitFor } from '@testing-library/react';
import { App } from '../../src/App';
import { MAINTENANCE_OFF, MAINTENANCE_ON } from '../../src/live/MaintenanceAnnouncer';
import type { LiveConfig } from '../../src/live/useLiveSettings';
import { loadSettings } from '../../src/settings/loadSettings';
import { apiBody, apiSettings, fakeFetch, mockReducedMotion } from './fixtures';
import {
  fakeBroadcastChannelClass,
  fakeEventSourceClass,
  fakeLocks,
  liveEnv,
  type FakeEventSourceClass,
} from './support/liveFakes';

jest.mock('../../src/hero/webglSupport', () => ({ isWebGL2Available: jest.fn(() => false) }));

const API = 'http://cms.test';
let EventSource: FakeEventSourceClass;
let live: LiveConfig;

beforeEach(() => {
  mockReducedMotion(false);
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

async function renderLive(config: LiveConfig | null, first = apiBody()) {
  const request = loadSettings({ apiUrl: API, fetchImpl: fakeFetch({ body: first }) });
  const view = render(<App settingsRequest={request} allowSoftwareWebGL={false} live={config} />);
  await act(async () => {
    await request;
  });
  return view;
}

/** The stream the page opened, once it has (after the first paint). */
async function stream() {
  await waitFor(() => expect(EventSource.open()).toHaveLength(1));
  return EventSource.open()[0]!;
}

const push = (source: Awaited<ReturnType<typeof stream>>, version: number, changes: object) =>
  act(() => source.send({ ...apiBody(), data: { ...apiBody().data, ...changes, version } }));

describe('App with live updates', () => {
  it('applies pushed settings in place: text, CTA, colours and maintenance', async () => {
    const { container } = await renderLive(live);
    const site = container.querySelector<HTMLElement>('.site')!;
    expect(site).toHaveAttribute('data-settings-version', '7');
    const source = await stream();
    act(() => source.open());
    expect(site).toHaveAttribute('data-live', 'stream');

    await push(source, 8, {
      heroTitle: 'Live title',
      ctaLabel: 'Join now',
      ctaUrl: '/join',
      primaryColor: '#DC2626',
    });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Live title');
    expect(screen.getByRole('link', { name: 'Join now' })).toHaveAttribute('href', '/join');
    expect(site.style.getPropertyValue('--color-primary')).toBe('#DC2626');
    expect(site).toHaveAttribute('data-settings-version', '8');

    const same = { heroTitle: 'Live title', ctaLabel: 'Join now', ctaUrl: '/join' };
    await push(source, 8, { ...same, primaryColor: '#DC2626' }); // the version shown: nothing to do
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Live title');
    // The same version with other content: sent again only after a restore reused the number.
    await push(source, 8, { heroTitle: 'Restored timeline' });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Restored timeline');

    await push(source, 6, { heroTitle: 'Restored' }); // the database went back: follow it
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Restored');
    expect(site).toHaveAttribute('data-settings-version', '6');
  });

  it('announces maintenance starting and ending in a polite live region', async () => {
    await renderLive(live);
    const announcer = screen.getByTestId('live-announcer');
    expect(announcer).toHaveAttribute('aria-live', 'polite');
    expect(announcer).toBeEmptyDOMElement(); // the state on load is not announced
    const source = await stream();

    await push(source, 8, { maintenanceMode: true });
    expect(announcer).toHaveTextContent(MAINTENANCE_ON);
    expect(screen.getByRole('status')).toHaveTextContent(/maintenance/i);
    expect(screen.queryByRole('link', { name: apiSettings.ctaLabel })).not.toBeInTheDocument();

    await push(source, 9, { maintenanceMode: false, heroTitle: 'Back' });
    expect(announcer).toHaveTextContent(MAINTENANCE_OFF);
    expect(screen.getByRole('link', { name: apiSettings.ctaLabel })).toBeInTheDocument();
    // The same region was updated, not replaced: screen readers keep following it.
    expect(screen.getByTestId('live-announcer')).toBe(announcer);
  });

  it('subscribes to nothing without a live config (what a preview page passes)', async () => {
    const { container } = await renderLive(null);
    // Long past the first paint, when the subscription would have started.
    await act(() => new Promise((resolve) => setTimeout(resolve, 200)));
    expect(EventSource.instances).toHaveLength(0);
    expect(container.querySelector('.site')).toHaveAttribute('data-live', 'off');
  });

  it('closes the stream when the page unmounts', async () => {
    const { unmount } = await renderLive(live);
    const source = await stream();
    unmount();
    expect(source.closed).toBe(true);
  });
});
