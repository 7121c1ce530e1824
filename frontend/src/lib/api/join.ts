// Joining a meeting without an account: look up the code, say who you are,
// and keep the returned token for this meeting on this device.
import { request } from './http';
import type { Party } from '../realtime/types';

export interface JoinInfo {
  meetingId: string;
  familyLabel: string;
  title: string;
  parties: Party[];
  locked: boolean;
  closed: boolean;
}

export interface Joined {
  meetingId: string;
  participantId: string;
  token: string;
}

/** Codes are typed by people: ignore spaces and case. */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export const lookupCode = (code: string) => request<JoinInfo>('GET', `/api/join/${encodeURIComponent(normaliseCode(code))}`);
export const joinMeeting = (code: string, name: string, partyId: string) =>
  request<Joined>('POST', `/api/join/${encodeURIComponent(normaliseCode(code))}`, { name, partyId });

const tokenKey = (meetingId: string) => `tafel.token.${meetingId}`;

export function saveToken(meetingId: string, token: string): void {
  try {
    localStorage.setItem(tokenKey(meetingId), token);
  } catch {
    // Without storage the phone stays joined until the page is closed.
  }
}

export function loadToken(meetingId: string): string | null {
  try {
    return localStorage.getItem(tokenKey(meetingId));
  } catch {
    return null;
  }
}

export function forgetToken(meetingId: string): void {
  try {
    localStorage.removeItem(tokenKey(meetingId));
  } catch {
    // Nothing to forget.
  }
}
