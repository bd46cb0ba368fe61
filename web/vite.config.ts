import react from '@vitejs/plugin-react';
import { defineConfig, type PluginOption } from 'vite';

export default defineConfig({
  // npm hoists @vitejs/plugin-react beside the Strapi host's Vite 5, so its typings name that
  // Vite's Plugin type. At run time it only uses `createFilter`, the same in Vite 7.
  plugins: [react() as unknown as PluginOption],
  // Port 5173 is the origin the CMS allows through CORS, so it must not drift.
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    // The manifest lets scripts/bench.mjs tell the initial JS from the lazy three.js chunk.
    manifest: true,
    sourcemap: false,
  },
});
