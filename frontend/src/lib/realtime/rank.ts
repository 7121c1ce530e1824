// Tap-to-rank: a person puts worries at place 1, 2 or 3 by tapping, no dragging.

/** The most worries one person ranks. */
export const MAX_RANK = 3;

/**
 * Puts a worry at a place (1-based) in a ranking, best first, and keeps the
 * number the person tapped: tapping 3 first leaves places 1 and 2 open ('').
 * A worry that held that place loses it; tapping the place a worry already has
 * takes it out. Open places at the end are dropped.
 */
export function placeWorry(ranking: readonly string[], worryId: string, place: number): string[] {
  if (place < 1 || place > MAX_RANK) return ranking.slice();
  const slots = Array.from({ length: MAX_RANK }, (_, i) => ranking[i] ?? '');
  const had = slots[place - 1] === worryId;
  for (let i = 0; i < slots.length; i++) if (slots[i] === worryId) slots[i] = '';
  if (!had) slots[place - 1] = worryId;
  while (slots.length > 0 && slots[slots.length - 1] === '') slots.pop();
  return slots;
}

/** Tapping a worry itself: take it out if ranked, else give it the first open place. */
export function toggleWorry(ranking: readonly string[], worryId: string): string[] {
  if (ranking.includes(worryId)) return placeWorry(ranking, worryId, ranking.indexOf(worryId) + 1);
  const open = Array.from({ length: MAX_RANK }, (_, i) => ranking[i] ?? '').indexOf('');
  if (open === -1) return ranking.slice();
  return placeWorry(ranking, worryId, open + 1);
}

/** The place (1-based) of a worry, or 0 when unranked. */
export function placeOf(ranking: readonly string[], worryId: string): number {
  return worryId ? ranking.indexOf(worryId) + 1 : 0;
}

/** How many worries are ranked (open places do not count). */
export function rankedCount(ranking: readonly string[]): number {
  return ranking.filter((id) => id !== '').length;
}
