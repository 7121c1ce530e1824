import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { familyCatalogues } from './vite.config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [familyCatalogues(), svelte()],
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
