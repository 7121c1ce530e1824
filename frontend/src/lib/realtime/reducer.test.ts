import { describe, expect, it } from 'vitest';
import { initialState, reduce, type RealtimeState } from './reducer';
import type { Item, MeetingView, ServerMessage } from './types';

function meeting(over: Partial<MeetingView> = {}): MeetingView {
  return {
    id: 'm1',
    familyLabel: 'Gezin J.',
    title: 'Top-3-gesprek',
    date: '2025-03-01',
    joinCode: 'K7MX9Q',
    phase: 'lobby',
    locked: false,
    options: { strengthsRound: true, weighting: 'party' },
    parties: [
      { id: 'party1', name: 'Vader', kind: 'family', order: 1 },
      { id: 'party2', name: 'Moeder', kind: 'family', order: 2 },
    ],
    participants: [],
    items: [],
    myRanking: [],
    ranking: {
      weighting: 'party',
      voters: 0,
      worries: [],
      top3: [],
      familyTop3: [],
      professionalTop3: [],
      partyTop3: [],
      rankedBy: [],
    },
    agreement: { confirmed: false, worryIds: [], overrideReason: '', dissent: [], akkoord: [] },
    plan: { goals: [], actions: [], regisseurPartyId: '', regisseurRole: '', nextEvaluation: '' },
    versions: [],
    previous: null,
    review: { actions: [], scores: [] },
    online: ['coordinator'],
    seq: 9,
    ...over,
  };
}

function worry(id: string, over: Partial<Item> = {}): Item {
  return {
    id,
    kind: 'worry',
    partyId: 'party2',
    text: 'Er is te weinig geld voor eten',
    domain: 'financien',
    authorIds: ['p9'],
    onBehalf: false,
    revealed: false,
    withdrawn: false,
    mergedInto: '',
    continues: '',
    order: 1,
    ...over,
  };
}

function run(...msgs: ServerMessage[]): RealtimeState {
  return msgs.reduce(reduce, initialState);
}

