import { act, render, screen } from '@testing-library/react';
import { decodePreviewToken, readPreviewToken } from '../../src/preview/previewLink';
import { PreviewApp } from '../../src/preview/PreviewApp';
import { apiBody, apiSettings, fakeFetch, mockReducedMotion } from './fixtures';

jest.mock('../../src/hero/webglSupport', () => ({ isWebGL2Available: jest.fn(() => false) }));

const API = 'http://cms.test';
const ADMIN = 'http://cms.test';

const tokenFor = (scope: string, exp: number) =>
  `${Buffer.from(JSON.stringify({ scope, sub: 1, exp })).toString('base64url')}.c2lnbmF0dXJl`;

/** A window double: the admin above it (parent), and the page's own message events. */
function fakeWindow({ framed = true } = {}) {
  const target = new EventTarget() as EventTarget & { parent: unknown; opener: unknown };
  const admin = { postMessage: jest.fn() };
  target.parent = framed ? admin : target;
  target.opener = null;
  const send = (data: unknown, origin = ADMIN) =>
    act(async () => {
      target.dispatchEvent(new MessageEvent('message', { data, origin }));
      await Promise.resolve();
    });
  return { win: target as unknown as Window, admin, send };
}

async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  });
}

function renderPreview(token: string | null, fetchImpl: jest.Mock, win: Window) {
  return render(
    <PreviewApp
      apiUrl={API}
      adminOrigin={ADMIN}
      token={token ? decodePreviewToken(token) : null}
      allowSoftwareWebGL={false}
      fetchImpl={fetchImpl}
      win={win}
    />
  );
}

beforeEach(() => mockReducedMotion(false));
afterEach(() => jest.useRealTimers());

describe('preview links', () => {
  it('reads the token from the fragment and what it is for from its payload', () => {
    const token = tokenFor('version:12', 1_700_000_000_000);
    expect(readPreviewToken(`#preview-token=${token}`)).toBe(token);
    expect(readPreviewToken('#other=1')).toBeNull();
    expect(decodePreviewToken(token)).toEqual({
      value: token,
      scope: { kind: 'version', version: 12 },
      homePage: null,
      expiresAt: 1_700_000_000_000,
    });
    expect(decodePreviewToken(tokenFor('draft', 5))?.scope).toEqual({ kind: 'draft' });
    for (const bad of ['nope', 'a.b.c', tokenFor('version:0', 5), tokenFor('everything', 5)]) {
      expect(decodePreviewToken(bad)).toBeNull();
    }
  });
});

describe('PreviewApp', () => {
  it('renders the draft with its token, uncached, under a Preview banner, noindex', async () => {
    const { win } = fakeWindow();
    const fetchImpl = fakeFetch({ body: apiBody({ heroTitle: 'Draft title' }) });
    const { container } = renderPreview(tokenFor('draft', Date.now() + 60_000), fetchImpl, win);
    await flush();

    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Draft title');
    expect(screen.getByRole('region', { name: 'Preview' })).toHaveTextContent(
      'Preview · draft, not published'
    );
    expect(document.head.querySelector('meta[name="robots"]')).toHaveAttribute(
      'content',
      'noindex'
    );
    const [url, init] = fetchImpl.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${API}/api/platform-settings/draft`);
    expect(init.cache).toBe('no-store');
    expect(init.credentials).toBe('omit');
    expect((init.headers as Record<string, string>)['X-Preview-Token']).toMatch(/\./);
    // Never the public live updates.
    expect(container.querySelector('.site')).toHaveAttribute('data-live', 'off');
  });

  it('reads one version for a version token, and shows which', async () => {
    const { win } = fakeWindow({ framed: false });
    const fetchImpl = fakeFetch({ body: apiBody({ maintenanceMode: true }) });
    renderPreview(tokenFor('version:3', Date.now() + 60_000), fetchImpl, win);
    await flush();
    expect(fetchImpl.mock.calls[0][0]).toBe(`${API}/api/platform-settings/preview/versions/3`);
    expect(screen.getByRole('region', { name: 'Preview' })).toHaveTextContent('version 3');
    expect(screen.getByText(/Down for maintenance/)).toBeInTheDocument();
  });

  it("reads the draft again on Strapi's strapiUpdate message, from the admin's origin only", async () => {
    const { win, send } = fakeWindow();
    let title = 'First draft';
    const fetchImpl = jest.fn(() =>
      Promise.resolve({
        ok: true,
        status: 200,
        json: () => Promise.resolve(apiBody({ heroTitle: title })),
      } as Response)
    );
    renderPreview(tokenFor('draft', Date.now() + 60_000), fetchImpl, win);
    await flush();
    title = 'Second draft';
    await send({ type: 'strapiUpdate' }, 'http://evil.test');
    await flush();
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    await send({ type: 'strapiUpdate' });
    await flush();
    expect(fetchImpl).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Second draft');
  });

  it('asks the admin for a new token before this one expires, and uses the answer', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { win, admin, send } = fakeWindow();
    const fetchImpl = fakeFetch({ body: apiBody() });
    renderPreview(tokenFor('draft', 1_000_000 + 15_000), fetchImpl, win);
    await flush();
    act(() => void jest.advanceTimersByTime(9_000));
    expect(admin.postMessage).not.toHaveBeenCalled();
    act(() => void jest.advanceTimersByTime(1_500));
    expect(admin.postMessage).toHaveBeenCalledWith(
      { type: 'platform-settings:preview-token', scope: 'draft' },
      ADMIN
    );
    const renewed = tokenFor('draft', Date.now() + 15_000);
    await send({ type: 'platform-settings:preview-token', token: renewed });
    // Past the first token's lifetime: no expiry message, and the next read uses the new token.
    act(() => void jest.advanceTimersByTime(6_000));
    expect(screen.queryByRole('alert')).toBeNull();
    await send({ type: 'strapiUpdate' });
    await flush();
    const init = fetchImpl.mock.calls.at(-1)![1] as RequestInit;
    expect((init.headers as Record<string, string>)['X-Preview-Token']).toBe(renewed);
    // A renewal for another scope is not taken.
    await send({ type: 'platform-settings:preview-token', token: tokenFor('version:1', 9e15) });
    act(() => void jest.advanceTimersByTime(10_000));
    expect(admin.postMessage).toHaveBeenCalledTimes(2);
  });

  it('says the link has expired when nobody renews it, keeping the page', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const { win } = fakeWindow({ framed: false });
    renderPreview(tokenFor('draft', 1_000_000 + 5_000), fakeFetch({ body: apiBody() }), win);
    await flush();
    act(() => void jest.advanceTimersByTime(5_000));
    expect(screen.getByRole('alert')).toHaveTextContent(/expired; open the preview again/);
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(apiSettings.heroTitle);
  });

  it("shows the server's refusal in the banner, not a broken page", async () => {
    const { win } = fakeWindow();
    const fetchImpl = fakeFetch({
      status: 401,
      body: {
        error: { status: 401, message: 'The preview token has expired; open the preview again' },
      },
    });
    renderPreview(tokenFor('draft', Date.now() + 60_000), fetchImpl, win);
    await flush();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The preview token has expired; open the preview again.'
    );
    expect(screen.getByRole('heading', { level: 1 })).toBeInTheDocument();
  });

  it('says so when the link holds no token it can use', async () => {
    const { win } = fakeWindow();
    const fetchImpl = fakeFetch({ body: apiBody() });
    renderPreview(null, fetchImpl, win);
    await flush();
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent(/not valid/);
  });
});
