// Joining a meeting without an account: look up the code and say who you are.
// The server answers with an HttpOnly cookie for this meeting that identifies
// this device from then on; the page never holds the token.
import { ApiError, request } from './http';
import type { Party } from '../realtime/types';

export interface JoinInfo {
  meetingId: string;
  familyLabel: string;
  title: string;
  parties: Party[];
  locked: boolean;
  closed: boolean;
  /** Set when this phone is in the meeting already (it joined before). */
  joined?: { participantId: string };
}

/** The server also returns the token for non-browser clients; a browser keeps it only in the cookie the answer sets. */
export interface Joined {
  meetingId: string;
  participantId: string;
}

/** Codes are typed by people: ignore spaces and case. */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

export const lookupCode = (code: string) => request<JoinInfo>('GET', `/api/join/${encodeURIComponent(normaliseCode(code))}`);
/** newPerson: someone else joins on a phone that is in the meeting already. */
export const joinMeeting = (code: string, name: string, partyId: string, newPerson = false) =>
  request<Joined>('POST', `/api/join/${encodeURIComponent(normaliseCode(code))}`, { name, partyId, newPerson });

/**
 * Asks the server to put a participant token in this meeting's HttpOnly cookie.
 * The page never keeps the token: scripts cannot read the cookie.
 */
export const exchangeToken = (meetingId: string, token: string) =>
  request<{ meetingId: string; participantId: string }>('POST', `/api/meetings/${encodeURIComponent(meetingId)}/participant-session`, { token });

interface LocationLike {
  pathname: string;
  search: string;
  hash: string;
}
interface HistoryLike {
  state: unknown;
  replaceState(data: unknown, unused: string, url: string): void;
}

/**
 * Takes a token from a link (`?t=` or `#t=`) and removes it from the address bar
 * and the history entry, so it is not bookmarked, shared or shown on screen.
 */
export function takeLinkToken(loc: LocationLike = location, hist: HistoryLike = history): string {
  const query = new URLSearchParams(loc.search);
  const hash = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const token = query.get('t') || hash.get('t') || '';
  if (query.has('t') || hash.has('t')) {
    query.delete('t');
    hash.delete('t');
    const q = query.toString();
    const h = hash.toString();
    hist.replaceState(hist.state, '', loc.pathname + (q ? `?${q}` : '') + (h ? `#${h}` : ''));
  }
  return token;
}

/** Where earlier versions kept the token; read once to move it into the cookie. */
const legacyTokenKey = (meetingId: string) => `tafel.token.${meetingId}`;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * Makes sure this browser has the participant cookie for the meeting when it
 * can: from a token in the link, or once from a token an older version stored
 * (which is then deleted). Without either the cookie from joining is used; the
 * server says on connecting whether there is one.
 */
export async function claimParticipantSession(meetingId: string, store: Pick<Storage, 'getItem' | 'removeItem'> | null = storage()): Promise<void> {
  const fromLink = typeof location === 'undefined' ? '' : takeLinkToken();
  let legacy: string | null = null;
  try {
    legacy = store?.getItem(legacyTokenKey(meetingId)) ?? null;
  } catch {
    legacy = null;
  }
  if (legacy) {
    // Offline: keep it for the next try. Accepted or refused: it has done its work.
    const offline = await exchangeToken(meetingId, legacy).then(
      () => false,
      (e: unknown) => e instanceof ApiError && e.status === 0,
    );
    if (!offline) {
      try {
        store?.removeItem(legacyTokenKey(meetingId));
      } catch {
        // Nothing to forget.
      }
    }
  }
  // Last, so a link wins over an older token on this device.
  if (fromLink) await exchangeToken(meetingId, fromLink).catch(() => undefined);
}
