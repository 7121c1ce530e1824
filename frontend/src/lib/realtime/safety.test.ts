import { describe, expect, it } from 'vitest';
import { applySafetyEvent, shownSafety } from './safety';
import type { MeetingView } from './types';

const base = {
  phase: 'plan',
  versions: [],
  safety: {
    plan: { statements: [], scales: [], notes: [], agreements: [], conditions: [], children: [] },
    children: [],
    sources: [],
    review: { agreements: [], scores: [] },
  },
} as unknown as MeetingView;

describe('applySafetyEvent', () => {
  it('shows a child only once brought to the table', () => {
    const child = { id: 'child9', childName: 'Kim', worries: 'bang', goesWell: '', wishes: '', brought: false, bringerId: '', story: '' };
    let m = applySafetyEvent(base, 'child.upserted', { child });
    expect(m.safety?.children).toHaveLength(1);
    expect(shownSafety(m)?.children).toHaveLength(0);
    m = applySafetyEvent(m, 'child.upserted', { child: { ...child, brought: true, bringerId: 'p5' } });
    expect(m.safety?.children).toHaveLength(1);
    expect(shownSafety(m)?.children[0]?.bringerId).toBe('p5');
  });
  it('leaves a plain meeting alone', () => {
    const plain = { ...base, safety: undefined } as MeetingView;
    expect(applySafetyEvent(plain, 'safety.updated', { safety: {} })).toBe(plain);
  });
});
