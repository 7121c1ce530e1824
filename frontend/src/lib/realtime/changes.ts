// "What changed" in a follow-up meeting: the same rules as the server's
// meeting.Changes (server/meeting/changes.go), for the live view. A previous
// top-3 worry is kept when a worry of the new top 3 (or one merged into it)
// continues it, dropped when none does; a new top-3 worry continuing none is new.
import type { ActionStatus, MeetingView, Outcome, Plan } from './types';

export interface WorryChange {
  previousId: string;
  previousText: string;
  previousRank: number;
  worryId: string;
  text: string;
  rank: number;
  previousScore: number | null;
  reviewScore: number | null;
  scoreNow: number | null;
}

export interface ActionChange {
  actionId: string;
  what: string;
  owner: string;
  due: string;
  status: ActionStatus;
  outcome: Outcome | '';
  note: string;
}

export interface ChangeSet {
  previousDate: string;
  previousVersion: number;
  /** The new top 3 is agreed; until then kept, new and dropped are empty. */
  decided: boolean;
  kept: WorryChange[];
  added: WorryChange[];
  dropped: WorryChange[];
  actions: ActionChange[];
}

/** What changed since the previous plan; null for a first meeting. */
export function whatChanged(m: MeetingView): ChangeSet | null {
  const prev = m.previous;
  if (!prev) return null;
  const latest = m.phase === 'closed' ? m.versions[m.versions.length - 1] : undefined;
  const top3 = latest ? latest.top3 : m.agreement.worryIds;
  const plan: Plan = latest ? latest.plan : m.plan;
  const decided = latest ? true : m.agreement.confirmed;
  const reviewScore = (id: string) => m.review.scores.find((s) => s.worryId === id)?.score ?? null;
  const partyName = (id: string) => prev.parties.find((p) => p.id === id)?.name ?? '';

  const out: ChangeSet = {
    previousDate: prev.date,
    previousVersion: prev.version.number,
    decided,
    kept: [],
    added: [],
    dropped: [],
    actions: prev.version.plan.actions.map((a) => {
      const r = m.review.actions.find((x) => x.actionId === a.id);
      return { actionId: a.id, what: a.what, owner: partyName(a.ownerPartyId), due: a.due, status: a.status, outcome: r?.outcome ?? '', note: r?.note ?? '' };
    }),
  };
  if (!decided) return out;

  const live = new Map(m.items.filter((i) => i.kind === 'worry' && !i.withdrawn).map((i) => [i.id, i]));
  const root = (id: string): string => {
    for (let n = 0; n <= live.size; n++) {
      const it = live.get(id);
      if (!it || !it.mergedInto) return id;
      id = it.mergedInto;
    }
    return id;
  };
  const kept = new Set<string>();
  top3.forEach((id, i) => {
    const continues = new Set([...live.values()].filter((it) => it.continues && root(it.id) === id).map((it) => it.continues));
    const scoreNow = plan.goals.find((g) => g.worryId === id)?.scoreNow ?? null;
    const text = live.get(id)?.text ?? '';
    let carried = false;
    for (const pw of prev.worries) {
      if (!continues.has(pw.id)) continue;
      carried = true;
      kept.add(pw.id);
      out.kept.push({ previousId: pw.id, previousText: pw.text, previousRank: pw.rank, worryId: id, text, rank: i + 1,
        previousScore: pw.scoreNow, reviewScore: reviewScore(pw.id), scoreNow });
    }
    if (!carried) {
      out.added.push({ previousId: '', previousText: '', previousRank: 0, worryId: id, text, rank: i + 1,
        previousScore: null, reviewScore: null, scoreNow });
    }
  });
  for (const pw of prev.worries) {
    if (kept.has(pw.id)) continue;
    out.dropped.push({ previousId: pw.id, previousText: pw.text, previousRank: pw.rank, worryId: '', text: '', rank: 0,
      previousScore: pw.scoreNow, reviewScore: reviewScore(pw.id), scoreNow: null });
  }
  return out;
}
