import { describe, expect, it } from 'vitest';
import { whatChanged } from './changes';
import type { Item, MeetingView, Plan } from './types';

const emptyPlan: Plan = { goals: [], actions: [], regisseurPartyId: '', regisseurRole: '', nextEvaluation: '' };

function worry(id: string, over: Partial<Item> = {}): Item {
  return { id, kind: 'worry', partyId: 'party1', text: `tekst ${id}`, domain: '', authorIds: ['p1'], onBehalf: false,
    revealed: true, withdrawn: false, mergedInto: '', continues: '', order: 1, ...over };
}

function followUp(over: Partial<MeetingView> = {}): MeetingView {
  return {
    id: 'm2', familyLabel: 'Gezin J.', title: 'Vervolggesprek', date: '2025-06-01', joinCode: '', phase: 'plan', locked: false,
    options: { strengthsRound: false, weighting: 'party' },
    parties: [], participants: [], items: [], myRanking: [],
    ranking: { weighting: 'party', voters: 0, worries: [], top3: [], familyTop3: [], professionalTop3: [], partyTop3: [], rankedBy: [] },
    agreement: { confirmed: false, worryIds: [], overrideReason: '', dissent: [], akkoord: [] },
    plan: emptyPlan, versions: [],
    previous: {
      meetingId: 'm1', title: 'Top-3-gesprek', date: '2025-01-01',
      version: { number: 1, closedAt: '2025-01-01T10:00:00Z', top3: ['w1', 'w2', 'w3'], plan: { ...emptyPlan, actions: [
        { id: 'a1', worryId: 'w1', what: 'Budgetcoach', ownerPartyId: 'party9', due: '2025-02-01', status: 'open' },
        { id: 'a2', worryId: 'w2', what: 'Gezinsgesprek', ownerPartyId: 'party8', due: '', status: 'doing' },
      ] } },
      worries: [
        { id: 'w1', rank: 1, partyId: 'party8', text: 'Geld', domain: '', goal: '', scoreNow: 3 },
        { id: 'w2', rank: 2, partyId: 'party8', text: 'Rust', domain: '', goal: '', scoreNow: null },
        { id: 'w3', rank: 3, partyId: 'party9', text: 'Schulden', domain: '', goal: '', scoreNow: 5 },
      ],
      parties: [{ id: 'party8', name: 'Moeder', kind: 'family', order: 0 }, { id: 'party9', name: 'Wijkteam', kind: 'professional', order: 1 }],
    },
    review: { actions: [{ actionId: 'a1', outcome: 'partly', note: 'Wachtlijst' }], scores: [{ worryId: 'w1', score: 5 }, { worryId: 'w3', score: 8 }] },
    online: [], seq: 40,
    ...over,
  };
}

const line = (w: { previousId: string; worryId: string; previousScore: number | null; reviewScore: number | null; scoreNow: number | null }) =>
  `${w.previousId}>${w.worryId} ${[w.previousScore, w.reviewScore, w.scoreNow].map((s) => s ?? '-').join('')}`;

describe('whatChanged', () => {
  it('is null for a first meeting', () => {
    expect(whatChanged(followUp({ previous: null }))).toBeNull();
  });

  it('compares only the actions until the top 3 is agreed', () => {
    const c = whatChanged(followUp({ items: [worry('w20', { continues: 'w1' })] }))!;
    expect(c.decided).toBe(false);
    expect([c.kept, c.added, c.dropped]).toEqual([[], [], []]);
    expect(c.actions.map((a) => `${a.what}/${a.owner}/${a.outcome}/${a.note}`)).toEqual(['Budgetcoach/Wijkteam/partly/Wachtlijst', 'Gezinsgesprek/Moeder//']);
  });

  it('finds kept, new and dropped worries, also through a merged worry', () => {
    const c = whatChanged(
      followUp({
        items: [worry('w20'), worry('w21', { mergedInto: 'w20', continues: 'w3' }), worry('w22', { continues: 'w1' }), worry('w23'), worry('w24', { continues: 'w2', withdrawn: true })],
        agreement: { confirmed: true, worryIds: ['w22', 'w20', 'w23'], overrideReason: '', dissent: [], akkoord: [] },
        plan: { ...emptyPlan, goals: [{ worryId: 'w22', goal: '', scoreNow: 6 }] },
      }),
    )!;
    expect(c.decided).toBe(true);
    expect(c.kept.map(line)).toEqual(['w1>w22 356', 'w3>w20 58-']);
    expect(c.added.map(line)).toEqual(['>w23 ---']);
    expect(c.dropped.map(line)).toEqual(['w2> ---']);
    expect(c.kept[0]?.rank).toBe(1);
  });

  it('uses the closed version once the meeting is closed', () => {
    const plan = { ...emptyPlan, goals: [{ worryId: 'w22', goal: '', scoreNow: 7 }] };
    const c = whatChanged(
      followUp({
        phase: 'closed',
        items: [worry('w22', { continues: 'w1' })],
        versions: [{ number: 1, closedAt: '2025-06-01T10:00:00Z', top3: ['w22'], plan }],
      }),
    )!;
    expect(c.kept.map(line)).toEqual(['w1>w22 357']);
    expect(c.dropped).toHaveLength(2);
  });
});
