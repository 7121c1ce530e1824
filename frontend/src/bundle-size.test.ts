// The phone must stay small for old phones on poor connections. For each page
// session a phone can have, everything it can load in that session (JS and CSS,
// static and lazily loaded, found by walking Vite's manifest from the entry) plus
// the largest of the seven catalogues and the largest of each catalogue part the
// session loads, gzipped, is at most 50 KB. A session is everything the phone's
// code can reach, less the chunks named as never loaded in it (with the reason),
// so a new lazily loaded phone chunk counts in every session until someone says
// why it does not. The join page loads none of the meeting view. The child's own
// page (/kind) and the "were you heard?" check are page sessions of their own.
// Reads the build output in frontend/dist, running the same build as
// `npm run build` first when there is none.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

const dist = join(__dirname, '..', 'dist');
const manifestPath = join(dist, '.vite', 'manifest.json');
const LIMIT = 50 * 1024;
const ENTRY = 'index.html';
const PHONE = 'src/lib/components/phone/PhoneApp.svelte';
const MEETING = 'src/lib/components/phone/PhoneMeeting.svelte';
const WHAT_CHANGED = 'src/lib/components/WhatChanged.svelte';
const HEARD = 'src/lib/components/phone/HeardCheck.svelte';
const SAFETY = 'src/lib/components/safety-views.ts';
const SAFETY_TEXTS = 'src/lib/i18n/safety-texts.ts';
const SAFETY_CHANGES = 'src/lib/components/SafetyChanges.svelte';
const CHILD = 'src/lib/components/child/Kind.svelte';
const CONSOLE = 'src/lib/components/console/ConsoleApp.svelte';
const SCREEN = 'src/lib/components/screen/ScreenApp.svelte';
// Every language, read from the catalogue folder so a new language is counted.
const LANGS = readdirSync(join(__dirname, 'lib', 'i18n'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace('.json', ''));
const CATALOGUES = LANGS.map((l) => `src/lib/i18n/${l}.json?family`);
const HEARD_TEXTS = LANGS.map((l) => `src/lib/i18n/${l}.json?heard`);
/** A catalogue or a part of one: src/lib/i18n/nl.json, nl.json?family, nl.json?safety, ... */
const CATALOGUE = /^src\/lib\/i18n\/(\w+)\.json(?:\?(\w+))?$/;
/**
 * Sessions measured above the 50 KB goal of issue 12 (bytes, gzip -9, as this test
 * counts them): they may not grow, only shrink, until they are under LIMIT and leave
 * this list. This is not a second limit: it is the known excess, written down.
 */
const OVER: Record<string, number> = {
  'plain top-3 meeting': 55922,
  'Signs of Safety meeting': 64477,
};
const gz = (f: string) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;

interface Chunk {
  file: string;
  name?: string;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, Chunk>;

interface Session {
  name: string;
  /** Sources (manifest keys) this session never loads, with the reason beside each. */
  never: string[];
  /** Only what the page loads before anyone taps: no lazily loaded chunk. */
  staticOnly?: boolean;
}

/**
 * The page sessions a phone can have. Every session starts at the entry on a
 * phone's path (main.ts), so it never loads the console, the screen or the full
 * catalogues (the phone uses the ?family ones).
 */
const SESSIONS: Session[] = [
  { name: 'join page', never: [], staticOnly: true },
  // From joining to the closed plan (and a follow-up's "what changed"), and the
  // accessibility statement the footer opens in the same page. The check's link is
  // a plain link: a page load of its own; no phone page links to the child's page.
  // Only a Signs of Safety meeting loads the safety views and texts (PhoneMeeting.svelte,
  // PlanView.svelte: m.safety; WhatChanged.svelte: previous.version.safety).
  { name: 'plain top-3 meeting', never: [HEARD, CHILD, SAFETY, SAFETY_TEXTS, SAFETY_CHANGES] },
  { name: 'Signs of Safety meeting', never: [HEARD, CHILD] },
  // /m/{id}/heard: PhoneApp shows the check and nothing of the meeting, and the
  // check does not navigate into it.
  { name: '"were you heard?" page', never: [MEETING, CHILD] },
  // /kind: the child's page, with a child code; it links to no meeting view.
  { name: "child's page", never: [MEETING, HEARD] },
];

/**
 * The manifest key of a source's chunk. Rollup may merge a dynamic entry into a
 * shared chunk (keyed "_Name-hash.js"); it keeps the entry's name.
 */
function keyOf(manifest: Manifest, src: string): string {
  if (manifest[src]) return src;
  const name = src.split('/').pop()!.replace(/\.\w+$/, '');
  const key = Object.keys(manifest).find((k) => manifest[k]!.isDynamicEntry && manifest[k]!.name === name);
  if (!key) throw new Error(`chunk ${src} not in manifest`);
  return key;
}

interface Reach {
  /** Output files (JS and CSS) the session can load. */
  files: Set<string>;
  /** Catalogue queries the session can load: family, safety, heard, ... */
  parts: Set<string>;
}

/** Walks the manifest from the entry and the phone (or other roots): imports, and dynamic imports unless staticOnly. */
function reach(manifest: Manifest, s: Session, roots = [ENTRY, PHONE]): Reach {
  const never = new Set([CONSOLE, SCREEN, ...s.never].map((src) => keyOf(manifest, src)));
  const out: Reach = { files: new Set(), parts: new Set() };
  const seen = new Set<string>();
  const visit = (src: string) => {
    const key = keyOf(manifest, src);
    if (seen.has(key) || never.has(key)) return;
    seen.add(key);
    const cat = CATALOGUE.exec(key);
    if (cat) {
      // A phone loads the family catalogue and its parts, never a full catalogue.
      if (cat[2]) out.parts.add(cat[2]);
      return;
    }
    const chunk = manifest[key]!;
    out.files.add(chunk.file);
    for (const css of chunk.css ?? []) out.files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
    if (!s.staticOnly) for (const dep of chunk.dynamicImports ?? []) visit(dep);
  };
  // The entry imports the phone lazily; on a phone's path it always does.
  roots.forEach(visit);
  return out;
}

/** The largest of a catalogue part's seven languages, gzipped (a phone loads one at a time). */
function largestPart(manifest: Manifest, query: string): number {
  return Math.max(...LANGS.map((l) => gz(manifest[`src/lib/i18n/${l}.json?${query}`]!.file)));
}

function load(): Manifest {
  return JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

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

  it.each(SESSIONS)('$name: at most 50 KB gzipped (JS + CSS + largest catalogue and parts), or no more than its known excess', (s) => {
    const manifest = load();
    const { files, parts } = reach(manifest, s);
    const sizes = [...files].map((f) => ({ f, n: gz(f) })).sort((a, b) => b.n - a.n);
    const code = sizes.reduce((n, x) => n + x.n, 0);
    // The family catalogue is loaded on every phone page (main.ts), statically or not.
    parts.add('family');
    const texts = [...parts].map((q) => ({ q, n: largestPart(manifest, q) }));
    const total = code + texts.reduce((n, x) => n + x.n, 0);
    console.log(
      `${s.name}: ${total} bytes (${kb(total)}) = code ${kb(code)} in ${files.size} files + texts ` +
        `${texts.map((x) => `${x.q} ${x.n}`).join(', ')}; largest: ` +
        sizes.slice(0, 6).map((x) => `${x.f.replace('assets/', '')} ${x.n}`).join(', '),
    );
    expect(files.size).toBeGreaterThan(2);
    expect(total).toBeLessThanOrEqual(OVER[s.name] ?? LIMIT);
  });

  it('names only real sessions as over the goal', () => {
    expect(Object.keys(OVER).filter((n) => !SESSIONS.some((s) => s.name === n))).toEqual([]);
    for (const n of Object.values(OVER)) expect(n).toBeGreaterThan(LIMIT);
  });

  it('counts the lazily loaded chunks: a meeting session holds every view the meeting can open', () => {
    const manifest = load();
    const plain = reach(manifest, SESSIONS[1]!);
    const safety = reach(manifest, SESSIONS[2]!);
    for (const src of ['RankByTap', 'PhoneAgree', 'FamilyList', 'PlanView', 'WhatChanged', 'AccessibilityStatement'])
      expect(plain.files.has(manifest[keyOf(manifest, src)]!.file), src).toBe(true);
    expect(plain.files.has(manifest[keyOf(manifest, SAFETY)]!.file)).toBe(false);
    expect(safety.files.has(manifest[keyOf(manifest, SAFETY)]!.file)).toBe(true);
    expect(safety.parts.has('safety')).toBe(true);
    expect(plain.parts.has('safety')).toBe(false);
    const heard = reach(manifest, SESSIONS[3]!);
    expect(heard.parts.has('heard')).toBe(true);
    expect(heard.files.has(manifest[keyOf(manifest, MEETING)]!.file)).toBe(false);
  });

  it('the pages of their own reach no meeting view, and a meeting view reaches none of them', () => {
    const manifest = load();
    // Pages import code shared with PhoneApp's chunk, the router that opens every
    // page by path: the walks stop there.
    const none: Session = { name: 'from a page', never: [PHONE] };
    const file = (src: string) => manifest[keyOf(manifest, src)]!.file;
    for (const page of [HEARD, CHILD]) {
      const { files } = reach(manifest, none, [page]);
      expect(files.has(file(MEETING)), page).toBe(false);
      expect(files.has(file(WHAT_CHANGED)), page).toBe(false);
    }
    const meeting = reach(manifest, none, [MEETING]);
    expect(meeting.files.has(file(HEARD))).toBe(false);
    expect(meeting.files.has(file(CHILD))).toBe(false);
    expect(meeting.parts.has('heard')).toBe(false);
    expect(meeting.parts.has('child')).toBe(false);
    expect(reach(manifest, none, [CHILD]).parts.has('child')).toBe(true);
  });

  it('every phone chunk is counted in some session', () => {
    const manifest = load();
    const all = reach(manifest, { name: 'anything', never: [] });
    const counted = new Set(SESSIONS.flatMap((s) => [...reach(manifest, s).files]));
    expect([...all.files].filter((f) => !counted.has(f))).toEqual([]);
  });

  it('the meeting view loads neither the check nor its texts', () => {
    const manifest = load();
    const { files, parts } = reach(manifest, SESSIONS[2]!);
    expect(files.has(manifest[keyOf(manifest, HEARD)]!.file)).toBe(false);
    expect(parts.has('heard')).toBe(false);
    // The check's texts are in no family catalogue: the meeting view never downloads them.
    const nl = readFileSync(join(dist, manifest[CATALOGUES[0]!]!.file), 'utf8');
    expect(nl).not.toContain('heard.q.heard');
    expect(readFileSync(join(dist, manifest[HEARD_TEXTS[0]!]!.file), 'utf8')).toContain('heard.q.heard');
  });

  it('the join page loads neither the meeting view nor the "what changed" view', () => {
    const manifest = load();
    const { files } = reach(manifest, SESSIONS[0]!);
    expect(files.has(manifest[keyOf(manifest, PHONE)]!.file)).toBe(true);
    expect(files.has(manifest[keyOf(manifest, MEETING)]!.file)).toBe(false);
    expect(files.has(manifest[keyOf(manifest, WHAT_CHANGED)]!.file)).toBe(false);
  });

  it('loads no catalogue statically: only the chosen language is fetched', () => {
    const manifest = load();
    const { parts } = reach(manifest, { name: 'static meeting', never: [], staticOnly: true });
    expect(parts.size).toBe(0);
    const files = new Set<string>();
    const visit = (k: string) => {
      const c = manifest[keyOf(manifest, k)]!;
      if (files.has(c.file)) return;
      files.add(c.file);
      (c.imports ?? []).forEach(visit);
    };
    [ENTRY, PHONE, MEETING].forEach(visit);
    expect(CATALOGUES.filter((c) => files.has(manifest[c]!.file))).toEqual([]);
  });

  it('does not load the console or screen code in any session', () => {
    const manifest = load();
    const console = manifest[CONSOLE]?.file;
    const screen = manifest[SCREEN]?.file;
    expect(console && screen).toBeTruthy();
    for (const s of [...SESSIONS, { name: 'anything', never: [] }]) {
      const { files } = reach(manifest, s);
      expect(files.has(console!), s.name).toBe(false);
      expect(files.has(screen!), s.name).toBe(false);
    }
  });
});
