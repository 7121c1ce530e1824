// The pure part of the realtime store: it applies server messages (snapshot,
// events, presence) to the meeting a client sees. No I/O, so it is easy to test.
import type {
  Agreement,
  Dissent,
  DraftCount,
  Ending,
  Item,
  Lead,
  MeetingHeader,
  MeetingView,
  Participant,
  Party,
  Plan,
  PlanVersion,
  Previous,
  RankingResult,
  Review,
  Role,
  Round,
  ServerMessage,
} from './types';
import { applySafetyEvent } from './safety';

/** What one device knows about one meeting. */
export interface RealtimeState {
  meeting: MeetingView | null;
  /** The highest seq seen; sent as lastSeq on reconnect. */
  seq: number;
  role: Role | null;
  participantId: string;
  online: string[];
}

export const initialState: RealtimeState = { meeting: null, seq: 0, role: null, participantId: '', online: [] };

function upsert<T extends { id: string }>(list: T[], next: T): T[] {
  const i = list.findIndex((x) => x.id === next.id);
  if (i === -1) return [...list, next];
  const copy = list.slice();
  copy[i] = next;
  return copy;
}

function byOrder<T extends { order: number }>(list: T[]): T[] {
  return list.slice().sort((a, b) => a.order - b.order);
}

/** Applies one event to a meeting; unknown events change nothing. */
export function applyEvent(m: MeetingView, name: string, data: Record<string, unknown>): MeetingView {
  switch (name) {
    case 'meeting.updated': {
      const { parties: _p, participants: _q, items: _i, ...header } = (data.meeting ?? {}) as MeetingHeader &
        Record<string, unknown>;
      return { ...m, ...(header as MeetingHeader) };
    }
    case 'party.upserted':
      return { ...m, parties: byOrder(upsert(m.parties, data.party as Party)) };
    case 'participant.upserted':
      return { ...m, participants: upsert(m.participants, data.participant as Participant) };
    case 'item.upserted':
      return { ...m, items: upsert(m.items, data.item as Item) };
    case 'items.revealed': {
      let items = m.items;
      for (const it of (data.items ?? []) as Item[]) items = upsert(items, it);
      return { ...m, items };
    }
    case 'ranking.mine':
      return { ...m, myRanking: (data.worryIds ?? []) as string[] };
    case 'ranking.progress':
    case 'ranking.result':
      return { ...m, ranking: data.result as RankingResult };
    case 'agreement.updated':
      return { ...m, agreement: data.agreement as Agreement };
    case 'dissent.upserted': {
      // One dissent per participant; empty text means it was taken back.
      const d = data.dissent as Dissent;
      const dissent = m.agreement.dissent.filter((x) => x.participantId !== d.participantId);
      if (d.text) dissent.push(d);
      return { ...m, agreement: { ...m.agreement, dissent } };
    }
    case 'drafts.counted':
      return { ...m, drafts: (data.drafts ?? []) as DraftCount[] };
    case 'plan.updated':
      return { ...m, plan: data.plan as Plan };
    case 'plan.closed': {
      const v = data.version as PlanVersion;
      const versions = [...m.versions.filter((x) => x.number !== v.number), v].sort((a, b) => a.number - b.number);
      return { ...m, versions, plan: v.plan, phase: 'closed' };
    }
    case 'meeting.previous':
      return { ...m, previous: data.previous as Previous };
    case 'round.updated':
      return { ...m, round: data.round as Round };
    case 'review.updated':
      return { ...m, review: data.review as Review };
    case 'lead.changed':
      return { ...m, lead: data.lead as Lead };
    case 'meeting.abandoned':
      return { ...m, ending: data.ending as Ending };
    default:
      return applySafetyEvent(m, name, data);
  }
}

/** Applies one server message to the state. Acks and errors belong to the outbox. */
export function reduce(state: RealtimeState, msg: ServerMessage): RealtimeState {
  switch (msg.type) {
    case 'welcome':
      return { ...state, role: msg.role, participantId: msg.participantId ?? '' };
    case 'snapshot': {
      const meeting = {
        ...msg.meeting,
        myRanking: msg.meeting.myRanking ?? [],
        versions: msg.meeting.versions ?? [],
        previous: msg.meeting.previous ?? null,
        review: msg.meeting.review ?? { actions: [], scores: [] },
      };
      return { ...state, meeting, seq: msg.seq, online: meeting.online ?? [] };
    }
    case 'event': {
      // Events at or below what we have were already applied (resume overlap).
      if (msg.seq <= state.seq || !state.meeting) return { ...state, seq: Math.max(state.seq, msg.seq) };
      return { ...state, meeting: applyEvent(state.meeting, msg.name, msg.data ?? {}), seq: msg.seq };
    }
    case 'presence':
      return { ...state, online: msg.online };
    default:
      return state;
  }
}
