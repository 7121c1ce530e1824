// The language of this device: Dutch by default, remembered on the device,
// switchable anywhere. Every visible string comes from a catalogue (nl.json,
// en.json, ar.json, ...); only the catalogue of the language in use is loaded.
// A text is a string with {name} placeholders, or, when it depends on a number
// {n}, an object with one text per plural category of the language
// (Intl.PluralRules: "one", "few", "other", ...).
import type nl from './nl.json';

/** Every language Tafel speaks. The console and shared screen speak the first two. */
export const LOCALES = ['nl', 'en', 'ar', 'tr', 'pl', 'uk', 'ti', 'so', 'fa'] as const;
export type Locale = (typeof LOCALES)[number];
/** The languages of the coordinator's console and the shared screen. */
export const CONSOLE_LOCALES: Locale[] = ['nl', 'en'];
export type MessageKey = keyof typeof nl;

/** Each language's own name, as its speakers write it. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  nl: 'Nederlands',
  en: 'English',
  ar: 'العربية',
  tr: 'Türkçe',
  pl: 'Polski',
  uk: 'Українська',
  ti: 'ትግርኛ',
  so: 'Soomaali',
  fa: 'فارسی',
};

export type Text = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalogue = Record<string, Text | unknown>;

/** Languages written right to left. */
const RTL = new Set(['ar', 'fa']);
const STORAGE_KEY = 'tafel.lang';

// Each catalogue is its own chunk: a device downloads only the one it shows. A
// page loads the family texts only (the build filters them, see vite.config.ts)
// unless it is the console or the screen, which bring the full ones (full-texts.ts),
// so the phone's code holds no path to a full catalogue.
const familyTexts = import.meta.glob<Catalogue>(['./*.json'], { import: 'default', query: '?family' });
let loaders = familyTexts;
let partLoaders: typeof familyTexts = {};

/** Makes this page load the full catalogues, console texts too: for the console and the screen. */
export function useFullCatalogues(full: typeof familyTexts): void {
  loaders = full;
  loaded.clear();
}

/**
 * Adds the Signs of Safety part (safety-texts.ts) to every family catalogue, now and
 * after every change of language. The full catalogues have it already.
 */
export async function addCataloguePart(part: typeof familyTexts): Promise<void> {
  if (loaders !== familyTexts || partLoaders === part) return;
  partLoaders = part;
  loaded.clear();
  await setLocale(current.locale, false);
}

function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** The language remembered on this device, else the browser's if we have it, else Dutch. */
export function storedLocale(): Locale {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (isLocale(v)) return v;
  } catch {
    // No storage (private mode): use the default.
  }
  return 'nl';
}

const current = $state({ locale: 'nl' as Locale });
let messages = $state.raw<Catalogue>({});
const loaded = new Map<Locale, Catalogue>();

/** Loads a language's catalogue (once) without switching to it. */
async function fetchCatalogue(l: Locale): Promise<Catalogue> {
  const have = loaded.get(l);
  if (have) return have;
  const load = loaders[`./${l}.json`] ?? loaders[`./${l}.json?family`];
  if (!load) throw new Error(`no catalogue for ${l}`);
  const part = partLoaders[`./${l}.json`] ?? partLoaders[`./${l}.json?safety`];
  const [main, extra] = await Promise.all([load(), part ? part() : Promise.resolve({})]);
  const c = part ? { ...main, ...extra } : main;
  loaded.set(l, c);
  return c;
}

/** The language in use. */
export function locale(): Locale {
  return current.locale;
}

/**
 * The BCP 47 tag for Intl: Arabic keeps the digits people type (0-9) in dates and
 * numbers; Farsi keeps the Gregorian calendar of the meeting's dates.
 */
export function intlLocale(l: Locale = current.locale): string {
  return l === 'ar' ? 'ar-u-nu-latn' : l === 'fa' ? 'fa-u-ca-gregory' : l;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
function plural(n: number): Intl.LDMLPluralRule {
  let r = pluralRules.get(current.locale);
  if (!r) {
    r = new Intl.PluralRules(current.locale);
    pluralRules.set(current.locale, r);
  }
  return r.select(n);
}

/** The text for a key, with {name} placeholders filled in; plural texts pick their form by {n}. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return lookup(key, params) ?? key;
}

/** Like t, for keys built at run time (error reasons from the server): undefined when unknown. */
export function tMaybe(key: string, params: Record<string, string | number> = {}): string | undefined {
  return lookup(key, params);
}

function lookup(key: string, params: Record<string, string | number>): string | undefined {
  const entry = messages[key];
  let text: string | undefined;
  if (typeof entry === 'string') text = entry;
  else if (entry && typeof entry === 'object') {
    const forms = entry as Partial<Record<Intl.LDMLPluralRule, string>>;
    text = forms[plural(Number(params.n ?? 0))] ?? forms.other;
  }
  if (text === undefined) return undefined;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Switches language (loading its catalogue first); remembers it unless told not to. */
export async function setLocale(l: Locale, remember = true): Promise<void> {
  const c = await fetchCatalogue(l);
  messages = c;
  current.locale = l;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, l);
    } catch {
      // Not remembered, still switched.
    }
    // The server reads it only to send this language's catalogue with the page (a preload).
    if (typeof document !== 'undefined') document.cookie = `${STORAGE_KEY}=${l}; path=/; max-age=31536000; SameSite=Lax`;
  }
  applyToDocument();
}

/** Sets lang and dir on the page, so the browser and screen readers know the language and mirror the layout. */
export function applyToDocument(): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = current.locale;
  document.documentElement.dir = RTL.has(current.locale) ? 'rtl' : 'ltr';
}

/** Whether a language is written right to left. */
export function isRTL(l: Locale): boolean {
  return RTL.has(l);
}

/** A YYYY-MM-DD date in the reader's language, e.g. "1 maart 2025". */
export function formatDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'long' }).format(d);
}

/** A list like "A, B en C" in the reader's language. */
export function formatList(items: string[]): string {
  return new Intl.ListFormat(intlLocale(), { type: 'conjunction' }).format(items);
}
