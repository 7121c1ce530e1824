// Every language has every text a family can see, with the same placeholders
// as Dutch, and every plural form its grammar needs (Intl.PluralRules). Dutch
// and English also have every console text.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_LOCALES, LOCALES, formatDate, setLocale, t } from './i18n.svelte';
import { FAMILY_ERRORS, isFamilyKey } from './family';

type Entry = string | Record<string, string>;
type Catalogue = Record<string, Entry>;

const dir = __dirname;
const read = (l: string): Catalogue => JSON.parse(readFileSync(join(dir, `${l}.json`), 'utf8')) as Catalogue;
const texts = (c: Catalogue) => Object.fromEntries(Object.entries(c).filter(([k]) => !k.startsWith('_')));
const nl = texts(read('nl'));

const forms = (e: Entry) => (typeof e === 'string' ? [e] : Object.values(e));
const placeholders = (e: Entry) =>
  [...new Set(forms(e).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort().join(',');

describe('plural texts', () => {
  it('one item, two items, one and a half items (a phone text, from the phone catalogue)', async () => {
    await setLocale('nl', false);
    expect(t('announce.revealed', { n: 1 })).toBe('Onthuld: 1 nieuw punt op tafel');
    expect(t('announce.revealed', { n: 2 })).toBe('Onthuld: 2 nieuwe punten op tafel');
    expect(t('announce.revealed', { n: 1.5 })).toBe('Onthuld: 1.5 nieuwe punten op tafel');
    await setLocale('en', false);
    expect(t('announce.revealed', { n: 1 })).toBe('Revealed: 1 new item on the table');
    expect(t('announce.revealed', { n: 0 })).toBe('Revealed: 0 new items on the table');
    await setLocale('nl', false);
  });
});

describe('dates', () => {
  it('Farsi keeps the Gregorian calendar of the meeting (June, not Khordad)', async () => {
    await setLocale('fa', false);
    expect(formatDate('2030-06-01')).toContain('ژوئن');
    expect(formatDate('2030-06-01')).not.toContain('خرداد');
    await setLocale('nl', false);
    expect(formatDate('2030-06-01')).toBe('1 juni 2030');
  });
});

describe('catalogues', () => {
  it('there is one for every language, and no other', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.replace('.json', '')).sort();
    expect(files).toEqual([...LOCALES].sort());
  });

  it('the family keys exist in Dutch (the list above is not stale)', () => {
    expect(FAMILY_ERRORS.filter((k) => !(k in nl))).toEqual([]);
  });

  for (const l of LOCALES) {
    describe(l, () => {
      const raw = read(l);
      const c = texts(raw);
      const needed = Object.keys(nl).filter((k) => CONSOLE_LOCALES.includes(l) || isFamilyKey(k));

      it('has every text', () => {
        expect(needed.filter((k) => !(k in c))).toEqual([]);
      });
      it('has no text Dutch does not have', () => {
        expect(Object.keys(c).filter((k) => !(k in nl))).toEqual([]);
      });
      it('has no empty text', () => {
        expect(Object.entries(c).filter(([, v]) => forms(v).some((s) => s.trim() === '')).map(([k]) => k)).toEqual([]);
      });
      it('uses the same placeholders as Dutch', () => {
        expect(Object.keys(c).filter((k) => k in nl && placeholders(c[k]!) !== placeholders(nl[k]!))).toEqual([]);
      });
      it('has every plural form the language needs', () => {
        const needs = new Intl.PluralRules(l).resolvedOptions().pluralCategories;
        const missing = Object.entries(c)
          .filter(([k, v]) => typeof v !== 'string' || typeof nl[k] !== 'string')
          .filter(([, v]) => typeof v === 'string' || needs.some((cat) => !(cat in v)))
          .map(([k]) => k);
        expect(missing).toEqual([]);
      });
      it('says which texts a native speaker checked', () => {
        const meta = raw._meta as unknown as { language: string; reviewedByNativeSpeaker: string[] };
        expect(meta.language).toBe(l);
        expect(meta.reviewedByNativeSpeaker.filter((k) => !(k in c))).toEqual([]);
      });
    });
  }
});

describe('the phone', () => {
  // Every key the phone's code names must be a family text, or a phone would show the key.
  const lib = join(dir, '..');
  const sources = [
    ...readdirSync(join(lib, 'components', 'phone')).map((f) => join(lib, 'components', 'phone', f)),
    ...readdirSync(join(lib, 'components', 'child')).map((f) => join(lib, 'components', 'child', f)),
    ...readdirSync(join(lib, 'components')).filter((f) => /\.(svelte|ts)$/.test(f)).map((f) => join(lib, 'components', f)),
    ...readdirSync(join(lib, 'realtime')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(lib, 'realtime', f)),
  ];
  it('uses family texts only', () => {
    const used = sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\bt\(\s*['`]([\w.]+?)(?:\$\{|['`])/g)].map((m) => m[1]!));
    expect(used.length).toBeGreaterThan(50);
    expect([...new Set(used.filter((k) => !isFamilyKey(k)))]).toEqual([]);
  });
});
