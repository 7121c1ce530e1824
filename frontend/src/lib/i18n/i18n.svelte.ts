// The language of this device: Dutch by default, persisted, switchable
// anywhere. Every visible string comes from a catalogue (nl.json, en.json).
import nl from './nl.json';
import en from './en.json';

export type Locale = 'nl' | 'en';
export type MessageKey = keyof typeof nl;

const catalogues: Record<Locale, Record<string, string>> = { nl, en };
/** Languages written right to left; none yet, but the layout is ready for them. */
const RTL = new Set(['ar', 'he', 'fa', 'ur']);
const STORAGE_KEY = 'tafel.lang';

export const LOCALES: Locale[] = ['nl', 'en'];

function stored(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'nl' || v === 'en') return v;
  } catch {
    // No storage (private mode): use the default.
  }
  return 'nl';
}

const current = $state({ locale: stored() });

/** The language in use. */
export function locale(): Locale {
  return current.locale;
}

/** The text for a key, with {name} placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[current.locale][key] ?? nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/**
 * The text for a count, by the language's plural rules: `${key}.one` when the
 * count takes the singular ("1 punt") and the catalogue has it, else key.
 */
export function tp(key: MessageKey, n: number, params: Record<string, string | number> = {}): string {
  const form = `${key}.${new Intl.PluralRules(current.locale).select(n)}` as MessageKey;
  const use = form in catalogues[current.locale] || form in nl ? form : key;
  return t(use, { n, ...params });
}

/** Switches language, remembers it, and sets lang and dir on the page. */
export function setLocale(l: Locale): void {
  current.locale = l;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, l);
  } catch {
    // Not remembered, still switched.
  }
  applyToDocument();
}

export function applyToDocument(): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = current.locale;
  document.documentElement.dir = RTL.has(current.locale) ? 'rtl' : 'ltr';
}

/** A YYYY-MM-DD date in the reader's language, e.g. "1 maart 2025". */
export function formatDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(current.locale, { dateStyle: 'long' }).format(d);
}

/** A timestamp in the reader's language. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(current.locale, { dateStyle: 'long', timeStyle: 'short' }).format(d);
}

/** A list like "A, B en C" in the reader's language. */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(current.locale, { type: 'conjunction' }).format(items);
}
