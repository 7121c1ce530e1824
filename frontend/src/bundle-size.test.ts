// The phone must stay small for old phones on poor connections. Everything a
// phone can load (the entry, the join page, the meeting view, the "what changed"
// view, what they import, JS and CSS) plus the largest of the catalogues,
// gzipped, is at most 50 KB; the join page loads none of the meeting view.
// The "were you heard?" check is a page of its own after the close (/m/{id}/heard):
// a session there loads the entry, the join page's code, the check and its
// imports, the largest catalogue and the largest of the check's catalogue parts,
// also at most 50 KB; the meeting view loads none of it.
// The child's own page (/kind) is a page session of its own too: the entry, the
// phone's page around it, its own chunk and the largest family catalogue with the
// child's part stay under the same limit, and no other phone page loads its chunk.
// Reads the build output in frontend/dist, running the same build as
// `npm run build` first when there is none.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const dist = join(__dirname, '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
const LIMIT = 50 * 1024;
const PHONE = 'src/lib/components/phone/PhoneApp.svelte';
const MEETING = 'src/lib/components/phone/PhoneMeeting.svelte';
const WHAT_CHANGED = 'src/lib/components/WhatChanged.svelte';
const HEARD = 'src/lib/components/phone/HeardCheck.svelte';
// Every language, read from the catalogue folder so a new language is counted.
const LANGS = readdirSync(join(__dirname, 'lib', 'i18n'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace('.json', ''));
const CATALOGUES = LANGS.map((l) => `src/lib/i18n/${l}.json?family`);
const HEARD_TEXTS = LANGS.map((l) => `src/lib/i18n/${l}.json?heard`);
const CHILD = 'src/lib/components/child/Kind.svelte';
const gz = (f: string) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;

interface Chunk {
  file: string;
  name?: string;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

/**
 * The manifest key of a source's chunk. Rollup may merge a dynamic entry into a
 * shared chunk (keyed "_Name-hash.js"); it keeps the entry's name.
 */
function keyOf(manifest: Record<string, Chunk>, src: string): string {
  if (manifest[src]) return src;
  const name = src.split('/').pop()!.replace(/\.\w+$/, '');
  const key = Object.keys(manifest).find((k) => manifest[k]!.isDynamicEntry && manifest[k]!.name === name);
  if (!key) throw new Error(`chunk ${src} not in manifest`);
  return key;
}

/** Files the browser must load for a chunk: itself, its CSS, its static imports (not dynamic ones). */
function staticClosure(manifest: Record<string, Chunk>, roots: string[]): Set<string> {
  const files = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[keyOf(manifest, key)];
    if (!chunk) throw new Error(`chunk ${key} not in manifest`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  roots.forEach(visit);
  return files;
}

describe('phone bundle', () => {
  beforeAll(async () => {
    if (existsSync(manifestPath)) return;
    const { build } = await import('vite');
    // Vitest runs with NODE_ENV=test, which would give Svelte's dev build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(__dirname, '..', 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = env;
    }
  }, 120_000);

  it('is at most 50 KB gzipped (JS + CSS), with the largest catalogue', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE, MEETING, WHAT_CHANGED]);
    let code = 0;
    for (const f of files) code += gz(f);
    const sizes = CATALOGUES.map((c) => ({ c, size: gz(manifest[c]!.file) }));
    const largest = Math.max(...sizes.map((s) => s.size));
    const join = [...staticClosure(manifest, ['index.html', PHONE])].reduce((n, f) => n + gz(f), 0);
    console.log(
      `phone bundle: ${(code / 1024).toFixed(1)} KB gzipped in ${files.size} files (join page ${(join / 1024).toFixed(1)} KB), ` +
        `catalogues ${sizes.map((s) => `${s.c.slice(13, 15)} ${(s.size / 1024).toFixed(1)}`).join(', ')} KB`,
    );
    expect(code + largest).toBeLessThanOrEqual(LIMIT);
  });

  it('the check\'s page is at most 50 KB gzipped, with the largest catalogue and its largest part', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE, HEARD]);
    let code = 0;
    for (const f of files) code += gz(f);
    const largest = Math.max(...CATALOGUES.map((c) => gz(manifest[c]!.file)));
    const part = Math.max(...HEARD_TEXTS.map((c) => gz(manifest[c]!.file)));
    console.log(`check page: ${(code / 1024).toFixed(1)} KB gzipped in ${files.size} files, texts ${(largest / 1024).toFixed(1)} + ${(part / 1024).toFixed(1)} KB`);
    expect(part).toBeGreaterThan(0);
    expect(code + largest + part).toBeLessThanOrEqual(LIMIT);
  });

  it('the meeting view loads neither the check nor its texts', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE, MEETING, WHAT_CHANGED]);
    expect(files.has(manifest[keyOf(manifest, HEARD)]!.file)).toBe(false);
    expect(HEARD_TEXTS.filter((c) => files.has(manifest[c]!.file))).toEqual([]);
    // The check's texts are in no family catalogue: the meeting view never downloads them.
    const nl = readFileSync(join(dist, manifest[CATALOGUES[0]!]!.file), 'utf8');
    expect(nl).not.toContain('heard.q.heard');
    expect(readFileSync(join(dist, manifest[HEARD_TEXTS[0]!]!.file), 'utf8')).toContain('heard.q.heard');
  });

  it("the child's page is at most 50 KB gzipped, with the largest catalogue and its part", () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE, CHILD]);
    const code = [...files].reduce((n, f) => n + gz(f), 0);
    const largest = Math.max(...LANGS.map((l) => gz(manifest[`src/lib/i18n/${l}.json?family`]!.file) + gz(manifest[`src/lib/i18n/${l}.json?child`]!.file)));
    console.log(`child page: ${(code / 1024).toFixed(1)} KB gzipped in ${files.size} files, largest catalogue with part ${(largest / 1024).toFixed(1)} KB`);
    expect(code + largest).toBeLessThanOrEqual(LIMIT);
  });

  it("no phone page of a meeting loads the child's page, and the child's page loads no meeting view", () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const child = manifest[keyOf(manifest, CHILD)]!.file;
    expect(staticClosure(manifest, ['index.html', PHONE, MEETING, WHAT_CHANGED]).has(child)).toBe(false);
    const files = staticClosure(manifest, ['index.html', PHONE, CHILD]);
    expect(files.has(manifest[keyOf(manifest, MEETING)]!.file)).toBe(false);
    expect(files.has(manifest[keyOf(manifest, WHAT_CHANGED)]!.file)).toBe(false);
  });

  it('a phone in a plain meeting loads no Signs of Safety code: it is in chunks of its own', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE, MEETING, WHAT_CHANGED]);
    for (const src of ['src/lib/components/phone/PhoneSafety.svelte', 'src/lib/components/SafetyChanges.svelte']) {
      expect(files.has(manifest[keyOf(manifest, src)]!.file), src).toBe(false);
    }
  });

  it('the join page loads neither the meeting view nor the "what changed" view', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE]);
    expect(files.has(manifest[keyOf(manifest, MEETING)]!.file)).toBe(false);
    expect(files.has(manifest[keyOf(manifest, WHAT_CHANGED)]!.file)).toBe(false);
  });

  it('loads no catalogue statically: only the chosen language is fetched', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE, MEETING]);
    expect(CATALOGUES.filter((c) => files.has(manifest[c]!.file))).toEqual([]);
  });

  it('does not load the console or screen code', () => {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, Chunk>;
    const files = staticClosure(manifest, ['index.html', PHONE]);
    const console = manifest['src/lib/components/console/ConsoleApp.svelte']?.file;
    const screen = manifest['src/lib/components/screen/ScreenApp.svelte']?.file;
    expect(console && files.has(console)).toBeFalsy();
    expect(screen && files.has(screen)).toBeFalsy();
  });
});
