import { useEffect, useState } from 'react';
import type { PlatformSettings } from '../settings/types';
import { afterNextPaint } from './afterNextPaint';
import { usePrefersReducedMotion } from './usePrefersReducedMotion';
import { isWebGL2Available } from './webglSupport';

export type FallbackReason =
  'disabled' | 'reduced-motion' | 'no-webgl' | 'context-lost' | 'create-failed' | 'load-failed';

export type HeroMode =
  { kind: 'pending' } | { kind: 'fallback'; reason: FallbackReason } | { kind: '3d' };

export interface HeroModeInput {
  settingsReady: boolean;
  enabled: boolean;
  reducedMotion: boolean;
  /** Result of the WebGL probe; null while not probed yet. */
  webgl: boolean | null;
  /** Set when the 3D scene failed at run time. */
  failure: FallbackReason | null;
}

/** Which background the hero shows. The CSS background is drawn in every mode. */
export function chooseHeroMode(input: HeroModeInput): HeroMode {
  if (!input.settingsReady) return { kind: 'pending' };
  if (!input.enabled) return { kind: 'fallback', reason: 'disabled' };
  if (input.reducedMotion) return { kind: 'fallback', reason: 'reduced-motion' };
  if (input.failure) return { kind: 'fallback', reason: input.failure };
  if (input.webgl === null) return { kind: 'pending' };
  if (!input.webgl) return { kind: 'fallback', reason: 'no-webgl' };
  return { kind: '3d' };
}

/**
 * Decides between the 3D scene and the CSS fallback. WebGL is probed only when 3D is wanted, and
 * only after the hero text has painted, so neither the probe nor three.js delays first paint.
 */
export function useHeroMode(
  settings: PlatformSettings | null,
  allowSoftwareWebGL: boolean
): { mode: HeroMode; fail: (reason: FallbackReason) => void } {
  const reducedMotion = usePrefersReducedMotion();
  const [webgl, setWebgl] = useState<boolean | null>(null);
  const [failure, setFailure] = useState<FallbackReason | null>(null);
  const wants3d = settings !== null && settings.hero3dEnabled && !reducedMotion;

  useEffect(() => {
    if (!wants3d || webgl !== null) return undefined;
    return afterNextPaint(() => setWebgl(isWebGL2Available({ allowSoftware: allowSoftwareWebGL })));
  }, [wants3d, webgl, allowSoftwareWebGL]);

  const mode = chooseHeroMode({
    settingsReady: settings !== null,
    enabled: settings?.hero3dEnabled ?? false,
    reducedMotion,
    webgl,
    failure,
  });
  return { mode, fail: setFailure };
}
