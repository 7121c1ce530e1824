// The protected sources of a Signs of Safety meeting: each read is written to the audit log.
import { request } from './http';

export interface SourceRead {
  worryId: string;
  source: string;
  wordingChecked: boolean;
}

export const readSources = (meetingId: string) =>
  request<SourceRead[] | null>('GET', `/api/meetings/${encodeURIComponent(meetingId)}/sources`).then((s) => s ?? []);
