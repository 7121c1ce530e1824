// The "were you heard?" check on the phone (docs/privacy.md): where this person
// stands, and their one answer after the close, sent with the participant cookie.
// The coordinator's summaries are in heardSummary.ts: the phone's chunk shares
// nothing with the console.
import { request } from './http';

export const HEARD_QUESTIONS = ['heard', 'safe', 'time', 'goals'] as const;
export type HeardQuestion = (typeof HEARD_QUESTIONS)[number];

/** Where this phone's person stands with the check. */
export type HeardState = 'open' | 'answered' | 'not_yet' | 'ended' | 'not_for_you';

export interface HeardAnswer {
  scores: Record<HeardQuestion, number>; // 1 no, 2 a little, 3 yes
  mark: number; // 0-10
  sentence: string;
}

const base = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/heard`;

export const heardState = (meetingId: string) => request<{ state: HeardState }>('GET', base(meetingId));
export const answerHeard = (meetingId: string, a: HeardAnswer) => request<{ state: HeardState }>('POST', base(meetingId), a);
