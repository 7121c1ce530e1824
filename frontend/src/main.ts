// Entry of the coordinator's console and the shared screen (index.html): picks the
// surface by path and loads only its code. The phone has an entry and a build of
// its own (phone.html, phone.ts), so it never downloads the console or the screen.
// The surface's code and the catalogue of the chosen language load side by side.
import { mount, type Component } from 'svelte';
import { CONSOLE_LOCALES, setLocale, storedLocale, useFullCatalogues } from './lib/i18n/i18n.svelte';
import { fullTexts } from './lib/i18n/full-texts';
import './app.css';

function load(path: string): Promise<{ default: Component }> {
  if (path.startsWith('/screen/')) return import('./lib/components/screen/ScreenApp.svelte');
  return import('./lib/components/console/ConsoleApp.svelte');
}

// The console and the screen speak Dutch and English; a laptop last used as a
// phone in another language shows them in English, without forgetting that choice.
const wanted = storedLocale();
useFullCatalogues(fullTexts);
const language = setLocale(CONSOLE_LOCALES.includes(wanted) ? wanted : 'en', false);
const target = document.getElementById('app');
if (target) {
  void Promise.all([load(location.pathname), language]).then(([m]) => mount(m.default, { target }));
}
