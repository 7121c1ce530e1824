// The coordinator's summaries of the "were you heard?" check (docs/protocol.md):
// only aggregates, nothing below three answers or while answers still come in.
import { request } from './http';
import type { HeardQuestion } from './heard';

/** The questions in the phone's order (api/heard.ts), kept here so the console imports none of the phone's code. */
export const SUMMARY_QUESTIONS: HeardQuestion[] = ['heard', 'safe', 'time', 'goals'];

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

export const meetingHeard = (meetingId: string) => request<MeetingHeard>('GET', `/api/meetings/${encodeURIComponent(meetingId)}/heard/summary`);
export const heardOverview = () => request<HeardOverview>('GET', '/api/heard');
