// A timestamp in the reader's language, for the console only: kept out of the
// i18n module, which every page loads, so a phone does not carry it.
import { intlLocale } from '../../i18n/i18n.svelte';

/** A timestamp in the reader's language, e.g. "1 december 2026 om 15:30". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'long', timeStyle: 'short' }).format(d);
}
