import { Fog, PerspectiveCamera, Scene, WebGLRenderer } from 'three';
import { hero3dDiagnostics, type MemoryCounts } from '../diagnostics/hero3dDiagnostics';
import { createHeroObjects } from './heroObjects';

/** The settings that shape the scene; all of them can change on a live scene (`update`). */
export interface HeroLook {
  primaryColor: string;
  accentColor: string;
  backgroundColor: string;
  density: number;
  /** Speed multiplier; 0 renders a still frame and no loop runs. */
  speed: number;
}

export interface HeroSceneOptions extends HeroLook {
  paused: boolean;
  allowSoftwareWebGL: boolean;
  onContextLost: () => void;
}

export interface HeroScene {
  setPaused(paused: boolean): void;
  /**
   * Applies new settings to the running scene, on the same renderer and WebGL context: speed and
   * fog in place; new colours or density rebuild the particles and wireframe (the old ones are
   * disposed first), continuing the animation where it was. Same values: nothing happens.
   */
  update(look: HeroLook): void;
  dispose(): void;
}

/** Retina is plenty for soft dots; 3× phones would triple the fill cost for no visible gain. */
export const MAX_PIXEL_RATIO = 2;

/**
 * Renders the hero scene into a new canvas inside `container`. Frames are only drawn while
 * something moves: the loop stops when paused, when the tab is hidden and when the hero is
 * scrolled out of view; otherwise rendering happens on demand (first frame, resize).
 * Throws if no WebGL2 context can be created; the caller falls back to the CSS background.
 */
export function createHeroScene(container: HTMLElement, options: HeroSceneOptions): HeroScene {
  // Checked before any GPU resource exists, so failing here leaks nothing.
  if (typeof ResizeObserver === 'undefined' || typeof IntersectionObserver === 'undefined') {
    throw new Error('ResizeObserver/IntersectionObserver are not supported.');
  }
  const canvas = document.createElement('canvas');
  canvas.className = 'hero-bg__canvas';
  const pixelRatio = Math.min(window.devicePixelRatio || 1, MAX_PIXEL_RATIO);
  // MSAA is what makes the thin wireframe smooth at 1×; at 2× it only adds fill cost.
  const antialias = pixelRatio < 2;
  // Own context creation: a null here is a quiet fallback, where three.js would log an error.
  const gl = canvas.getContext('webgl2', {
    alpha: true,
    antialias,
    premultipliedAlpha: true,
    depth: true,
    stencil: false,
    powerPreference: 'default',
    failIfMajorPerformanceCaveat: !options.allowSoftwareWebGL,
  });
  if (!gl) throw new Error('Could not create a WebGL2 context.');
  hero3dDiagnostics.trackContext(gl);

  let renderer: WebGLRenderer;
  try {
    renderer = new WebGLRenderer({ canvas, context: gl, alpha: true, antialias });
  } catch (error) {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    throw error;
  }
  renderer.setPixelRatio(pixelRatio);
  renderer.setClearColor(0x000000, 0); // transparent: the CSS background shows through

  const scene = new Scene();
  const camera = new PerspectiveCamera(50, 1, 0.1, 100);
  camera.position.set(0, 0, 16);
  const { primaryColor, accentColor, backgroundColor, density, speed } = options;
  let look: HeroLook = { primaryColor, accentColor, backgroundColor, density, speed };
  const fog = new Fog(look.backgroundColor, 14, 34);
  scene.fog = fog;
  let objects = createHeroObjects(look);
  scene.add(objects.root);

  let paused = options.paused;
  let inView = true;
  let contextLost = false;
  let disposed = false;
  let running = false;
  let frame = 0;
  let last = 0;
  let framesRendered = 0;

  const render = () => {
    renderer.render(scene, camera);
    framesRendered += 1;
  };

  const loop = (now: number) => {
    frame = requestAnimationFrame(loop);
    // Clamp the delta so a long stall (debugger, slow frame) does not make the scene jump.
    const dt = last ? Math.min((now - last) / 1000, 0.1) : 0;
    last = now;
    objects.update(dt * look.speed);
    render();
  };

  const sync = () => {
    const shouldRun =
      !disposed && !contextLost && !paused && inView && !document.hidden && look.speed > 0;
    if (shouldRun && !running) {
      running = true;
      last = 0;
      frame = requestAnimationFrame(loop);
    } else if (!shouldRun && running) {
      running = false;
      cancelAnimationFrame(frame);
    }
  };

  const resize = (width: number, height: number) => {
    if (width <= 0 || height <= 0 || contextLost) return;
    renderer.setSize(width, height, false); // CSS sizes the canvas; this sets the buffer
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    objects.layout(camera);
    if (!running) render();
  };

  const onContextLost = () => {
    contextLost = true;
    sync();
    options.onContextLost();
  };
  const onVisibilityChange = () => sync();

  const resizeObserver = new ResizeObserver(([entry]) => {
    if (entry) resize(entry.contentRect.width, entry.contentRect.height);
  });
  const intersectionObserver = new IntersectionObserver(([entry]) => {
    inView = entry?.isIntersecting ?? true;
    sync();
  });

  canvas.addEventListener('webglcontextlost', onContextLost);
  document.addEventListener('visibilitychange', onVisibilityChange);
  container.appendChild(canvas);
  resize(container.clientWidth, container.clientHeight);
  resizeObserver.observe(container);
  intersectionObserver.observe(container);
  render();

  const memory = (): MemoryCounts => ({
    geometries: renderer.info.memory.geometries,
    textures: renderer.info.memory.textures,
  });

  hero3dDiagnostics.sceneReady({
    memory,
    frames: () => framesRendered,
    drawnPixels() {
      // Read back in the same task as the render: the drawing buffer is still intact then.
      render();
      const { drawingBufferWidth: w, drawingBufferHeight: h } = gl;
      const pixels = new Uint8Array(w * h * 4);
      gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
      let drawn = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) drawn += 1;
      return drawn;
    },
  });
  sync();

  return {
    setPaused(value) {
      paused = value;
      sync();
    },
    update(next) {
      if (disposed) return;
      const reshape =
        next.primaryColor !== look.primaryColor ||
        next.accentColor !== look.accentColor ||
        next.density !== look.density;
      const changed =
        reshape || next.backgroundColor !== look.backgroundColor || next.speed !== look.speed;
      if (!changed) return;
      look = { ...next };
      fog.color.set(look.backgroundColor);
      if (reshape) {
        const elapsed = objects.elapsed();
        scene.remove(objects.root);
        for (const resource of objects.disposables) resource.dispose();
        objects = createHeroObjects(look);
        objects.update(elapsed);
        objects.layout(camera);
        scene.add(objects.root);
      }
      sync();
      // Drawn at once, not on the loop's next frame (there may be none: paused, speed 0).
      if (!contextLost) render();
      hero3dDiagnostics.sceneUpdated();
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      sync();
      resizeObserver.disconnect();
      intersectionObserver.disconnect();
      document.removeEventListener('visibilitychange', onVisibilityChange);
      canvas.removeEventListener('webglcontextlost', onContextLost);

      for (const resource of objects.disposables) resource.dispose();
      scene.clear();
      const leftover = memory(); // should be all zeros now; reported, not assumed
      renderer.dispose();
      if (!gl.isContextLost()) renderer.forceContextLoss(); // frees the GPU context right away
      canvas.remove();
      hero3dDiagnostics.sceneDisposed(leftover);
    },
  };
}
