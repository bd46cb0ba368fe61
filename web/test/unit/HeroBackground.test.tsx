import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Hero } from '../../src/hero/Hero';
import { chooseHeroMode } from '../../src/hero/heroMode';
import { PAUSED_STORAGE_KEY } from '../../src/hero/usePausedPreference';
import { isWebGL2Available } from '../../src/hero/webglSupport';
import type { PlatformSettings } from '../../src/settings/types';
import { apiSettings, mockReducedMotion } from './fixtures';

jest.mock('../../src/hero/webglSupport', () => ({ isWebGL2Available: jest.fn() }));

// The real scene needs WebGL, which jsdom lacks; a stand-in records what it was given.
jest.mock('../../src/hero3d/HeroBackground3D', () => {
  const { createElement } = jest.requireActual<typeof import('react')>('react');
  return {
    __esModule: true,
    default: (props: { paused: boolean; onFailure: (reason: string) => void }) =>
      createElement('div', {
        'data-testid': 'hero-3d',
        'data-paused': String(props.paused),
        onClick: () => props.onFailure('context-lost'),
      }),
  };
});

const webgl = isWebGL2Available as jest.MockedFunction<typeof isWebGL2Available>;

function renderHero(overrides: Partial<PlatformSettings> = {}) {
  return render(<Hero settings={{ ...apiSettings, ...overrides }} allowSoftwareWebGL={false} />);
}

const background = () => screen.getByTestId('hero-background');

beforeEach(() => {
  mockReducedMotion(false);
  webgl.mockReset();
  webgl.mockReturnValue(true);
});

describe('HeroBackground mode', () => {
  it('loads the 3D scene lazily, after paint, when WebGL is available', async () => {
    renderHero();
    // First frame: only the CSS background, nothing probed yet.
    expect(background()).toHaveAttribute('data-hero-mode', 'pending');
    expect(screen.queryByTestId('hero-3d')).not.toBeInTheDocument();

    expect(await screen.findByTestId('hero-3d')).toBeInTheDocument();
    expect(background()).toHaveAttribute('data-hero-mode', '3d');
    expect(webgl).toHaveBeenCalledWith({ allowSoftware: false });
    expect(screen.getByRole('button', { name: 'Pause animation' })).toBeVisible();
  });

  it('uses the CSS fallback when WebGL is missing', async () => {
    webgl.mockReturnValue(false);
    renderHero();
    // After the first paint (a fixed 50 ms wait was flaky on a busy machine).
    await waitFor(() => expect(background()).toHaveAttribute('data-hero-mode', 'fallback'));
    expect(background()).toHaveAttribute('data-fallback-reason', 'no-webgl');
    expect(screen.queryByTestId('hero-3d')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /animation/ })).not.toBeInTheDocument();
  });

  it('uses the CSS fallback, without probing WebGL, when the visitor prefers reduced motion', () => {
    mockReducedMotion(true);
    renderHero();
    expect(background()).toHaveAttribute('data-hero-mode', 'fallback');
    expect(background()).toHaveAttribute('data-fallback-reason', 'reduced-motion');
    expect(webgl).not.toHaveBeenCalled();
  });

  it('uses the CSS fallback, without probing WebGL, when hero3dEnabled is false', () => {
    renderHero({ hero3dEnabled: false });
    expect(background()).toHaveAttribute('data-hero-mode', 'fallback');
    expect(background()).toHaveAttribute('data-fallback-reason', 'disabled');
    expect(webgl).not.toHaveBeenCalled();
  });

  it('switches to the CSS fallback when the 3D scene reports a lost context', async () => {
    renderHero();
    fireEvent.click(await screen.findByTestId('hero-3d'));
    expect(background()).toHaveAttribute('data-fallback-reason', 'context-lost');
    expect(screen.queryByTestId('hero-3d')).not.toBeInTheDocument();
  });

  it('keeps the background decorative', () => {
    renderHero();
    expect(background()).toHaveAttribute('aria-hidden', 'true');
  });

  it('has no pause control when speed is 0 (nothing moves)', async () => {
    renderHero({ hero3dSpeed: 0 });
    await screen.findByTestId('hero-3d');
    expect(screen.queryByRole('button', { name: /animation/ })).not.toBeInTheDocument();
  });
});

