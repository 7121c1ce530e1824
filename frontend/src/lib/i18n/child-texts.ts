// The texts of the child's own page (family.ts, isChildText), in a module of their
// own: only the child's page imports it, so no other phone loads these texts.
import { addCataloguePart, type Catalogue } from './i18n.svelte';

const childTexts = import.meta.glob<Catalogue>(['./*.json'], { import: 'default', query: '?child' });
// Keyed "./nl.json", the key the catalogue looks a part up by first.
const byLanguage = Object.fromEntries(Object.entries(childTexts).map(([k, load]) => [k.replace('?child', ''), load]));

/** Adds the child's page texts to the family catalogue, in every language the child switches to. */
export function useChildTexts(): Promise<void> {
  return addCataloguePart(byLanguage);
}
