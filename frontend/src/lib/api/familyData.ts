// A family's data under the AVG: who accessed it (the audit log, NEN 7513),
// all of it as one download (right of access), and its erasure (admins only).
import { request } from './http';

export interface AuditRecord {
  at: string;
  actorType: 'user' | 'participant' | 'system' | 'anonymous' | string;
  actorId: string;
  actorRole: string;
  onBehalfOf: string;
  action: string;
  objectType: string;
  objectId: string;
  outcome: string;
  detail: string;
  address: string;
  userAgent: string;
}

export const familyAudit = (familyId: string) =>
  request<AuditRecord[] | null>('GET', `/api/families/${encodeURIComponent(familyId)}/audit`).then((r) => r ?? []);
/** A link that downloads everything stored about the family as JSON. */
export const familyExportURL = (familyId: string) => `/api/families/${encodeURIComponent(familyId)}/export.json`;
export const eraseFamily = (familyId: string) =>
  request<{ erasedMeetings: number }>('DELETE', `/api/families/${encodeURIComponent(familyId)}`);
