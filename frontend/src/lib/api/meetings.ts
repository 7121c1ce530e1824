// Meetings: list, create, add a party, and the join QR code.
import { request } from './http';
import type { MeetingView, PartyKind, Phase, Weighting } from '../realtime/types';

export interface MeetingSummary {
  id: string;
  familyId: string;
  familyLabel: string;
  title: string;
  date: string;
  phase: Phase;
  joinCode: string;
  /** The meeting a follow-up was made from; '' for a first meeting. */
  followsMeetingId: string;
  /** A closed meeting that ended without a plan (meeting.abandon). */
  endedWithoutPlan?: boolean;
}

export interface NewMeeting {
  familyId: string;
  title: string;
  date: string;
  strengthsRound: boolean;
  weighting: Weighting;
  /** Absent: the plain top-3 plan. */
  shape?: 'signs_of_safety';
  parties: { name: string; kind: PartyKind }[];
}

export const listMeetings = () => request<MeetingSummary[] | null>('GET', '/api/meetings').then((m) => m ?? []);
export const createMeeting = (m: NewMeeting) => request<{ id: string; joinCode: string }>('POST', '/api/meetings', m);
export const addParty = (meetingId: string, name: string, kind: PartyKind) =>
  request<unknown>('POST', `/api/meetings/${encodeURIComponent(meetingId)}/parties`, { name, kind });
export const fetchSnapshot = (meetingId: string, token?: string) =>
  request<MeetingView>('GET', `/api/meetings/${encodeURIComponent(meetingId)}/snapshot`, undefined, token);
/** Makes a follow-up of a closed meeting, or returns the open one made before (existing). */
export const createFollowUp = (meetingId: string, body: { title?: string; date?: string } = {}) =>
  request<{ id: string; joinCode: string; existing: boolean }>('POST', `/api/meetings/${encodeURIComponent(meetingId)}/follow-up`, body);

export type ExportFormat = 'pdf' | 'md' | 'csv' | 'json' | 'ics';
export const EXPORT_FORMATS: ExportFormat[] = ['pdf', 'md', 'csv', 'json', 'ics'];
/** A link that downloads the plan (the live one, or the latest closed version) as a file. */
export const exportURL = (meetingId: string, format: ExportFormat, lang: string) =>
  `/api/meetings/${encodeURIComponent(meetingId)}/export.${format}?lang=${encodeURIComponent(lang)}`;
export const qrURL = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/qr.svg`;
