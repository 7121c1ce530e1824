import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { gzipAsync } from '@gfx/zopfli';
import { isChildText, isFamilyKey, isHeardText, isSafetyText } from './src/lib/i18n/family';

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
 * Writes name.br and name.gz beside every text file this build wrote, at the
 * highest levels, once: the server sends them by Accept-Encoding
 * (server/httpapi/static.go), so a phone on a slow link gets a third of the bytes
 * at no cost per request. Brotli from Node's zlib; gzip from Zopfli (the same
 * format any gzip reader takes, some 3% smaller than zlib's level 9), zlib's when
 * that is smaller.
 */
export function precompress(outDir: string): Plugin {
  const compressible = /\.(js|css|html|svg|json|txt|webmanifest)$/;
  return {
    name: 'tafel-precompress',
    apply: 'build',
    async writeBundle(_options, bundle) {
      for (const name of Object.keys(bundle)) {
        const file = join(outDir, name);
        if (!compressible.test(file) || (await stat(file)).size < 512) continue;
        const body = await readFile(file);
        const br = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } });
        const zlib = gzipSync(body, { level: 9 });
        const zopfli = await gzipAsync(body, { numiterations: 15 });
        const gz = zopfli.length < zlib.length ? zopfli : zlib;
        if (br.length < body.length) await writeFile(`${file}.br`, br);
        if (gz.length < body.length) await writeFile(`${file}.gz`, gz);
      }
    },
  };
}

/** The phone's pages (the server sends phone.html for these, static.go keeps the same list). */
export function isPhonePath(path: string): boolean {
  return path === '/join' || path.startsWith('/join/') || path.startsWith('/m/') || path === '/toegankelijkheid' || path === '/kind';
}

/** In the dev server, the phone's pages get phone.html, as the Go server sends them. */
function phonePages(): Plugin {
  return {
    name: 'tafel-phone-pages',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url ?? '').split('?')[0]!;
        if (req.method === 'GET' && isPhonePath(path) && (req.headers.accept ?? '').includes('text/html')) req.url = '/phone.html';
        next();
      });
    },
  };
}

/**
 * The phone's chunks (the phone build): few and large, since every file is a gzip
 * stream of its own and a chunk boundary costs import/export glue. "join" is
 * everything the entry imports statically (the join page); each other group is a
 * lazily loaded view with the modules it imports that the join page does not
 * have, the first group claiming a shared module. The catalogues stay one chunk
 * per language and part. bundle-size.test.ts measures what each page session loads.
 */
const PHONE_GROUPS: [string, RegExp][] = [
  // The meeting view, every view it opens, and "what changed" in a follow-up:
  // most of it is needed in every meeting, and one stream compresses better.
  ['meeting', /components\/(phone\/(PhoneMeeting|RankByTap|PhoneAgree|FamilyList)|PlanView|WhatChanged)\.svelte$/],
  // Only a Signs of Safety meeting loads these.
  ['safety', /components\/(safety-views\.ts|SafetyChanges\.svelte)$|i18n\/safety-texts\.ts$/],
  ['heard', /components\/phone\/HeardCheck\.svelte$/],
  ['kind', /components\/child\/Kind\.svelte$/],
  ['a11y', /components\/phone\/AccessibilityStatement\.svelte$/],
];
const CATALOGUE_MODULE = /\/i18n\/\w+\.json(\?\w+)?$/;

function phoneChunks(): (id: string, meta: { getModuleIds: () => IterableIterator<string>; getModuleInfo: (id: string) => { isEntry: boolean; importedIds: readonly string[] } | null }) => string | undefined {
  let groups: Map<string, string> | undefined;
  return (id, { getModuleIds, getModuleInfo }) => {
    if (!groups) {
      const g = new Map<string, string>();
      const claim = (name: string, roots: string[]) => {
        const todo = [...roots];
        while (todo.length) {
          const m = todo.pop()!;
          if (g.has(m) || CATALOGUE_MODULE.test(m)) continue;
          g.set(m, name);
          todo.push(...(getModuleInfo(m)?.importedIds ?? []));
        }
      };
      const ids = [...getModuleIds()];
      claim('join', ids.filter((m) => getModuleInfo(m)?.isEntry));
      for (const [name, re] of PHONE_GROUPS) claim(name, ids.filter((m) => re.test(m.split('?')[0]!)));
      groups = g;
    }
    return groups.get(id);
  };
}

// Six hash characters (36 bits) tell versions of a file apart as well as eight,
// and every import and preload list names files: a phone downloads fewer bytes.
const names = {
  entryFileNames: 'assets/[name]-[hash:6].js',
  chunkFileNames: 'assets/[name]-[hash:6].js',
  assetFileNames: 'assets/[name]-[hash:6][extname]',
};

// Two builds into one dist/ (npm run build runs both): the console and the shared
// screen (index.html), then the phone (phone.html, --mode phone). Built apart, the
// phone carries only the Svelte runtime its own components use. Terser, three
// passes, makes the phone's code about a tenth smaller than esbuild's minifier.
export default defineConfig(({ mode }) => {
  const phone = mode === 'phone';
  return {
    root,
    plugins: [familyCatalogues(), svelte(), precompress(join(root, 'dist')), phonePages()],
    build: {
      outDir: 'dist',
      // The phone build comes second and keeps the console's files.
      emptyOutDir: !phone,
      // The manifests let the server preload a page's files and the bundle-size test
      // walk what each phone page session can load.
      manifest: phone ? '.vite/phone-manifest.json' : true,
      target: 'es2020',
      minify: 'terser',
      terserOptions: { compress: { passes: 3 } },
      // No modulepreload polyfill and links for lazy chunks on the phone: each one
      // imports only chunks that are loaded already (its CSS still comes with it).
      modulePreload: phone ? false : undefined,
      rollupOptions: {
        input: join(root, phone ? 'phone.html' : 'index.html'),
        output: { ...names, manualChunks: phone ? phoneChunks() : undefined },
      },
    },
    server: {
      proxy: {
        '/api': { target: api, ws: true, changeOrigin: false },
        '/healthz': api,
      },
    },
  };
});
