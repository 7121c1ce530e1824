// Types of the realtime protocol, as written in docs/protocol.md.
import type { Contact, SafetyPlan, SafetyView, Shape } from './safety';

export type Phase = 'lobby' | 'review' | 'strengths' | 'worries' | 'cluster' | 'rank' | 'agree' | 'plan' | 'closed';
export type PartyKind = 'family' | 'network' | 'professional' | 'support' | 'interpreter';
export type Weighting = 'party' | 'person';
export type Role = 'coordinator' | 'screen' | 'participant';

export interface Party {
  id: string;
  name: string;
  kind: PartyKind;
  order: number;
}

export interface Participant {
  id: string;
  name: string;
  partyId: string;
  status: 'pending' | 'admitted' | 'removed';
}

export interface Item {
  id: string;
  kind: 'strength' | 'worry';
  partyId: string;
  text: string;
  domain: string;
  authorIds: string[];
  onBehalf: boolean;
  revealed: boolean;
  withdrawn: boolean;
  mergedInto: string;
  /** In a follow-up: the previous top-3 worry this one carries on, or ''. */
  continues: string;
  order: number;
  /** The author's own words when the coordinator rephrased the worry; '' or absent otherwise. */
  originalText?: string;
  /** On the family's own list (family time). */
  family?: boolean;
  /** The family brings it to the table when family time ends. */
  bring?: boolean;
}

/** A speaking round: parties in turn; the same on every surface. */
export interface Round {
  active: boolean;
  order: string[];
  turn: number;
  passed: string[];
  turnSeconds: number;
  /** When the turn's time is up (server clock, RFC 3339); absent without a timer. */
  deadline?: string;
}

/** How many items a party still has unrevealed (the console only). */
export interface DraftCount {
  partyId: string;
  kind: 'strength' | 'worry';
  count: number;
}

export interface RankedWorry {
  worryId: string;
  points: number;
  firstPlaces: number;
  position: number;
  byParty: { partyId: string; points: number }[];
}

export interface RankingResult {
  weighting: Weighting;
  voters: number;
  worries: RankedWorry[];
  top3: string[];
  familyTop3: string[];
  professionalTop3: string[];
  partyTop3: { partyId: string; worryIds: string[] }[];
  /** Each family member's own top 3: only when the meeting chose to show it. */
  personTop3?: { participantId: string; worryIds: string[] }[];
  rankedBy: string[];
  /** False while the round is open: then only rankedBy and voters are filled. */
  closed?: boolean;
}

export interface Dissent {
  participantId: string;
  partyId: string;
  text: string;
}

export interface Agreement {
  confirmed: boolean;
  worryIds: string[];
  overrideReason: string;
  dissent: Dissent[];
  akkoord: { participantId: string; partyId: string }[];
}

export type ActionStatus = 'open' | 'doing' | 'done';

export interface PlanAction {
  id: string;
  worryId: string;
  what: string;
  ownerPartyId: string;
  due: string;
  status: ActionStatus;
}

export interface Plan {
  goals: { worryId: string; goal: string; scoreNow: number | null }[];
  actions: PlanAction[];
  regisseurPartyId: string;
  regisseurRole: string;
  nextEvaluation: string;
  regisseurContact?: Contact;
}

export interface PlanVersion {
  number: number;
  closedAt: string;
  top3: string[];
  plan: Plan;
  safety?: SafetyPlan;
}

/** A worry of the previous top 3, in a follow-up meeting. */
export interface PreviousWorry {
  id: string;
  rank: number;
  partyId: string;
  text: string;
  domain: string;
  goal: string;
  scoreNow: number | null;
}

/** The plan a follow-up meeting starts from. */
export interface Previous {
  meetingId: string;
  title: string;
  date: string;
  version: PlanVersion;
  worries: PreviousWorry[];
  parties: Party[];
}

export type Outcome = 'done' | 'partly' | 'not_done';

export interface Review {
  actions: { actionId: string; outcome: Outcome; note: string }[];
  scores: { worryId: string; score: number }[];
}

export interface MeetingOptions {
  strengthsRound: boolean;
  weighting: Weighting;
  /** Show a party's own top 3 also for a party of one voter. */
  showSingleTop3?: boolean;
  /** Show each family member's own top 3 on the screen. */
  showPersonTop3?: boolean;
  shape?: Shape;
}

export interface MeetingView {
  id: string;
  familyLabel: string;
  title: string;
  date: string;
  joinCode: string;
  phase: Phase;
  locked: boolean;
  /** True while the family and its network talk alone. */
  familyTime?: boolean;
  /** The family member who may end family time; '' for none. */
  spokesperson?: string;
  options: MeetingOptions;
  parties: Party[];
  participants: Participant[];
  items: Item[];
  myRanking: string[];
  ranking: RankingResult;
  agreement: Agreement;
  plan: Plan;
  versions: PlanVersion[];
  /** The plan a follow-up starts from; null for a first meeting. */
  previous: Previous | null;
  review: Review;
  /** Coordinators only: unrevealed items per party. */
  drafts?: DraftCount[];
  /** The speaking round (absent from servers before rounds). */
  round?: Round;
  /** The Signs of Safety shape only. */
  safety?: SafetyView;
  online: string[];
  seq: number;
  /** A closed meeting that ended with meeting.abandon: it has no plan. */
  endedWithoutPlan?: boolean;
  /** Coordinators only: who runs the meeting; absent until someone does. */
  lead?: Lead;
  /** Coordinators only: how a meeting ended without a plan. */
  ending?: Ending;
}

/** The coordinator who runs a live meeting. */
export interface Lead {
  userId: string;
  name: string;
}

/** The fixed reasons a meeting can end without a plan (the list is in the console's AbandonPanel). */
export type AbandonReason = 'family_absent' | 'stopped_early' | 'coordinator_gone' | 'made_by_mistake' | 'other';

/** How a meeting ended without a plan. */
export interface Ending {
  reason: AbandonReason;
  note: string;
  at: string;
  by: Lead;
}

/** The fields of a meeting that `meeting.updated` carries. */
export type MeetingHeader = Partial<Omit<MeetingView, 'parties' | 'participants' | 'items' | 'previous' | 'review'>>;

export type ServerMessage =
  | { type: 'welcome'; role: Role; participantId?: string; seq: number }
  | { type: 'snapshot'; seq: number; meeting: MeetingView }
  | { type: 'event'; seq: number; name: string; data: Record<string, unknown> }
  | { type: 'presence'; online: string[] }
  | { type: 'ack'; id: string; seq?: number; duplicate?: boolean }
  | { type: 'error'; id?: string; code: string; reason?: string; params?: Record<string, unknown>; message: string };

export interface Command {
  type: 'command';
  id: string;
  name: string;
  data: Record<string, unknown>;
}

export const PHASES: Phase[] = ['lobby', 'review', 'strengths', 'worries', 'cluster', 'rank', 'agree', 'plan', 'closed'];

export const DOMAINS = [
  'financien',
  'werk_opleiding',
  'tijdsbesteding',
  'huisvesting',
  'huiselijke_relaties',
  'geestelijke_gezondheid',
  'lichamelijke_gezondheid',
  'middelengebruik',
  'basale_adl',
  'instrumentele_adl',
  'sociaal_netwerk',
  'maatschappelijke_participatie',
  'justitie',
] as const;
