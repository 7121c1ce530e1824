// The phone must stay small for old phones on poor connections. For each page
// session a phone can have, everything it can load in that session (JS and CSS,
// static and lazily loaded, found by walking the phone build's manifest from its
// entry) plus the largest of the nine catalogues and the largest of each catalogue
// part the session loads, gzipped as the server sends it, is at most 50 KB. A session is everything the
// phone's code can reach, less the chunks named as never loaded in it (with the
// reason), so a new lazily loaded phone chunk counts in every session until someone
// says why it does not. The join page loads none of the meeting view. The child's
// own page (/kind) and the "were you heard?" check are page sessions of their own.
//
// The phone is a build of its own (phone.html, --mode phone in vite.config.ts): its
// chunks are the groups named there (PHONE_GROUPS) and the catalogues. Reads the
// build output in frontend/dist, building the phone first when there is none.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const dist = join(__dirname, '..', 'dist');
const manifestPath = join(dist, '.vite', 'phone-manifest.json');
const consoleManifestPath = join(dist, '.vite', 'manifest.json');
const LIMIT = 50 * 1024;
const ENTRY = 'phone.html';
// Every language, read from the catalogue folder so a new language is counted.
const LANGS = readdirSync(join(__dirname, 'lib', 'i18n'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace('.json', ''));
/** A catalogue or a part of one: src/lib/i18n/nl.json?family, nl.json?safety, ... */
const CATALOGUE = /^src\/lib\/i18n\/(\w+)\.json(?:\?(\w+))?$/;
/**
 * The bytes of a file as the server sends it to a phone that takes gzip: its .gz
 * (made at build time, vite.config.ts precompress) or, when there is none (under
 * 512 bytes), the file itself. Brotli, which most phones take, is smaller still.
 */
function gz(f: string): number {
  const path = join(dist, f);
  return existsSync(`${path}.gz`) ? statSync(`${path}.gz`).size : statSync(path).size;
}
/** The same file gzipped by zlib at level 9, for comparison in the log. */
const zlib9 = (f: string) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;

interface Chunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, Chunk>;

interface Session {
  name: string;
  /** Chunks (vite.config.ts PHONE_GROUPS names) this session never loads, with the reason beside each. */
  never: string[];
  /** Only what the page loads before anyone taps: no lazily loaded chunk. */
  staticOnly?: boolean;
}

/** The page sessions a phone can have, each starting at the phone's entry. */
const SESSIONS: Session[] = [
  { name: 'join page', never: [], staticOnly: true },
  // From joining to the closed plan (and a follow-up's "what changed"), and the
  // accessibility statement the footer opens in the same page. The check's link is
  // a plain link: a page load of its own; no phone page links to the child's page.
  // Only a Signs of Safety meeting loads the safety views and texts (PhoneMeeting.svelte,
  // PlanView.svelte: m.safety; WhatChanged.svelte: previous.version.safety).
  { name: 'plain top-3 meeting', never: ['heard', 'kind', 'safety'] },
  { name: 'Signs of Safety meeting', never: ['heard', 'kind'] },
  // /m/{id}/heard: PhoneApp shows the check and nothing of the meeting, and the
  // check does not navigate into it.
  { name: '"were you heard?" page', never: ['meeting', 'safety', 'kind'] },
  // /kind: the child's page, with a child code; it links to no meeting view.
  { name: "child's page", never: ['meeting', 'safety', 'heard'] },
];

/** The manifest key of a phone chunk by its group name (or the entry). */
function keyOf(manifest: Manifest, name: string): string {
  const key = Object.keys(manifest).find((k) => manifest[k]!.name === name && (manifest[k]!.isEntry || manifest[k]!.isDynamicEntry));
  if (!key) throw new Error(`chunk ${name} not in the phone manifest`);
  return key;
}

interface Reach {
  /** Output files (JS and CSS) the session can load. */
  files: Set<string>;
  /** Catalogue queries the session can load: family, safety, heard, ... */
  parts: Set<string>;
}

/** Walks the manifest from the roots: imports, and dynamic imports unless staticOnly. */
function reach(manifest: Manifest, s: Session, roots = [ENTRY]): Reach {
  const never = new Set(s.never.map((n) => keyOf(manifest, n)));
  const out: Reach = { files: new Set(), parts: new Set() };
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key) || never.has(key)) return;
    seen.add(key);
    const cat = CATALOGUE.exec(key);
    if (cat) {
      // A phone loads the family catalogue and its parts, never a full catalogue.
      out.parts.add(cat[2] ?? 'full');
      return;
    }
    const chunk = manifest[key];
    if (!chunk) throw new Error(`${key} not in the phone manifest`);
    out.files.add(chunk.file);
    for (const css of chunk.css ?? []) out.files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
    if (!s.staticOnly) for (const dep of chunk.dynamicImports ?? []) visit(dep);
  };
  roots.forEach(visit);
  return out;
}