describe('reduce', () => {
  it('takes role and participant id from welcome, the meeting and seq from the snapshot', () => {
    const s = run(
      { type: 'welcome', role: 'participant', participantId: 'p9', seq: 9 },
      { type: 'snapshot', seq: 9, meeting: meeting() },
    );
    expect(s.role).toBe('participant');
    expect(s.participantId).toBe('p9');
    expect(s.seq).toBe(9);
    expect(s.online).toEqual(['coordinator']);
    expect(s.meeting?.familyLabel).toBe('Gezin J.');
  });

  it('upserts an item and replaces it on the next event with the same id', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 12, name: 'item.upserted', data: { item: worry('w12') } },
      { type: 'event', seq: 13, name: 'items.revealed', data: { items: [worry('w12', { revealed: true })] } },
    );
    expect(s.meeting?.items).toHaveLength(1);
    expect(s.meeting?.items[0]?.revealed).toBe(true);
    expect(s.seq).toBe(13);
  });

  it('ignores an event it already has (seq at or below its own)', () => {
    const s = run(
      { type: 'snapshot', seq: 12, meeting: meeting({ items: [worry('w12', { text: 'nieuw' })] }) },
      { type: 'event', seq: 12, name: 'item.upserted', data: { item: worry('w12', { text: 'oud' }) } },
    );
    expect(s.meeting?.items[0]?.text).toBe('nieuw');
  });

  it('accepts gaps in seq', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 15, name: 'meeting.updated', data: { meeting: { phase: 'worries', locked: true } } },
    );
    expect(s.meeting?.phase).toBe('worries');
    expect(s.meeting?.locked).toBe(true);
    expect(s.meeting?.parties).toHaveLength(2);
    expect(s.seq).toBe(15);
  });

  it('keeps parties in speaking order', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 10, name: 'party.upserted', data: { party: { id: 'p0', name: 'Buurvrouw', kind: 'network', order: 0 } } },
    );
    expect(s.meeting?.parties.map((p) => p.id)).toEqual(['p0', 'party1', 'party2']);
  });

  it('applies participant, ranking, agreement, plan and presence', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 10, name: 'participant.upserted', data: { participant: { id: 'p9', name: 'Sanne', partyId: 'party2', status: 'admitted' } } },
      { type: 'event', seq: 11, name: 'ranking.mine', data: { participantId: 'p9', worryIds: ['w2', 'w1'] } },
      { type: 'event', seq: 12, name: 'ranking.result', data: { result: { ...meeting().ranking, top3: ['w2', 'w1'] } } },
      { type: 'event', seq: 13, name: 'agreement.updated', data: { agreement: { confirmed: true, worryIds: ['w2'], overrideReason: '', dissent: [], akkoord: [] } } },
      { type: 'event', seq: 14, name: 'plan.updated', data: { plan: { ...meeting().plan, regisseurRole: 'Gebiedsteam' } } },
      { type: 'presence', online: ['coordinator', 'p9'] },
    );
    expect(s.meeting?.participants[0]?.status).toBe('admitted');
    expect(s.meeting?.myRanking).toEqual(['w2', 'w1']);
    expect(s.meeting?.ranking.top3).toEqual(['w2', 'w1']);
    expect(s.meeting?.agreement.confirmed).toBe(true);
    expect(s.meeting?.plan.regisseurRole).toBe('Gebiedsteam');
    expect(s.online).toEqual(['coordinator', 'p9']);
  });

  it('a reopened round (ranking.progress) replaces the result with who has ranked', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 10, name: 'ranking.result', data: { result: { ...meeting().ranking, top3: ['w2'], closed: true } } },
      { type: 'event', seq: 11, name: 'ranking.progress', data: { result: { ...meeting().ranking, rankedBy: ['p9'], closed: false } } },
    );
    expect(s.meeting?.ranking.closed).toBe(false);
    expect(s.meeting?.ranking.top3).toEqual([]);
    expect(s.meeting?.ranking.rankedBy).toEqual(['p9']);
  });

  it('dissent.upserted replaces one participant\'s dissent, and empty text takes it back', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 10, name: 'dissent.upserted', data: { dissent: { participantId: 'p9', partyId: 'party2', text: 'Oneens' } } },
      { type: 'event', seq: 11, name: 'dissent.upserted', data: { dissent: { participantId: 'p8', partyId: 'party1', text: 'Ik ook' } } },
      { type: 'event', seq: 12, name: 'dissent.upserted', data: { dissent: { participantId: 'p9', partyId: 'party2', text: 'Toch anders' } } },
    );
    expect(s.meeting?.agreement.dissent.map((d) => d.text)).toEqual(['Ik ook', 'Toch anders']);
    const after = reduce(s, { type: 'event', seq: 13, name: 'dissent.upserted', data: { dissent: { participantId: 'p8', partyId: 'party1', text: '' } } });
    expect(after.meeting?.agreement.dissent.map((d) => d.participantId)).toEqual(['p9']);
  });

  it('drafts.counted sets the console\'s unrevealed counts', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 10, name: 'drafts.counted', data: { drafts: [{ partyId: 'party1', kind: 'worry', count: 2 }] } },
    );
    expect(s.meeting?.drafts).toEqual([{ partyId: 'party1', kind: 'worry', count: 2 }]);
  });

  it('closes the meeting on plan.closed', () => {
    const plan = { ...meeting().plan, nextEvaluation: '2025-06-01' };
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting({ phase: 'plan' }) },
      { type: 'event', seq: 10, name: 'plan.closed', data: { version: { number: 1, closedAt: '2025-03-01T10:00:00Z', top3: [], plan } } },
    );
    expect(s.meeting?.phase).toBe('closed');
    expect(s.meeting?.versions).toHaveLength(1);
  });

  it('lead.changed names the new lead; a meeting ended without a plan keeps no plan version', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting({ phase: 'worries', lead: { userId: 'u1', name: 'Anna' } }) },
      { type: 'event', seq: 10, name: 'lead.changed', data: { lead: { userId: 'u2', name: 'Bram' }, previous: { userId: 'u1', name: 'Anna' }, reason: 'takeover' } },
      { type: 'event', seq: 11, name: 'meeting.abandoned', data: { ending: { reason: 'coordinator_gone', note: '', at: '2026-12-02T10:00:00Z', by: { userId: 'u2', name: 'Bram' } } } },
      { type: 'event', seq: 12, name: 'meeting.updated', data: { meeting: { ...meeting(), phase: 'closed', endedWithoutPlan: true } } },
    );
    expect(s.meeting?.lead).toEqual({ userId: 'u2', name: 'Bram' });
    expect(s.meeting?.ending?.reason).toBe('coordinator_gone');
    expect(s.meeting?.ending?.by.name).toBe('Bram');
    expect(s.meeting?.phase).toBe('closed');
    expect(s.meeting?.endedWithoutPlan).toBe(true);
    expect(s.meeting?.versions).toEqual([]);
  });

  it('a fresh snapshot replaces everything', () => {
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting({ items: [worry('w1')] }) },
      { type: 'snapshot', seq: 20, meeting: meeting({ items: [], phase: 'rank' }) },
    );
    expect(s.meeting?.items).toEqual([]);
    expect(s.meeting?.phase).toBe('rank');
    expect(s.seq).toBe(20);
  });

  it('ignores unknown events but keeps their seq', () => {
    const s = run({ type: 'snapshot', seq: 9, meeting: meeting() }, { type: 'event', seq: 10, name: 'future.thing', data: {} });
    expect(s.seq).toBe(10);
    expect(s.meeting?.phase).toBe('lobby');
  });

  it('applies the previous plan of a follow-up and its review', () => {
    const previous = {
      meetingId: 'm0',
      title: 'Top-3-gesprek',
      date: '2025-01-01',
      version: { number: 1, closedAt: '2025-01-01T10:00:00Z', top3: ['w1'], plan: meeting().plan },
      worries: [{ id: 'w1', rank: 1, partyId: 'party1', text: 'Geld', domain: '', goal: '', scoreNow: 3 }],
      parties: [],
    };
    const review = { actions: [{ actionId: 'a1', outcome: 'partly', note: 'Wachtlijst' }], scores: [{ worryId: 'w1', score: 6 }] };
    const s = run(
      { type: 'snapshot', seq: 9, meeting: meeting() },
      { type: 'event', seq: 10, name: 'meeting.previous', data: { previous } },
      { type: 'event', seq: 11, name: 'review.updated', data: { review } },
      { type: 'event', seq: 12, name: 'meeting.updated', data: { meeting: { phase: 'review' } } },
    );
    expect(s.meeting?.previous?.worries[0]?.text).toBe('Geld');
    expect(s.meeting?.review).toEqual(review);
    expect(s.meeting?.phase).toBe('review');
  });

  it('fills in previous and review from an older server', () => {
    const { previous: _p, review: _r, ...old } = meeting();
    const s = run({ type: 'snapshot', seq: 9, meeting: old as MeetingView });
    expect(s.meeting?.previous).toBeNull();
    expect(s.meeting?.review).toEqual({ actions: [], scores: [] });
  });
});
