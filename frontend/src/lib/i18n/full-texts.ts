// The full catalogues, with the console's and the screen's texts: only the console
// and the screen load this module (main.ts), so a phone's code names none of them.
// They speak Dutch and English only (CONSOLE_LOCALES), so only those two are here.
import type { Catalogue } from './i18n.svelte';

export const fullTexts = import.meta.glob<Catalogue>(['./nl.json', './en.json'], { import: 'default' });
