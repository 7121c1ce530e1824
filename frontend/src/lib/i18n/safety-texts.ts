// The Signs of Safety texts of a family catalogue (family.ts, isSafetyText), in a
// module of their own: a phone imports it only when its meeting has that shape, so
// the other phones load neither these texts nor the code that finds them.
import { addCataloguePart, type Catalogue } from './i18n.svelte';

const safetyTexts = import.meta.glob<Catalogue>(['./*.json'], { import: 'default', query: '?safety' });

/** Adds the Signs of Safety texts to the phone's catalogue, in every language it switches to. */
export function useSafetyTexts(): Promise<void> {
  return addCataloguePart(safetyTexts);
}
