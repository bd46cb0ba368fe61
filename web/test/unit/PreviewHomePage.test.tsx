/**
 * The preview of the home page's draft: a token minted from the home page's history covers its
 * draft (and the settings' draft when the admin may read them). The site reads each with the
 * token, renders both through the same App as the public page, and says in the banner what it
 * shows; a token for the home page only shows it over the live settings.
 */
import { act, render, screen } from '@testing-library/react';
import { decodePreviewToken } from '../../src/preview/previewLink';
import { PreviewApp } from '../../src/preview/PreviewApp';
import { apiBody, mockReducedMotion } from './fixtures';
import { homePageBody } from './homePageFixtures';

jest.mock('../../src/hero/webglSupport', () => ({ isWebGL2Available: jest.fn(() => false) }));

const API = 'http://cms.test';
const ADMIN = 'http://cms.test';

const tokenFor = (scope: string | string[], exp: number) =>
  `${Buffer.from(JSON.stringify({ scope, sub: 1, exp })).toString('base64url')}.c2lnbmF0dXJl`;

/** Answers each URL from `routes` (status 200 unless given), 404 for any other. */
function routedFetch(routes: Record<string, { status?: number; body: unknown }>): jest.Mock {
  return jest.fn((url: string) => {
    const answer = routes[url.replace(API, '')] ?? { status: 404, body: null };
    const status = answer.status ?? 200;
    return Promise.resolve({
      ok: status >= 200 && status < 300,
      status,
      headers: new Headers(),
      json: () => Promise.resolve(answer.body),
    } as Response);
  });
}

function fakeWindow() {
  const target = new EventTarget() as EventTarget & { parent: unknown; opener: unknown };
  const admin = { postMessage: jest.fn() };
  target.parent = admin;
  target.opener = null;
  return { win: target as unknown as Window, admin };
}

async function flush() {
  await act(async () => {
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
  });
}

function renderPreview(token: string, fetchImpl: jest.Mock, win: Window) {
  return render(
    <PreviewApp
      apiUrl={API}
      adminOrigin={ADMIN}
      token={decodePreviewToken(token)}
      allowSoftwareWebGL={false}
      fetchImpl={fetchImpl}
      win={win}
    />
  );
}

const headersOf = (fetchImpl: jest.Mock, path: string) => {
  const call = fetchImpl.mock.calls.find(([url]) => url === `${API}${path}`) as
    [string, RequestInit] | undefined;
  return call ? (call[1].headers as Record<string, string>) : null;
};

const draftHome = homePageBody({
  seo: { title: 'Draft SEO title', description: 'Draft description' },
  features: [{ title: 'Draft feature', text: 'Only in the draft', icon: 'bolt' }],
});

beforeEach(() => mockReducedMotion(false));
afterEach(() => jest.useRealTimers());

describe('home-page preview tokens', () => {
  it('reads which drafts or versions a token covers, ignoring types the site does not show', () => {
    const both = decodePreviewToken(tokenFor(['home-page:draft', 'draft'], 5));
    expect(both).toMatchObject({ scope: { kind: 'draft' }, homePage: { kind: 'draft' } });
    const version = decodePreviewToken(tokenFor(['home-page:version:3'], 5));
    expect(version).toMatchObject({ scope: null, homePage: { kind: 'version', version: 3 } });
    expect(decodePreviewToken(tokenFor('home-page:draft', 5))?.homePage).toEqual({ kind: 'draft' });
    expect(decodePreviewToken(tokenFor(['articles:draft'], 5))).toBeNull();
    expect(decodePreviewToken(tokenFor(['home-page:version:0'], 5))).toBeNull();
  });
});

describe('PreviewApp with a home-page token', () => {
  it('renders the home page draft beside the settings draft, both read with the token', async () => {
    const { win } = fakeWindow();
    const fetchImpl = routedFetch({
      '/api/platform-settings/draft': { body: apiBody({ heroTitle: 'Draft hero' }) },
      '/api/home-page/draft': { body: draftHome },
    });
    const { container } = renderPreview(
      tokenFor(['home-page:draft', 'draft'], Date.now() + 60_000),
      fetchImpl,
      win
    );
    await flush();

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Draft hero');
    expect(screen.getByText('Draft feature')).toBeInTheDocument();
    expect(container.querySelector('.site')).toHaveAttribute('data-home-page', 'shown');
    expect(screen.getByRole('region', { name: 'Preview' })).toHaveTextContent(
      'Preview · draft, not published · home page draft, not published'
    );
    for (const path of ['/api/platform-settings/draft', '/api/home-page/draft']) {
      expect(headersOf(fetchImpl, path)?.['X-Preview-Token']).toMatch(/\./);
    }
    // Never the public home page or the public live updates.
    expect(headersOf(fetchImpl, '/api/home-page')).toBeNull();
    expect(container.querySelector('.site')).toHaveAttribute('data-live', 'off');
  });

  it('shows the home page draft over the live settings when the token covers only the home page', async () => {
    const { win } = fakeWindow();
    const fetchImpl = routedFetch({
      '/api/platform-settings': { body: apiBody({ heroTitle: 'Live hero' }) },
      '/api/home-page/draft': { body: draftHome },
    });
    renderPreview(tokenFor(['home-page:draft'], Date.now() + 60_000), fetchImpl, win);
    await flush();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Live hero');
    expect(screen.getByText('Draft feature')).toBeInTheDocument();
    expect(headersOf(fetchImpl, '/api/platform-settings')?.['X-Preview-Token']).toBeUndefined();
    expect(headersOf(fetchImpl, '/api/platform-settings/draft')).toBeNull();
    expect(screen.getByRole('region', { name: 'Preview' })).toHaveTextContent(
      'Preview · home page draft, not published'
    );
  });

  it('reads one version of the home page for a version token', async () => {
    const { win } = fakeWindow();
    const fetchImpl = routedFetch({
      '/api/platform-settings': { body: apiBody() },
      '/api/home-page/preview/versions/3': { body: homePageBody({}, 3) },
    });
    renderPreview(tokenFor(['home-page:version:3'], Date.now() + 60_000), fetchImpl, win);
    await flush();
    expect(screen.getByText('Reversible')).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Preview' })).toHaveTextContent(
      'home page version 3'
    );
  });

  it("shows the server's refusal of the home page in the banner, keeping the settings", async () => {
    const { win } = fakeWindow();
    const fetchImpl = routedFetch({
      '/api/platform-settings/draft': { body: apiBody({ heroTitle: 'Draft hero' }) },
      '/api/home-page/draft': {
        status: 403,
        body: {
          error: {
            status: 403,
            message: 'This preview token does not allow reading the draft of Home page',
          },
        },
      },
    });
    renderPreview(tokenFor(['home-page:draft', 'draft'], Date.now() + 60_000), fetchImpl, win);
    await flush();
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Draft hero');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'This preview token does not allow reading the draft of Home page.'
    );
  });

  it('asks the admin to renew the token for the home page', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { win, admin } = fakeWindow();
    const fetchImpl = routedFetch({
      '/api/platform-settings/draft': { body: apiBody() },
      '/api/home-page/draft': { body: draftHome },
    });
    renderPreview(tokenFor(['home-page:draft', 'draft'], 1_000_000 + 15_000), fetchImpl, win);
    await flush();
    act(() => void jest.advanceTimersByTime(10_500));
    expect(admin.postMessage).toHaveBeenCalledWith(
      { type: 'platform-settings:preview-token', scope: 'draft', typeKey: 'home-page' },
      ADMIN
    );
  });
});
