// The "were you heard?" check (docs/privacy.md): a phone's one answer after the
// close, sent with the participant cookie; and the coordinator's summaries.
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

export interface HeardCounts {
  no: number;
  little: number;
  yes: number;
}

/** A summary of answers: only the count unless shown (3 answers or more, check over). */
export interface HeardSummary {
  answers: number;
  shown: boolean;
  open: boolean;
  scores: Partial<Record<HeardQuestion, HeardCounts>>;
  meanMark: number;
  marks: number[];
  sentences: string[];
}

export interface HeardOverview {
  meetings: number;
  open: number;
  tooFew: number;
  summary: HeardSummary;
}

export interface MeetingHeard {
  meetingId: string;
  eligible: number;
  days: number;
  summary: HeardSummary;
}

const base = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/heard`;

export const heardState = (meetingId: string) => request<{ state: HeardState }>('GET', base(meetingId));
export const answerHeard = (meetingId: string, a: HeardAnswer) => request<{ state: HeardState }>('POST', base(meetingId), a);
export const meetingHeard = (meetingId: string) => request<MeetingHeard>('GET', `${base(meetingId)}/summary`);
export const heardOverview = () => request<HeardOverview>('GET', '/api/heard');
