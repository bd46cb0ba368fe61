import { buildEnv } from './buildEnv';

export const DEFAULT_API_URL = 'http://localhost:1337';

export interface SiteConfig {
  /** CMS origin, without a trailing slash. */
  apiUrl: string;
  /** Run the 3D hero even on a software WebGL renderer (SwiftShader, llvmpipe…). */
  allowSoftwareWebGL: boolean;
  /** Expose `window.__hero3d` (see src/diagnostics/hero3dDiagnostics.ts). */
  diagnostics: boolean;
}

/**
 * Build-time values, plus two documented query flags:
 * - `?webgl=force` accepts a software WebGL renderer (same as VITE_ALLOW_SOFTWARE_WEBGL=true);
 * - `?diagnostics=1` exposes the 3D diagnostics hook.
 */
export function readSiteConfig(search: string, env = buildEnv): SiteConfig {
  const params = new URLSearchParams(search);
  const apiUrl = (env.apiUrl?.trim() || DEFAULT_API_URL).replace(/\/+$/, '');
  return {
    apiUrl,
    allowSoftwareWebGL: env.allowSoftwareWebGL === 'true' || params.get('webgl') === 'force',
    diagnostics: params.get('diagnostics') === '1',
  };
}

export const siteConfig: SiteConfig = readSiteConfig(
  typeof window === 'undefined' ? '' : window.location.search
);
