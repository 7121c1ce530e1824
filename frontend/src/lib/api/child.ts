// The child's own page: with a child code (never a join code) a child reads and
// saves their three houses, and nothing else of the meeting.
import { request } from './http';

/** A child's three houses, all a child's page ever gets. */
export interface ChildHouses {
  childName: string;
  worries: string;
  goesWell: string;
  wishes: string;
  /** The story is at the table: the houses no longer change. */
  brought: boolean;
}

/** Codes are typed by people: spaces, dashes and case do not matter (as join codes). */
export const normaliseChildCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();
const path = (code: string) => `/api/child/${encodeURIComponent(normaliseChildCode(code))}`;

export const readChildHouses = (code: string) => request<ChildHouses>('GET', path(code));
export const saveChildHouses = (code: string, houses: Omit<ChildHouses, 'brought'>) => request<ChildHouses>('PUT', path(code), houses);

/** A child code as the coordinator sees it. */
export interface ChildCode {
  id: string;
  code: string;
  childId: string;
  expiresAt: string;
  status: 'active' | 'revoked' | 'expired';
}

const codes = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}/child-codes`;
export const listChildCodes = (meetingId: string) => request<ChildCode[]>('GET', codes(meetingId));
export const createChildCode = (meetingId: string) => request<ChildCode>('POST', codes(meetingId));
export const revokeChildCode = (meetingId: string, id: string) => request<ChildCode>('DELETE', `${codes(meetingId)}/${encodeURIComponent(id)}`);
