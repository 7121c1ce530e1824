import { describe, expect, it } from 'vitest';
import nl from './nl.json';
import en from './en.json';
import { setLocale, tp } from './i18n.svelte';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('plural texts', () => {
  it('one point, two points, one and a half points', () => {
    setLocale('nl');
    expect(tp('ranking.points', 1)).toBe('1 punt');
    expect(tp('ranking.points', 2)).toBe('2 punten');
    expect(tp('ranking.points', 1.5)).toBe('1.5 punten');
    setLocale('en');
    expect(tp('ranking.points', 1)).toBe('1 point');
    expect(tp('ranking.points', 0)).toBe('0 points');
    setLocale('nl');
  });
});

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
