import { describe, expect, it } from 'vitest';
import { holds, nextPhase, previousPhase } from './select';
import type { MeetingView, Phase, Previous } from './types';

const previous = { meetingId: 'm1', worries: [], parties: [] } as unknown as Previous;

function at(phase: Phase, strengthsRound: boolean, followUp: boolean): MeetingView {
  return { phase, options: { strengthsRound, weighting: 'party' }, previous: followUp ? previous : null } as unknown as MeetingView;
}

describe('phases', () => {
  it('holds review only in a follow-up, strengths only when chosen', () => {
    expect(holds(at('lobby', false, false), 'review')).toBe(false);
    expect(holds(at('lobby', false, true), 'review')).toBe(true);
    expect(holds(at('lobby', false, true), 'strengths')).toBe(false);
    expect(holds(at('lobby', true, false), 'strengths')).toBe(true);
  });

  it.each([
    // phase, strengths, follow-up, next, previous
    ['lobby', false, false, 'worries', null],
    ['lobby', true, false, 'strengths', null],
    ['lobby', true, true, 'review', null],
    ['review', false, true, 'worries', 'lobby'],
    ['review', true, true, 'strengths', 'lobby'],
    ['strengths', true, true, 'worries', 'review'],
    ['worries', false, true, 'cluster', 'review'],
    ['worries', false, false, 'cluster', 'lobby'],
    ['plan', false, true, null, 'agree'],
    ['closed', false, true, null, null],
  ] as const)('from %s (strengths %s, follow-up %s): next %s, back %s', (phase, strengths, followUp, next, prev) => {
    const m = at(phase, strengths, followUp);
    expect(nextPhase(m)).toBe(next);
    expect(previousPhase(m)).toBe(prev);
  });
});
