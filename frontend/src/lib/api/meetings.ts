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
}

export interface NewMeeting {
  familyId: string;
  title: string;
  date: string;
  strengthsRound: boolean;
  weighting: Weighting;
  parties: { name: string; kind: PartyKind }[];
}

export const listMeetings = () => request<MeetingSummary[] | null>('GET', '/api/meetings').then((m) => m ?? []);
export const createMeeting = (m: NewMeeting) => request<{ id: string; joinCode: string }>('POST', '/api/meetings', m);
export const addParty = (meetingId: string, name: string, kind: PartyKind) =>
  request<unknown>('POST', `/api/meetings/${encodeURIComponent(meetingId)}/parties`, { name, kind });
export const fetchSnapshot = (meetingId: string, token?: string) =>
  request<MeetingView>('GET', `/api/meetings/${encodeURIComponent(meetingId)}/snapshot`, undefined, token);
export const qrURL = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/qr.svg`;
