import { describe, expect, it } from 'vitest';
import nl from './nl.json';
import en from './en.json';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('every Dutch key has an English text', () => {
    const missing = Object.keys(nl).filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });
  it('every English key has a Dutch text', () => {
    const missing = Object.keys(en).filter((k) => !(k in nl));
    expect(missing).toEqual([]);
  });
  it('no text is empty', () => {
    const empty = [...Object.entries(nl), ...Object.entries(en)].filter(([, v]) => v.trim() === '').map(([k]) => k);
    expect(empty).toEqual([]);
  });
  it('both languages use the same placeholders', () => {
    const differ = Object.keys(nl).filter(
      (k) => JSON.stringify(placeholders((nl as Record<string, string>)[k] ?? '')) !== JSON.stringify(placeholders((en as Record<string, string>)[k] ?? '')),
    );
    expect(differ).toEqual([]);
  });
});
