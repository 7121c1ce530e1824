import { describe, expect, it } from 'vitest';
import { safetyChanges } from './safety-changes';
import type { MeetingView } from './types';

const scale = (id: string, scores: { partyId: string; score: number }[], continues = '') =>
  ({ id, worryId: '', question: 'Hoe veilig is Kim thuis?', tenMeans: 'veilig', zeroMeans: 'niet veilig', scores, continues });
const agreement = (id: string, what: string, continues = '') =>
  ({ id, what, doerPartyId: '', checkerPartyId: '', watcherPartyIds: [], planB: 'Oma bellen', answers: [], continues });
const plan = (scales: unknown[], agreements: unknown[]) => ({ statements: [], scales, notes: [], agreements, conditions: [], children: [] });

// A follow-up: the parties are the same by name, with new ids.
const followUp = (over: Partial<MeetingView> = {}) =>
  ({
    phase: 'plan',
    versions: [],
    parties: [{ id: 'party7', name: 'Moeder', kind: 'family' }, { id: 'party8', name: 'Veilig Thuis', kind: 'professional' }],
    previous: {
      parties: [{ id: 'party1', name: 'Moeder', kind: 'family' }, { id: 'party2', name: 'Veilig Thuis', kind: 'professional' }],
      version: {
        number: 1,
        safety: plan([scale('scale3', [{ partyId: 'party1', score: 4 }, { partyId: 'party2', score: 2 }])],
          [agreement('agr4', 'Kim gaat bij ruzie naar oma'), agreement('agr5', 'Vader belt elke week')]),
      },
    },
    safety: {
      plan: plan([scale('scale9', [{ partyId: 'party7', score: 7 }], 'scale3')], [agreement('agr11', 'Vader belt elke week', 'agr5')]),
      children: [],
      sources: [],
      review: { agreements: [{ agreementId: 'agr4', held: 'held', note: 'Twee keer gedaan' }], scores: [{ scaleId: 'scale3', partyId: 'party1', score: 6 }] },
    },
    ...over,
  }) as unknown as MeetingView;

describe('safetyChanges', () => {
  it('gives each party its score then, at the review and now, and which agreements held', () => {
    const c = safetyChanges(followUp());
    expect(c?.scores).toEqual([
      { previousScaleId: 'scale3', scaleId: 'scale9', question: 'Hoe veilig is Kim thuis?', party: 'Moeder', previousScore: 4, reviewScore: 6, scoreNow: 7 },
      { previousScaleId: 'scale3', scaleId: 'scale9', question: 'Hoe veilig is Kim thuis?', party: 'Veilig Thuis', previousScore: 2, reviewScore: null, scoreNow: null },
    ]);
    expect(c?.agreements).toEqual([
      { agreementId: 'agr4', what: 'Kim gaat bij ruzie naar oma', held: 'held', note: 'Twee keer gedaan', carriedAs: '' },
      { agreementId: 'agr5', what: 'Vader belt elke week', held: '', note: '', carriedAs: 'agr11' },
    ]);
  });

  it('reads a closed meeting from its last version', () => {
    const m = followUp({ phase: 'closed' });
    (m as unknown as { versions: unknown[] }).versions = [{ number: 2, safety: plan([scale('scale9', [{ partyId: 'party8', score: 5 }], 'scale3')], []) }];
    const c = safetyChanges(m);
    expect(c?.scores.map((s) => [s.party, s.scoreNow])).toEqual([['Moeder', null], ['Veilig Thuis', 5]]);
    expect(c?.agreements.map((a) => a.carriedAs)).toEqual(['', '']);
  });

  it('is null for a first meeting and for a previous plain plan', () => {
    expect(safetyChanges(followUp({ previous: null }))).toBeNull();
    const plain = followUp();
    delete (plain.previous!.version as { safety?: unknown }).safety;
    expect(safetyChanges(plain)).toBeNull();
  });
});
