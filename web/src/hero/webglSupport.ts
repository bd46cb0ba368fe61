import { hero3dDiagnostics } from '../diagnostics/hero3dDiagnostics';

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render/i;

const cache = new Map<boolean, boolean>();

/** Best-effort name of the GPU behind a context ("ANGLE (…SwiftShader…)", "Apple M2", …). */
function rendererName(gl: WebGL2RenderingContext): string {
  const name = String(gl.getParameter(gl.RENDERER) ?? '');
  // Chromium masks RENDERER ("WebKit WebGL") but still offers the unmasked name.
  if (name && !/^webkit webgl$/i.test(name)) return name;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL) ?? name) : name;
}

/**
 * Whether the 3D hero should run: can a WebGL2 context be created, on a hardware renderer unless
 * `allowSoftware`? Probed once per page and remembered; the probe context is released at once so
 * it does not count against the browser's context limit. Software renderers (SwiftShader,
 * llvmpipe) are refused by default, via `failIfMajorPerformanceCaveat` and, because Chromium does
 * not always flag SwiftShader that way, by the renderer's name: those visitors get the cheaper
 * CSS background. `?webgl=force` / VITE_ALLOW_SOFTWARE_WEBGL=true lift that restriction.
 */
export function isWebGL2Available({ allowSoftware }: { allowSoftware: boolean }): boolean {
  const known = cache.get(allowSoftware);
  if (known !== undefined) return known;

  let gl: WebGL2RenderingContext | null = null;
  let available = false;
  try {
    gl = document.createElement('canvas').getContext('webgl2', {
      failIfMajorPerformanceCaveat: !allowSoftware,
      antialias: false,
      depth: false,
      stencil: false,
    });
    available =
      gl !== null &&
      !gl.isContextLost() &&
      (allowSoftware || !SOFTWARE_RENDERER.test(rendererName(gl)));
  } catch {
    available = false;
  } finally {
    if (gl) {
      hero3dDiagnostics.trackContext(gl);
      gl.getExtension('WEBGL_lose_context')?.loseContext();
    }
  }
  cache.set(allowSoftware, available);
  return available;
}
