import { act, render, screen, within } from '@testing-library/react';
import { App } from '../../src/App';
import { DEFAULT_SETTINGS } from '../../src/settings/defaults';
import { loadSettings, type LoadedSettings } from '../../src/settings/loadSettings';
import { apiBody, apiSettings, fakeFetch, mockReducedMotion } from './fixtures';

jest.mock('../../src/hero/webglSupport', () => ({ isWebGL2Available: jest.fn(() => false) }));

const API = 'http://cms.test';

function renderWith(fetchImpl: jest.Mock) {
  const request = loadSettings({ apiUrl: API, fetchImpl });
  return { request, ...render(<App settingsRequest={request} allowSoftwareWebGL={false} />) };
}

async function settle(request: Promise<LoadedSettings>) {
  await act(async () => {
    await request;
  });
}

beforeEach(() => mockReducedMotion(false));

describe('App', () => {
  it('renders the hero text, CTA and site name from the settings API', async () => {
    const fetchImpl = fakeFetch({ body: apiBody() });
    const { request } = renderWith(fetchImpl);
    await settle(request);

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
    expect(screen.getByText(apiSettings.heroSubtitle)).toBeInTheDocument();
    expect(screen.getByText(apiSettings.tagline)).toBeInTheDocument();
    expect(screen.getByRole('banner')).toHaveTextContent(apiSettings.siteName);
    const cta = screen.getByRole('link', { name: apiSettings.ctaLabel });
    expect(cta).toHaveAttribute('href', apiSettings.ctaUrl);
    expect(document.title).toContain(apiSettings.siteName);

    // Plain GET of the public endpoint: no cache-busting, no credentials.
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [url, init] = fetchImpl.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${API}/api/platform-settings`);
    expect(init.cache).toBeUndefined();
    expect(init.credentials).toBe('omit');
  });

  it('applies the theme colours as CSS custom properties', async () => {
    const { request, container } = renderWith(fakeFetch({ body: apiBody() }));
    await settle(request);
    const site = container.querySelector<HTMLElement>('.site');
    expect(site?.style.getPropertyValue('--color-primary')).toBe(apiSettings.primaryColor);
    expect(site?.style.getPropertyValue('--color-bg')).toBe(apiSettings.backgroundColor);
    expect(site).toHaveAttribute('data-settings-source', 'api');
  });

  it('shows a same-shaped loading state until the settings arrive', async () => {
    let answer: (value: unknown) => void = () => undefined;
    const fetchImpl = jest.fn(
      () => new Promise((resolve) => (answer = resolve))
    ) as unknown as jest.Mock;
    const { request, container } = renderWith(fetchImpl);

    const panel = container.querySelector('.hero__panel');
    expect(panel).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Loading…');
    expect(screen.queryByRole('link')).not.toBeInTheDocument();
    const before = Array.from(panel?.children ?? []).map((el) => el.className);

    answer({ ok: true, status: 200, json: () => Promise.resolve(apiBody()) });
    await settle(request);
    expect(panel).toHaveAttribute('aria-busy', 'false');
    // Same blocks in the same order: the text replaces the placeholders in place.
    expect(Array.from(panel?.children ?? []).map((el) => el.className)).toEqual(before);
  });

  it.each([
    ['the API is down', fakeFetch(new TypeError('Failed to fetch')), /Failed to fetch/],
    ['the API answers 500', fakeFetch({ status: 500, body: { error: 'boom' } }), /HTTP 500/],
    ['the API answers garbage', fakeFetch({ body: '<html>' }), /unexpected response/],
  ])('renders the built-in defaults with one warning when %s', async (_case, fetchImpl, reason) => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { request, container } = renderWith(fetchImpl);
    await settle(request);

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(DEFAULT_SETTINGS.heroTitle);
    expect(screen.getByRole('link', { name: DEFAULT_SETTINGS.ctaLabel })).toHaveAttribute(
      'href',
      DEFAULT_SETTINGS.ctaUrl
    );
    expect(container.querySelector('.site')).toHaveAttribute('data-settings-source', 'defaults');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(reason);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/default settings/);
  });

  it('falls back to the default for an invalid field only', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { request } = renderWith(fakeFetch({ body: apiBody({ ctaUrl: 'javascript:alert(1)' }) }));
    await settle(request);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
    expect(screen.getByRole('link', { name: apiSettings.ctaLabel })).toHaveAttribute(
      'href',
      DEFAULT_SETTINGS.ctaUrl
    );
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain('ctaUrl');
  });

  it('shows a maintenance notice instead of the CTA in maintenance mode', async () => {
    const { request } = renderWith(fakeFetch({ body: apiBody({ maintenanceMode: true }) }));
    await settle(request);
    const notice = screen.getByRole('status');
    expect(notice).toHaveTextContent(/maintenance/i);
    expect(within(screen.getByRole('main')).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
  });
});
