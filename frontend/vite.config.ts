import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { isChildText, isFamilyKey, isHeardText, isSafetyText } from './src/lib/i18n/family';

/** Shared modules every phone page loads: they go with the phone's HTTP module. */
const JOIN_SHARED = /lib\/(api\/http\.ts|i18n\/errors\.ts|components\/(nav\.svelte\.ts|announce\.svelte\.ts|LanguageSwitch\.svelte|LiveRegion\.svelte))/;
/** Shared modules the phone's meeting view loads (with the console and screen): one chunk. */
const MEETING_SHARED =
  /lib\/(realtime\/(safety|reducer|outbox|connection\.svelte|types|select)\.ts|components\/(statusAnnouncements\.svelte\.ts|(ConnectionBadge|PartyItems|SpeakingTurn|TopThree|CommandErrors|DomainSelect)\.svelte))/;

const root = fileURLToPath(new URL('.', import.meta.url));
// The Go server the dev server forwards /api (REST and websocket) to.
const api = process.env.TAFEL_DEV_API ?? 'http://127.0.0.1:8080';

/**
 * A catalogue imported with ?family keeps only the texts a family can see
 * (src/lib/i18n/family.ts), less those of the Signs of Safety shape, of the
 * "were you heard?" check and of the child's own page; ?safety keeps only the
 * first, for a phone in a Signs of Safety meeting, ?heard only the second, for the
 * check's own page, and ?child only the third, for the child's page.
 */
export function familyCatalogues(): Plugin {
  return {
    name: 'tafel-family-catalogues',
    enforce: 'pre',
    async load(id) {
      const [file, query] = id.split('?');
      if ((query !== 'family' && query !== 'safety' && query !== 'heard' && query !== 'child') || !file?.endsWith('.json')) return null;
      const all = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      const parts: Record<string, (k: string) => boolean> = { safety: isSafetyText, heard: isHeardText, child: isChildText };
      const keep = parts[query] ?? ((k: string) => isFamilyKey(k) && !isSafetyText(k) && !isHeardText(k) && !isChildText(k));
      // Still JSON: Vite's own JSON plugin turns it into a module. The translators'
      // notes (_meta) are no text: a phone does not download them.
      return JSON.stringify(Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('_') && keep(k))));
    },
  };
}

/**
 * Writes name.br and name.gz beside every text file of the build, at the highest
 * levels, once: the server sends them by Accept-Encoding (server/httpapi/static.go),
 * so a phone on a slow link gets a third of the bytes at no cost per request.
 * Node's own zlib does it; no plugin needed.
 */
export function precompress(outDir: string): Plugin {
  const compressible = /\.(js|css|html|svg|json|txt|webmanifest)$/;
  async function walk(dir: string): Promise<string[]> {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) out.push(...(await walk(p)));
      else out.push(p);
    }
    return out;
  }
  return {
    name: 'tafel-precompress',
    apply: 'build',
    async closeBundle() {
      for (const file of await walk(outDir)) {
        if (!compressible.test(file) || (await stat(file)).size < 512) continue;
        const body = await readFile(file);
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        const gz = gzipSync(body, { level: 9 });
        if (br.length < body.length) await writeFile(`${file}.br`, br);
        if (gz.length < body.length) await writeFile(`${file}.gz`, gz);
      }
    },
  };
}

export default defineConfig({
  root,
  plugins: [familyCatalogues(), svelte(), precompress(join(root, 'dist'))],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest lets the bundle-size test find the phone chunk and its static imports.
    manifest: true,
    target: 'es2020',
    // Six hash characters (36 bits) tell versions of a file apart as well as eight,
    // and every import and preload list names files: a phone downloads fewer bytes.
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash:6].js',
        chunkFileNames: 'assets/[name]-[hash:6].js',
        assetFileNames: 'assets/[name]-[hash:6][extname]',
        // Fewer, larger shared chunks for the phone: every chunk boundary costs
        // import/export glue and a gzip stream of its own. Left alone, Rollup splits
        // what the phone shares with the console by which surfaces use it (errors,
        // DomainSelect, ... apart). These groups hold only code the phone's join
        // page, or its meeting view, loads anyway (bundle-size.test.ts checks).
        manualChunks(id) {
          if (JOIN_SHARED.test(id)) return 'http';
          if (MEETING_SHARED.test(id)) return 'meeting';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: api, ws: true, changeOrigin: false },
      '/healthz': api,
    },
  },
});
