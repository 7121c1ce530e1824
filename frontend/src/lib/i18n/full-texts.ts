// The full catalogues, with the console's and the screen's texts: only the console
// and the screen load this module (main.ts), so a phone's code names none of them.
import type { Catalogue } from './i18n.svelte';

export const fullTexts = import.meta.glob<Catalogue>(['./*.json'], { import: 'default' });
