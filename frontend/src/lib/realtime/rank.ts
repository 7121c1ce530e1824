// Tap-to-rank: a person puts worries at place 1, 2 or 3 by tapping, no dragging.

/** The most worries one person ranks. */
export const MAX_RANK = 3;

/**
 * Puts a worry at a place (1-based) in a ranking, best first. Tapping the place a
 * worry already has takes it out. Others move down to make room; a list never
 * has gaps and never holds more than three.
 */
export function placeWorry(ranking: readonly string[], worryId: string, place: number): string[] {
  if (ranking[place - 1] === worryId) return ranking.filter((id) => id !== worryId);
  const rest = ranking.filter((id) => id !== worryId);
  const at = Math.min(Math.max(place - 1, 0), rest.length);
  rest.splice(at, 0, worryId);
  return rest.slice(0, MAX_RANK);
}

/** Tapping a worry itself: take it out if ranked, else give it the next free place. */
export function toggleWorry(ranking: readonly string[], worryId: string): string[] {
  if (ranking.includes(worryId)) return ranking.filter((id) => id !== worryId);
  if (ranking.length >= MAX_RANK) return ranking.slice();
  return [...ranking, worryId];
}

/** The place (1-based) of a worry, or 0 when unranked. */
export function placeOf(ranking: readonly string[], worryId: string): number {
  return ranking.indexOf(worryId) + 1;
}
