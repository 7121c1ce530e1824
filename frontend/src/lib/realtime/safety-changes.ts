// What changed in the safety plan of a Signs of Safety follow-up, for the live
// "what changed" view: the same rules as the server's safetyChanges
// (server/meeting/safety_followup.go), which the exports and the API use. Per previous
// scaling question and party (by name, the same in both meetings) the score then,
// at the review and now; per previous safety agreement whether it held and which
// new agreement carries it on.
import type { MeetingView } from './types';

export interface ScoreChange {
  previousScaleId: string;
  scaleId: string;
  question: string;
  party: string;
  previousScore: number | null;
  reviewScore: number | null;
  scoreNow: number | null;
}

export interface AgreementChange {
  agreementId: string;
  what: string;
  held: 'held' | 'partly' | 'failed' | '';
  note: string;
  carriedAs: string;
}

export interface SafetyChanges {
  scores: ScoreChange[];
  agreements: AgreementChange[];
}

/** The safety part of what changed; null without a previous safety plan. */
export function safetyChanges(m: MeetingView): SafetyChanges | null {
  const prev = m.previous;
  const old = prev?.version.safety;
  if (!prev || !old) return null;
  const latest = m.phase === 'closed' ? m.versions[m.versions.length - 1] : undefined;
  const now = (latest ? latest.safety : m.safety?.plan) ?? { scales: [], agreements: [] };
  const review = m.safety?.review ?? { scores: [], agreements: [] };
  const prevName = (id: string) => prev.parties.find((p) => p.id === id)?.name ?? '';
  const nowName = (id: string) => m.parties.find((p) => p.id === id)?.name ?? '';
  const names = [...new Set([...prev.parties, ...m.parties].map((p) => p.name).filter(Boolean))];
  const out: SafetyChanges = { scores: [], agreements: [] };
  for (const s of old.scales) {
    // The last scale that continues it, as the server takes it.
    const next = now.scales.filter((x) => x.continues === s.id).pop();
    for (const n of names) {
      const c: ScoreChange = {
        previousScaleId: s.id,
        scaleId: next?.id ?? '',
        question: s.question,
        party: n,
        previousScore: s.scores.filter((x) => prevName(x.partyId) === n).pop()?.score ?? null,
        reviewScore: review.scores.filter((x) => x.scaleId === s.id && prevName(x.partyId) === n).pop()?.score ?? null,
        scoreNow: next?.scores.filter((x) => nowName(x.partyId) === n).pop()?.score ?? null,
      };
      if (c.previousScore !== null || c.reviewScore !== null || c.scoreNow !== null) out.scores.push(c);
    }
  }
  for (const a of old.agreements) {
    const r = review.agreements.filter((x) => x.agreementId === a.id).pop();
    out.agreements.push({
      agreementId: a.id,
      what: a.what,
      held: r?.held ?? '',
      note: r?.note ?? '',
      carriedAs: now.agreements.filter((x) => x.continues === a.id).pop()?.id ?? '',
    });
  }
  return out;
}