describe('pause control', () => {
  it('pauses the animation and remembers the choice across reloads', async () => {
    const first = renderHero();
    fireEvent.click(await screen.findByRole('button', { name: 'Pause animation' }));
    expect(screen.getByTestId('hero-3d')).toHaveAttribute('data-paused', 'true');
    expect(window.localStorage.getItem(PAUSED_STORAGE_KEY)).toBe('true');
    first.unmount();

    renderHero(); // "reload"
    expect(await screen.findByRole('button', { name: 'Play animation' })).toBeInTheDocument();
    expect(screen.getByTestId('hero-3d')).toHaveAttribute('data-paused', 'true');
    fireEvent.click(screen.getByRole('button', { name: 'Play animation' }));
    expect(screen.getByTestId('hero-3d')).toHaveAttribute('data-paused', 'false');
    expect(window.localStorage.getItem(PAUSED_STORAGE_KEY)).toBe('false');
  });
});

describe('chooseHeroMode', () => {
  const ok = {
    settingsReady: true,
    enabled: true,
    reducedMotion: false,
    webgl: true,
    failure: null,
  } as const;

  it.each([
    [{ ...ok }, { kind: '3d' }],
    [{ ...ok, settingsReady: false }, { kind: 'pending' }],
    [{ ...ok, webgl: null }, { kind: 'pending' }],
    [
      { ...ok, webgl: false },
      { kind: 'fallback', reason: 'no-webgl' },
    ],
    [
      { ...ok, enabled: false },
      { kind: 'fallback', reason: 'disabled' },
    ],
    [
      { ...ok, reducedMotion: true, webgl: null },
      { kind: 'fallback', reason: 'reduced-motion' },
    ],
    [
      { ...ok, failure: 'create-failed' as const },
      { kind: 'fallback', reason: 'create-failed' },
    ],
  ])('%j -> %j', (input, expected) => {
    expect(chooseHeroMode(input)).toEqual(expected);
  });
});

describe('across live settings changes', () => {
  const rerenderWith = (
    view: ReturnType<typeof renderHero>,
    overrides: Partial<PlatformSettings>
  ) =>
    view.rerender(<Hero settings={{ ...apiSettings, ...overrides }} allowSoftwareWebGL={false} />);

  it('keeps the pause choice and the same 3D layer while colours, density and speed change', async () => {
    const view = renderHero();
    fireEvent.click(await screen.findByRole('button', { name: 'Pause animation' }));
    const layer = screen.getByTestId('hero-3d');
    rerenderWith(view, { primaryColor: '#DC2626', hero3dDensity: 3000, hero3dSpeed: 4 });
    expect(screen.getByTestId('hero-3d')).toBe(layer); // not remounted
    expect(layer).toHaveAttribute('data-paused', 'true');
    expect(screen.getByRole('button', { name: 'Play animation' })).toBeInTheDocument();

    rerenderWith(view, { hero3dSpeed: 0 }); // nothing moves: no control, choice kept
    expect(screen.queryByRole('button', { name: /animation/ })).not.toBeInTheDocument();
    rerenderWith(view, { hero3dSpeed: 2 });
    expect(screen.getByRole('button', { name: 'Play animation' })).toBeInTheDocument();
  });

  it('turns the 3D layer off and on with hero3dEnabled, probing WebGL only once', async () => {
    const view = renderHero();
    await screen.findByTestId('hero-3d');
    rerenderWith(view, { hero3dEnabled: false });
    expect(background()).toHaveAttribute('data-fallback-reason', 'disabled');
    expect(screen.queryByTestId('hero-3d')).not.toBeInTheDocument();
    rerenderWith(view, { hero3dEnabled: true });
    expect(await screen.findByTestId('hero-3d')).toBeInTheDocument();
    expect(webgl).toHaveBeenCalledTimes(1);
  });

  it('stays on the CSS background with reduced motion or without WebGL, whatever arrives', async () => {
    mockReducedMotion(true);
    const reduced = renderHero();
    rerenderWith(reduced, { hero3dEnabled: true, hero3dSpeed: 5, primaryColor: '#DC2626' });
    expect(background()).toHaveAttribute('data-fallback-reason', 'reduced-motion');
    expect(webgl).not.toHaveBeenCalled();
    reduced.unmount();

    mockReducedMotion(false);
    webgl.mockReturnValue(false);
    const noWebgl = renderHero();
    await waitFor(() => expect(background()).toHaveAttribute('data-fallback-reason', 'no-webgl'));
    rerenderWith(noWebgl, { hero3dDensity: 4000, accentColor: '#16A34A' });
    expect(background()).toHaveAttribute('data-fallback-reason', 'no-webgl');
    expect(screen.queryByTestId('hero-3d')).not.toBeInTheDocument();
  });
});
