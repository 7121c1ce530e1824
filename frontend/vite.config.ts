import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
// The Go server the dev server forwards /api (REST and websocket) to.
const api = process.env.TAFEL_DEV_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest lets the bundle-size test find the phone chunk and its static imports.
    manifest: true,
    target: 'es2020',
  },
  server: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: false },
      '/healthz': api,
    },
  },
});
