import {
  BufferGeometry,
  Color,
  EdgesGeometry,
  Float32BufferAttribute,
  Group,
  IcosahedronGeometry,
  LineBasicMaterial,
  LineSegments,
  MathUtils,
  type PerspectiveCamera,
  Points,
  PointsMaterial,
} from 'three';
import { createSoftDotTexture } from './softDotTexture';

export interface HeroObjectsOptions {
  primaryColor: string;
  accentColor: string;
  /** Total particle count (galaxy + ambient dust). */
  density: number;
}

export interface HeroObjects {
  root: Group;
  /** Advances the animation by `dt` seconds (already scaled by the speed setting). */
  update(dt: number): void;
  /** Animation time so far: a rebuilt set of objects continues from here (`update(elapsed)`). */
  elapsed(): number;
  /** Places the galaxy beside the text on wide screens, below it on narrow ones. */
  layout(camera: PerspectiveCamera): void;
  /** Every geometry, material and texture created here, for disposal. */
  disposables: { dispose(): void }[];
}

/** Deterministic PRNG so the field looks the same on every load (and in screenshots). */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GALAXY_RADIUS = 9;
const ARMS = 3;

/**
 * A slowly turning spiral of particles around a wireframe icosahedron, plus a sparse dust field.
 * Colours are only ever mixes of the theme colours (normal alpha blending, no additive glow), so
 * the contrast maths in theme/buildTheme.ts holds for every pixel.
 */
export function createHeroObjects({
  primaryColor,
  accentColor,
  density,
}: HeroObjectsOptions): HeroObjects {
  const random = mulberry32(0x5eed);
  const primary = new Color(primaryColor);
  const accent = new Color(accentColor);
  const disposables: { dispose(): void }[] = [];
  const root = new Group();

  const galaxyCount = Math.round(density * 0.72);
  const dustCount = density - galaxyCount;
  const positions = new Float32Array(density * 3);
  const colors = new Float32Array(density * 4);
  const color = new Color();

  for (let i = 0; i < galaxyCount; i += 1) {
    const r = 0.8 + GALAXY_RADIUS * random() ** 1.35;
    const arm = ((i % ARMS) / ARMS) * Math.PI * 2;
    const angle = arm + r * 0.38 + (random() - 0.5) * 0.55;
    const scatter = 0.15 + r * 0.05;
    positions[i * 3] = Math.cos(angle) * r + (random() - 0.5) * scatter;
    positions[i * 3 + 1] = (random() - 0.5) * (0.7 - r * 0.04);
    positions[i * 3 + 2] = Math.sin(angle) * r + (random() - 0.5) * scatter;
    color
      .copy(accent)
      .lerp(primary, MathUtils.clamp(r / GALAXY_RADIUS + (random() - 0.5) * 0.35, 0, 1));
    colors.set([color.r, color.g, color.b, 0.7 + random() * 0.3], i * 4);
  }
  for (let i = galaxyCount; i < density; i += 1) {
    positions[i * 3] = (random() - 0.5) * 40;
    positions[i * 3 + 1] = (random() - 0.5) * 22;
    positions[i * 3 + 2] = -14 + random() * 16;
    color.copy(primary).lerp(accent, random());
    colors.set([color.r, color.g, color.b, 0.2 + random() * 0.4], i * 4);
  }

  const galaxy = new Group();
  galaxy.rotation.set(1.2, 0, 0.42); // tilt the disc towards the viewer
  const spin = new Group();
  galaxy.add(spin);
  root.add(galaxy);

  const dust = new Group();
  root.add(dust);

  if (density > 0) {
    const dot = createSoftDotTexture();
    const material = new PointsMaterial({
      size: 0.26,
      map: dot,
      vertexColors: true,
      transparent: true,
      depthWrite: false,
      sizeAttenuation: true,
    });
    const makePoints = (start: number, count: number) => {
      const geometry = new BufferGeometry();
      geometry.setAttribute(
        'position',
        new Float32BufferAttribute(positions.subarray(start * 3, (start + count) * 3), 3)
      );
      geometry.setAttribute(
        'color',
        new Float32BufferAttribute(colors.subarray(start * 4, (start + count) * 4), 4)
      );
      disposables.push(geometry);
      return new Points(geometry, material);
    };
    disposables.push(dot, material);
    if (galaxyCount > 0) spin.add(makePoints(0, galaxyCount));
    if (dustCount > 0) dust.add(makePoints(galaxyCount, dustCount));
  }

  // Wireframe core: an outer geodesic shell and a counter-rotating inner one.
  const core = new Group();
  const shell = (radius: number, detail: number, hex: Color, opacity: number) => {
    const solid = new IcosahedronGeometry(radius, detail);
    const edges = new EdgesGeometry(solid);
    const material = new LineBasicMaterial({ color: hex, transparent: true, opacity });
    disposables.push(solid, edges, material);
    return new LineSegments(edges, material);
  };
  const outer = shell(2.1, 1, accent, 0.7);
  const inner = shell(1.1, 0, primary, 0.9);
  core.add(outer, inner);
  galaxy.add(core);

  let elapsed = 0;
  return {
    root,
    disposables,
    elapsed: () => elapsed,
    update(dt) {
      elapsed += dt;
      spin.rotation.y += dt * 0.06;
      dust.rotation.y += dt * 0.008;
      outer.rotation.x += dt * 0.12;
      outer.rotation.y += dt * 0.18;
      inner.rotation.x -= dt * 0.2;
      inner.rotation.z -= dt * 0.14;
      core.position.y = Math.sin(elapsed * 0.7) * 0.25;
    },
    layout(camera) {
      const halfHeight = Math.tan(MathUtils.degToRad(camera.fov / 2)) * camera.position.z;
      const halfWidth = halfHeight * camera.aspect;
      if (camera.aspect >= 1.1) galaxy.position.set(halfWidth * 0.42, 0.2, 0);
      else galaxy.position.set(0, -halfHeight * 0.45, -3);
    },
  };
}
