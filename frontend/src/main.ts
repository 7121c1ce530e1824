// Entry: picks the surface by path and loads only its code, so a phone never
// downloads the coordinator console or the shared screen. The surface's code and
// the catalogue of the chosen language load side by side.
import { mount, type Component } from 'svelte';
import { CONSOLE_LOCALES, setLocale, storedLocale, useFullCatalogues } from './lib/i18n/i18n.svelte';
import './app.css';

function isPhone(path: string): boolean {
  return path === '/join' || path.startsWith('/join/') || path.startsWith('/m/') || path === '/toegankelijkheid' || path === '/kind';
}

function load(path: string): Promise<{ default: Component }> {
  if (isPhone(path)) return import('./lib/components/phone/PhoneApp.svelte');
  if (path.startsWith('/screen/')) return import('./lib/components/screen/ScreenApp.svelte');
  return import('./lib/components/console/ConsoleApp.svelte');
}

const path = location.pathname;
// The console and the screen speak Dutch and English; a laptop last used as a
// phone in another language shows them in English, without forgetting that choice.
const wanted = storedLocale();
// A phone loads the family texts only; the console and the screen the full catalogues.
const texts = isPhone(path) ? Promise.resolve() : import('./lib/i18n/full-texts').then((f) => useFullCatalogues(f.fullTexts));
const language = texts.then(() => (isPhone(path) || CONSOLE_LOCALES.includes(wanted) ? setLocale(wanted, false) : setLocale('en', false)));
const target = document.getElementById('app');
if (target) {
  void Promise.all([load(path), language]).then(([m]) => mount(m.default, { target }));
}
