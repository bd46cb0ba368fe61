import { DataTexture, LinearFilter, LinearMipmapLinearFilter, RGBAFormat } from 'three';

/** A white, soft-edged round sprite so points render as glowing dots instead of squares. */
export function createSoftDotTexture(size = 64): DataTexture {
  const data = new Uint8Array(size * size * 4);
  const half = size / 2;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const d = Math.hypot(x + 0.5 - half, y + 0.5 - half) / half;
      const t = Math.max(0, 1 - d);
      const alpha = t * t * (3 - 2 * t); // smoothstep falloff
      const i = (y * size + x) * 4;
      data[i] = 255;
      data[i + 1] = 255;
      data[i + 2] = 255;
      data[i + 3] = Math.round(alpha * 255);
    }
  }
  const texture = new DataTexture(data, size, size, RGBAFormat);
  texture.magFilter = LinearFilter;
  texture.minFilter = LinearMipmapLinearFilter;
  texture.generateMipmaps = true;
  texture.needsUpdate = true;
  return texture;
}
