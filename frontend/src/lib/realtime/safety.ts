// The Signs of Safety shape of the plan, as written in docs/protocol.md
// ("Signs of Safety shape"), and how its events change what a client sees.
import type { MeetingView } from './types';

export type Shape = 'signs_of_safety';

export interface WorryStatement {
  worryId: string;
  worried: string;
  happened: string;
  mayHappen: string;
  disagreement: string;
  safetyGoal: string;
  goalDuration: string;
}

export interface Scale {
  id: string;
  worryId: string;
  question: string;
  tenMeans: string;
  zeroMeans: string;
  scores: { partyId: string; score: number }[];
  continues: string;
}

export interface SafetyNote {
  id: string;
  kind: 'existing' | 'complicating';
  partyId: string;
  text: string;
}

export interface SafetyAgreement {
  id: string;
  what: string;
  doerPartyId: string;
  checkerPartyId: string;
  watcherPartyIds: string[];
  planB: string;
  answers: string[];
  continues: string;
}

export interface Condition {
  id: string;
  partyId: string;
  setBy: string;
  text: string;
  plain: string;
  status: 'open' | 'met' | 'waived';
  reason: string;
}

export interface ChildVoice {
  id: string;
  childName: string;
  worries: string;
  goesWell: string;
  wishes: string;
  brought: boolean;
  bringerId: string;
  story: string;
  /** Filled in by the child on their own phone (a child code). */
  byChild?: boolean;
}

export interface SafetyPlan {
  statements: WorryStatement[];
  scales: Scale[];
  notes: SafetyNote[];
  agreements: SafetyAgreement[];
  conditions: Condition[];
  children: ChildVoice[];
}

export interface ProtectedSource {
  worryId: string;
  authorId: string;
  source: string;
  checkedText: string;
}

export interface SafetyReview {
  agreements: { agreementId: string; held: 'held' | 'partly' | 'failed'; note: string }[];
  scores: { scaleId: string; partyId: string; score: number }[];
}

export interface SafetyView {
  plan: SafetyPlan;
  children: ChildVoice[];
  sources: ProtectedSource[];
  review: SafetyReview;
}

export interface Contact {
  role: string;
  organisation: string;
  phone: string;
  email: string;
}

function upsertBy<T>(list: T[], next: T, same: (x: T) => boolean): T[] {
  const i = list.findIndex(same);
  if (i === -1) return [...list, next];
  const copy = list.slice();
  copy[i] = next;
  return copy;
}

/** Applies an event of the Signs of Safety shape; any other event changes nothing. */
export function applySafetyEvent(m: MeetingView, name: string, data: Record<string, unknown>): MeetingView {
  if (!m.safety) return m;
  switch (name) {
    case 'safety.updated':
      return { ...m, safety: { ...m.safety, plan: data.safety as SafetyPlan } };
    case 'child.upserted': {
      const c = data.child as ChildVoice;
      return { ...m, safety: { ...m.safety, children: upsertBy(m.safety.children, c, (x) => x.id === c.id) } };
    }
    case 'source.upserted': {
      const s = data.source as ProtectedSource;
      return { ...m, safety: { ...m.safety, sources: upsertBy(m.safety.sources, s, (x) => x.worryId === s.worryId) } };
    }
    case 'safety.review.updated':
      return { ...m, safety: { ...m.safety, review: data.review as SafetyReview } };
    default:
      return m;
  }
}

/** The safety plan to show: a closed version's, or the live one with the children brought to the table. */
export function shownSafety(m: MeetingView): SafetyPlan | null {
  if (!m.safety) return null;
  const closed = m.phase === 'closed' ? m.versions[m.versions.length - 1]?.safety : undefined;
  if (closed) return closed;
  return { ...m.safety.plan, children: m.safety.children.filter((c) => c.brought) };
}
