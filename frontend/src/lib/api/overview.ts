// After the meeting: a family's timeline, the organisation's overview, and the
// pilot measures (who came to each meeting) as CSV.
import { request } from './http';
import type { ActionStatus, Outcome, Phase } from '../realtime/types';

export interface Attendance {
  partiesInvited: number;
  partiesPresent: number;
  people: number;
  familyPeople: number;
  networkPeople: number;
  professionalPeople: number;
}

export interface OpenAction {
  meetingId: string;
  version: number;
  actionId: string;
  worry: string;
  what: string;
  owner: string;
  due: string;
  status: ActionStatus;
  outcome: Outcome | '';
  overdue: boolean;
}

export interface TimelineMeeting {
  id: string;
  title: string;
  date: string;
  phase: Phase;
  followsMeetingId: string;
  attendance: Attendance;
  versions: {
    number: number;
    closedAt: string;
    top3: { id: string; text: string; scoreNow: number | null }[];
    actions: number;
    actionsDone: number;
    regisseur: string;
    nextEvaluation: string;
  }[];
}

export interface Timeline {
  family: { id: string; label: string };
  today: string;
  meetings: TimelineMeeting[];
  currentPlan: { meetingId: string; date: string; version: number; closedAt: string } | null;
  openActions: OpenAction[];
  nextEvaluation: string;
  evaluationLate: boolean;
  followUpMeetingId: string;
}

export interface Overview {
  today: string;
  evaluations: { familyId: string; familyLabel: string; meetingId: string; version: number; date: string; late: boolean; followUpMeetingId: string }[];
  overdueActions: (OpenAction & { familyId: string; familyLabel: string })[];
  families: { familyId: string; familyLabel: string; meetings: number; openActions: number; overdueActions: number; nextEvaluation: string }[];
}

export const familyTimeline = (familyId: string) => request<Timeline>('GET', `/api/families/${encodeURIComponent(familyId)}/timeline`);
export const organisationOverview = () => request<Overview>('GET', '/api/overview');
/** Who came to each meeting, as CSV: of one family, or of the whole organisation. */
export const measuresURL = (familyId?: string) =>
  familyId ? `/api/families/${encodeURIComponent(familyId)}/measures.csv` : '/api/measures.csv';
