import { lazy, Suspense, useSyncExternalStore } from 'react';
import { hero3dDiagnostics } from '../diagnostics/hero3dDiagnostics';
import type { PlatformSettings } from '../settings/types';
import type { FallbackReason, HeroMode } from './heroMode';
import { LoadErrorBoundary } from './LoadErrorBoundary';

// Own chunk: three.js is only downloaded once the hero has painted and WebGL was found usable.
const HeroBackground3D = lazy(() => import('../hero3d/HeroBackground3D'));

interface Props {
  mode: HeroMode;
  settings: PlatformSettings | null;
  paused: boolean;
  allowSoftwareWebGL: boolean;
  onFailure: (reason: FallbackReason) => void;
}

/**
 * Decorative hero background: the CSS gradient is always drawn (it is the fallback, and what
 * shows while three.js loads); the 3D canvas is layered on top when the mode allows it.
 */
export function HeroBackground({ mode, settings, paused, allowSoftwareWebGL, onFailure }: Props) {
  const hiddenByDiagnostics = useSyncExternalStore(
    hero3dDiagnostics.subscribe,
    hero3dDiagnostics.isHidden,
    () => false
  );
  const show3d = mode.kind === '3d' && settings !== null && !hiddenByDiagnostics;

  return (
    <div
      className="hero-bg"
      aria-hidden="true"
      data-testid="hero-background"
      data-hero-mode={mode.kind}
      data-fallback-reason={mode.kind === 'fallback' ? mode.reason : undefined}
    >
      {show3d && (
        <LoadErrorBoundary
          onError={(error) => {
            console.warn('[hero3d] Could not load the 3D background; using the CSS one.', error);
            onFailure('load-failed');
          }}
        >
          <Suspense fallback={null}>
            <HeroBackground3D
              primaryColor={settings.primaryColor}
              accentColor={settings.accentColor}
              backgroundColor={settings.backgroundColor}
              density={settings.hero3dDensity}
              speed={settings.hero3dSpeed}
              paused={paused}
              allowSoftwareWebGL={allowSoftwareWebGL}
              onFailure={onFailure}
            />
          </Suspense>
        </LoadErrorBoundary>
      )}
    </div>
  );
}
