/**
 * The browser tests' seam into the 3D hero, exposed as `window.__hero3d` only in a build made with
 * VITE_HERO_DIAGNOSTICS=true and a page URL with `?diagnostics=1` (src/config/siteConfig.ts). It
 * lets a browser test (or a developer) mount/unmount the 3D scene and check that every WebGL
 * context is released and that `renderer.info.memory` returns to zero. It reads real state
 * (contexts' `isContextLost()`, three.js' own counters); it fakes nothing.
 */

export interface MemoryCounts {
  geometries: number;
  textures: number;
}

export interface Hero3DStats {
  /** A 3D scene is currently on screen. */
  mounted: boolean;
  /** Scenes that rendered their first frame / scenes disposed, since page load. */
  mounts: number;
  unmounts: number;
  /** Live settings changes applied to a mounted scene in place (no remount, same context). */
  updates: number;
  /** WebGL contexts created by this page (probe included) that are not lost/released yet. */
  liveContexts: number;
  /** `renderer.info.memory` of the mounted scene, or null. */
  memory: MemoryCounts | null;
  /** Frames the mounted scene has rendered (stops growing while paused or off-screen). */
  frames: number;
  /** `renderer.info.memory` right after the last scene disposed its resources. */
  lastDisposeMemory: MemoryCounts | null;
}

export interface Hero3DDiagnosticsApi {
  mount(): Promise<Hero3DStats>;
  unmount(): Promise<Hero3DStats>;
  stats(): Hero3DStats;
  /** Renders one frame and counts pixels the scene drew (alpha > 0); 0 when not mounted. */
  drawnPixels(): number;
}

/** What a live scene exposes to the diagnostics. */
export interface DiagnosableScene {
  memory(): MemoryCounts;
  frames(): number;
  drawnPixels(): number;
}

type GL = WebGLRenderingContext | WebGL2RenderingContext;

let enabled = false;
const contexts = new Set<GL>();
let active: DiagnosableScene | null = null;
let mounts = 0;
let unmounts = 0;
let updates = 0;
let lastDisposeMemory: MemoryCounts | null = null;
let hidden = false;
const hiddenListeners = new Set<() => void>();
let waiters: { on: 'ready' | 'disposed'; resolve: () => void }[] = [];

function settle(on: 'ready' | 'disposed'): void {
  const done = waiters.filter((w) => w.on === on);
  waiters = waiters.filter((w) => w.on !== on);
  done.forEach((w) => w.resolve());
}

function setHidden(value: boolean): void {
  hidden = value;
  hiddenListeners.forEach((listener) => listener());
}

function liveContexts(): number {
  for (const gl of contexts) if (gl.isContextLost()) contexts.delete(gl);
  return contexts.size;
}

function stats(): Hero3DStats {
  return {
    mounted: active !== null,
    mounts,
    unmounts,
    updates,
    liveContexts: liveContexts(),
    memory: active ? active.memory() : null,
    frames: active ? active.frames() : 0,
    lastDisposeMemory,
  };
}

function waitFor(on: 'ready' | 'disposed', timeoutMs = 15000): Promise<Hero3DStats> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`__hero3d: scene not ${on} after ${timeoutMs} ms (is WebGL on?)`)),
      timeoutMs
    );
    waiters.push({
      on,
      resolve: () => {
        clearTimeout(timer);
        resolve(stats());
      },
    });
  });
}

/** Hooks called by the app; no-ops unless diagnostics were installed. */
export const hero3dDiagnostics = {
  trackContext(gl: GL): void {
    if (enabled) contexts.add(gl);
  },
  sceneReady(scene: DiagnosableScene): void {
    mounts += 1;
    active = scene;
    settle('ready');
  },
  sceneUpdated(): void {
    updates += 1;
  },
  sceneDisposed(memory: MemoryCounts): void {
    unmounts += 1;
    active = null;
    lastDisposeMemory = memory;
    settle('disposed');
  },
  /** For useSyncExternalStore: whether diagnostics asked the 3D scene to stay unmounted. */
  subscribe: (listener: () => void): (() => void) => {
    hiddenListeners.add(listener);
    return () => hiddenListeners.delete(listener);
  },
  isHidden: (): boolean => hidden,
};

export function installHero3dDiagnostics(target: { __hero3d?: Hero3DDiagnosticsApi }): void {
  enabled = true;
  target.__hero3d = {
    mount() {
      if (active && !hidden) return Promise.resolve(stats());
      const ready = waitFor('ready');
      setHidden(false);
      return ready;
    },
    unmount() {
      if (!active) {
        setHidden(true);
        return Promise.resolve(stats());
      }
      const disposed = waitFor('disposed');
      setHidden(true);
      return disposed;
    },
    stats,
    drawnPixels: () => (active ? active.drawnPixels() : 0),
  };
}

declare global {
  interface Window {
    __hero3d?: Hero3DDiagnosticsApi;
  }
}
