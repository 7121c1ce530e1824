// The server says what went wrong as a stable code (its category), a reason
// (which sentence) and the sentence's parameters; its message is English, for
// developers. The sentence a person reads comes from their own catalogue.
import { t, tMaybe, type MessageKey } from './i18n.svelte';

/** What the server sends about an error, in a REST answer or a websocket error frame. */
export interface ServerError {
  code: string;
  reason?: string;
  params?: Record<string, unknown>;
}

/** Parameters whose values are words the server uses; they get the reader's word. */
const WORD_PARAMS: Record<string, string> = { phase: 'phase', kind: 'itemKind' };

/** The sentence for an error in the reader's language: the reason's, else the code's, else a general one. */
export function errorText(e: ServerError | null | undefined): string {
  if (!e) return t('error.generic');
  if (e.code === 'network') return t('error.network');
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(e.params ?? {})) {
    if (typeof value === 'number') params[name] = value;
    else if (typeof value === 'string') {
      const group = WORD_PARAMS[name];
      params[name] = (group && tMaybe(`${group}.${value}`)) || value;
    }
  }
  return (
    (e.reason && tMaybe(`err.${e.reason}`, params)) || tMaybe(`err.code.${e.code}`, params) || t('error.generic' as MessageKey)
  );
}
