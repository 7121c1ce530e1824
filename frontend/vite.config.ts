import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';
import { isFamilyKey } from './src/lib/i18n/family';

const root = fileURLToPath(new URL('.', import.meta.url));
// The Go server the dev server forwards /api (REST and websocket) to.
const api = process.env.TAFEL_DEV_API ?? 'http://127.0.0.1:8080';

/** A catalogue imported with ?family keeps only the texts a family can see (src/lib/i18n/family.ts). */
export function familyCatalogues(): Plugin {
  return {
    name: 'tafel-family-catalogues',
    enforce: 'pre',
    async load(id) {
      const [file, query] = id.split('?');
      if (query !== 'family' || !file?.endsWith('.json')) return null;
      const all = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      // Still JSON: Vite's own JSON plugin turns it into a module.
      return JSON.stringify(Object.fromEntries(Object.entries(all).filter(([k]) => isFamilyKey(k))));
    },
  };
}

export default defineConfig({
  root,
  plugins: [familyCatalogues(), svelte()],
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
