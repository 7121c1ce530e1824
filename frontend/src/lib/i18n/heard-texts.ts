// The texts of the "were you heard?" check (family.ts, isHeardText), in a module
// of their own: only the check's page imports it, so the meeting view and the join
// page load neither these texts nor this code.
import { addCataloguePart, type Catalogue } from './i18n.svelte';

const glob = import.meta.glob<Catalogue>(['./*.json'], { import: 'default', query: '?heard' });
// Keyed as a catalogue part is found: by the catalogue's own file name.
const heardTexts = Object.fromEntries(Object.entries(glob).map(([k, load]) => [k.split('?')[0]!, load]));

/** Adds the check's texts to the phone's catalogue, in every language it switches to. */
export function useHeardTexts(): Promise<void> {
  return addCataloguePart(heardTexts);
}