/** The largest of a catalogue part's languages, gzipped (a phone loads one at a time). */
function largestPart(manifest: Manifest, query: string): number {
  return Math.max(...LANGS.map((l) => gz(manifest[`src/lib/i18n/${l}.json?${query}`]!.file)));
}

const load = (path = manifestPath) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

describe('phone bundle', () => {
  beforeAll(async () => {
    if (existsSync(manifestPath)) return;
    const { build } = await import('vite');
    // Vitest runs with NODE_ENV=test, which would give Svelte's dev build.
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ configFile: join(__dirname, '..', 'vite.config.ts'), mode: 'phone', logLevel: 'warn' });
    } finally {
      process.env.NODE_ENV = env;
    }
  }, 180_000);

  it.each(SESSIONS)('$name: at most 50 KB gzipped (JS + CSS + largest catalogue and parts)', (s) => {
    const manifest = load();
    const { files, parts } = reach(manifest, s);
    const sizes = [...files].map((f) => ({ f, n: gz(f) })).sort((a, b) => b.n - a.n);
    const code = sizes.reduce((n, x) => n + x.n, 0);
    // The family catalogue is loaded on every phone page (phone.ts), statically or not.
    parts.add('family');
    const texts = [...parts].map((q) => ({ q, n: largestPart(manifest, q) }));
    const total = code + texts.reduce((n, x) => n + x.n, 0);
    const asZlib9 = [...files].reduce((n, f) => n + zlib9(f), 0);
    console.log(
      `${s.name}: ${total} bytes (${kb(total)}) = code ${kb(code)} (zlib -9: ${asZlib9}) in ${files.size} files + texts ` +
        `${texts.map((x) => `${x.q} ${x.n}`).join(', ')}; ` +
        sizes.map((x) => `${x.f.replace('assets/', '')} ${x.n}`).join(', '),
    );
    expect(files.size).toBeGreaterThan(1);
    expect(total).toBeLessThanOrEqual(LIMIT);
  });

  it('counts what the server sends: every .gz is its file, and only files of 512 bytes or more lack one', () => {
    const manifest = load();
    const all = reach(manifest, { name: 'anything', never: [] });
    const catalogues = Object.keys(manifest).filter((k) => CATALOGUE.test(k)).map((k) => manifest[k]!.file);
    for (const f of [...all.files, ...catalogues]) {
      const path = join(dist, f);
      const body = readFileSync(path);
      if (existsSync(`${path}.gz`)) expect(gunzipSync(readFileSync(`${path}.gz`)).equals(body), f).toBe(true);
      else expect(body.length, f).toBeLessThan(512);
    }
  });

  it('names only chunks the phone build has as never loaded', () => {
    const manifest = load();
    for (const s of SESSIONS) for (const n of s.never) expect(() => keyOf(manifest, n), `${s.name}: ${n}`).not.toThrow();
  });

  it('counts the lazily loaded chunks: a meeting session holds every view the meeting can open', () => {
    const manifest = load();
    const file = (name: string) => manifest[keyOf(manifest, name)]!.file;
    const plain = reach(manifest, SESSIONS[1]!);
    const safety = reach(manifest, SESSIONS[2]!);
    for (const name of ['meeting', 'a11y']) expect(plain.files.has(file(name)), name).toBe(true);
    expect(plain.files.has(file('safety'))).toBe(false);
    expect(safety.files.has(file('safety'))).toBe(true);
    expect(safety.parts.has('safety')).toBe(true);
    expect(plain.parts.has('safety')).toBe(false);
    const heard = reach(manifest, SESSIONS[3]!);
    expect(heard.parts.has('heard')).toBe(true);
    expect(heard.files.has(file('meeting'))).toBe(false);
  });

  it('the pages of their own reach no meeting view, and a meeting view reaches none of them', () => {
    const manifest = load();
    const file = (name: string) => manifest[keyOf(manifest, name)]!.file;
    // Every chunk imports the entry, which reaches everything: these walks stop there.
    const from = (name: string): Reach => {
      const out: Reach = { files: new Set(), parts: new Set() };
      const seen = new Set<string>();
      const visit = (k: string) => {
        if (k === ENTRY || seen.has(k)) return;
        seen.add(k);
        const cat = CATALOGUE.exec(k);
        if (cat) return void out.parts.add(cat[2] ?? 'full');
        const c = manifest[k]!;
        out.files.add(c.file);
        [...(c.imports ?? []), ...(c.dynamicImports ?? [])].forEach(visit);
      };
      visit(keyOf(manifest, name));
      return out;
    };
    for (const page of ['heard', 'kind']) {
      expect(from(page).files.has(file('meeting')), page).toBe(false);
      expect(from(page).parts.has('safety'), page).toBe(false);
    }
    const meeting = from('meeting');
    expect(meeting.files.has(file('heard'))).toBe(false);
    expect(meeting.files.has(file('kind'))).toBe(false);
    expect(meeting.parts.has('heard')).toBe(false);
    expect(meeting.parts.has('child')).toBe(false);
    expect(meeting.parts.has('safety')).toBe(true);
    expect(from('kind').parts.has('child')).toBe(true);
  });

  it('every phone chunk is counted in some session', () => {
    const manifest = load();
    const all = reach(manifest, { name: 'anything', never: [] });
    const counted = new Set(SESSIONS.flatMap((s) => [...reach(manifest, s).files]));
    expect([...all.files].filter((f) => !counted.has(f))).toEqual([]);
    // And every file the phone build wrote is reachable from its entry.
    const written = new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]));
    const catalogues = new Set(Object.keys(manifest).filter((k) => CATALOGUE.test(k)).map((k) => manifest[k]!.file));
    expect([...written].filter((f) => !all.files.has(f) && !catalogues.has(f))).toEqual([]);
  });

  it('the meeting view loads neither the check nor its texts', () => {
    const manifest = load();
    const { files, parts } = reach(manifest, SESSIONS[2]!);
    expect(files.has(manifest[keyOf(manifest, 'heard')]!.file)).toBe(false);
    expect(parts.has('heard')).toBe(false);
    // The check's texts are in no family catalogue: the meeting view never downloads them.
    const nl = readFileSync(join(dist, manifest['src/lib/i18n/nl.json?family']!.file), 'utf8');
    expect(nl).not.toContain('heard.q.heard');
    expect(readFileSync(join(dist, manifest['src/lib/i18n/nl.json?heard']!.file), 'utf8')).toContain('heard.q.heard');
  });

  it('the join page loads the entry alone: no meeting view, no "what changed"', () => {
    const manifest = load();
    const { files } = reach(manifest, SESSIONS[0]!);
    expect([...files].filter((f) => f.endsWith('.js'))).toEqual([manifest[ENTRY]!.file]);
    expect(files.has(manifest[keyOf(manifest, 'meeting')]!.file)).toBe(false);
  });

  it('loads no catalogue statically, and never a full one: only the chosen language is fetched', () => {
    const manifest = load();
    expect(reach(manifest, { name: 'static', never: [], staticOnly: true }).parts.size).toBe(0);
    const all = reach(manifest, { name: 'anything', never: [] });
    expect([...all.parts].sort()).toEqual(['child', 'family', 'heard', 'safety']);
    // The texts only the console shows are in no phone catalogue.
    const nl = readFileSync(join(dist, manifest['src/lib/i18n/nl.json?family']!.file), 'utf8');
    expect(nl).not.toContain('plan.closeConfirm');
  });

  it('holds no console or screen code', () => {
    const manifest = load();
    const sources = Object.values(manifest).map((c) => c.src ?? '');
    expect(sources.filter((s) => /components\/(console|screen)\//.test(s))).toEqual([]);
    // The console's build has its own chunks; the phone loads none of them.
    if (!existsSync(consoleManifestPath)) return;
    const consoleManifest = load(consoleManifestPath);
    const consoleFiles = ['src/lib/components/console/ConsoleApp.svelte', 'src/lib/components/screen/ScreenApp.svelte'].map(
      (k) => consoleManifest[k]!.file,
    );
    const all = reach(manifest, { name: 'anything', never: [] });
    expect(consoleFiles.filter((f) => all.files.has(f))).toEqual([]);
  });
});
