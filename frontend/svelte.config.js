import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

export default {
  preprocess: vitePreprocess(),
  // No window.__svelte version marker in every bundle: nothing reads it.
  compilerOptions: { discloseVersion: false },
};
