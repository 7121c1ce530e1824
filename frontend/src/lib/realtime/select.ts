// Read helpers over a MeetingView: what to show, in which order.
import { PHASES, type Item, type MeetingView, type Party, type Phase } from './types';

export function partyOf(m: MeetingView, partyId: string): Party | undefined {
  return m.parties.find((p) => p.id === partyId);
}

export function partyName(m: MeetingView, partyId: string): string {
  return partyOf(m, partyId)?.name ?? '';
}

export function itemText(m: MeetingView, itemId: string): string {
  return m.items.find((i) => i.id === itemId)?.text ?? '';
}

/** Items on the table: revealed, not withdrawn, not merged away; in creation order. */
export function tableItems(m: MeetingView, kind: Item['kind']): Item[] {
  return m.items
    .filter((i) => i.kind === kind && i.revealed && !i.withdrawn && !i.mergedInto)
    .sort((a, b) => a.order - b.order);
}

/** Items merged into the given worry. */
export function mergedInto(m: MeetingView, itemId: string): Item[] {
  return m.items.filter((i) => i.mergedInto === itemId && !i.withdrawn);
}

/** A participant's own items (drafts and revealed), not withdrawn. */
export function ownItems(m: MeetingView, participantId: string, kind: Item['kind']): Item[] {
  return m.items
    .filter((i) => i.kind === kind && !i.withdrawn && i.authorIds.includes(participantId))
    .sort((a, b) => a.order - b.order);
}

/** Whether everything of this kind for a party is on the table already. */
export function partyRevealed(m: MeetingView, partyId: string, kind: Item['kind']): boolean {
  const own = m.items.filter((i) => i.partyId === partyId && i.kind === kind && !i.withdrawn);
  return own.length > 0 && own.every((i) => i.revealed);
}

export function admitted(m: MeetingView) {
  return m.participants.filter((p) => p.status === 'admitted');
}

export function pendingJoiners(m: MeetingView) {
  return m.participants.filter((p) => p.status === 'pending');
}

/** Whether the meeting holds a phase: strengths only when chosen, review only in a follow-up. */
export function holds(m: MeetingView, p: Phase): boolean {
  if (p === 'strengths') return m.options.strengthsRound;
  if (p === 'review') return !!m.previous;
  return true;
}

/** The phase "next" goes to: the next round the meeting holds; never closed (that is "close"). */
export function nextPhase(m: MeetingView): Phase | null {
  const i = PHASES.indexOf(m.phase);
  if (i < 0) return null;
  for (const p of PHASES.slice(i + 1)) {
    if (p === 'closed') return null;
    if (holds(m, p)) return p;
  }
  return null;
}

/** The phase "back" goes to: the previous round the meeting holds. */
export function previousPhase(m: MeetingView): Phase | null {
  const i = PHASES.indexOf(m.phase);
  if (m.phase === 'closed' || i <= 0) return null;
  return PHASES.slice(0, i).reverse().find((p) => holds(m, p)) ?? null;
}

/** The kind of item the current round collects. */
export function roundKind(m: MeetingView): Item['kind'] | null {
  if (m.phase === 'strengths') return 'strength';
  if (m.phase === 'worries') return 'worry';
  return null;
}

/** The agreed top 3 once confirmed, else the computed one. */
export function sharedTop3(m: MeetingView): string[] {
  return m.agreement.confirmed ? m.agreement.worryIds : m.ranking.top3;
}

/** Texts of worries, for summaries read aloud. */
export function worryTexts(m: MeetingView, ids: string[]): string[] {
  return ids.map((id) => itemText(m, id)).filter(Boolean);
}
