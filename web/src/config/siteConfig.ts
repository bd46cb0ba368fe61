import { buildEnv } from './buildEnv';

export const DEFAULT_API_URL = 'http://localhost:1337';

export interface SiteConfig {
  /** CMS origin, without a trailing slash. */
  apiUrl: string;
  /** Run the 3D hero even on a software WebGL renderer (SwiftShader, llvmpipe…). */
  allowSoftwareWebGL: boolean;
  /** Expose `window.__hero3d`, the browser tests' seam (see src/diagnostics/hero3dDiagnostics.ts). */
  diagnostics: boolean;
  /** How often live updates poll when the event stream is unavailable (src/live/). */
  livePollMs: number;
}

export const DEFAULT_LIVE_POLL_MS = 30_000;
/** The shortest `?livePoll=` accepted: a visitor's URL cannot make the page hammer the API. */
export const MIN_LIVE_POLL_MS = 1_000;

function readLivePollMs(value: string | null): number {
  const seconds = Number(value);
  if (value === null || !Number.isFinite(seconds) || seconds <= 0) return DEFAULT_LIVE_POLL_MS;
  return Math.max(MIN_LIVE_POLL_MS, Math.round(seconds * 1000));
}

/**
 * Build-time values, plus three documented query flags:
 * - `?webgl=force` accepts a software WebGL renderer (same as VITE_ALLOW_SOFTWARE_WEBGL=true);
 * - `?diagnostics=1` exposes the 3D diagnostics hook, but only in a build made with
 *   VITE_HERO_DIAGNOSTICS=true (the browser tests' builds). It is a test seam: a build-time switch,
 *   so no visitor's URL can turn it on in a site built for production;
 * - `?livePoll=SECONDS` polls that often (at least 1 s) when the event stream is unavailable
 *   (the browser tests use it; the default is 30 s).
 */
export function readSiteConfig(search: string, env = buildEnv): SiteConfig {
  const params = new URLSearchParams(search);
  const apiUrl = (env.apiUrl?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
  return {
    apiUrl,
    allowSoftwareWebGL: env.allowSoftwareWebGL === 'true' || params.get('webgl') === 'force',
    diagnostics: env.heroDiagnostics === 'true' && params.get('diagnostics') === '1',
    livePollMs: readLivePollMs(params.get('livePoll')),
  };
}

export const siteConfig: SiteConfig = readSiteConfig(
  typeof window === 'undefined' ? '' : window.location.search
);
