// Announces what a screen reader user must know without looking, in the
// reader's language: the connection dropping or coming back, whose turn it is as
// the coordinator reveals party by party, a new top 3, choosing being over, the
// next round.
import { t, formatList } from '../i18n/i18n.svelte';
import type { Connection } from '../realtime/connection.svelte';
import { partyName, worryTexts } from '../realtime/select';
import { announce } from './announce.svelte';

export function useStatusAnnouncements(conn: Connection, opts: { ranking?: boolean } = {}): void {
  let lastStatus = conn.status;
  $effect(() => {
    const s = conn.status;
    if (s === lastStatus) return;
    if (s === 'connecting' || s === 'offline') announce(t('announce.reconnecting'));
    else if (s === 'online' && (lastStatus === 'connecting' || lastStatus === 'offline')) announce(t('announce.connected'));
    lastStatus = s;
  });

  // Items seen revealed; null until the first snapshot (what was already on the table is no news).
  let revealed: Set<string> | null = null;
  $effect(() => {
    const m = conn.state.meeting;
    if (!m) return;
    const now = m.items.filter((i) => i.revealed);
    if (revealed) {
      const fresh = now.filter((i) => !revealed!.has(i.id));
      const parties = [...new Set(fresh.map((i) => i.partyId))];
      if (parties.length === 1 && parties[0] && partyName(m, parties[0])) {
        announce(t('announce.turn', { party: partyName(m, parties[0]), n: fresh.length }));
      } else if (fresh.length > 0) announce(t('announce.revealed', { n: fresh.length }));
    }
    revealed = new Set(now.map((i) => i.id));
  });

  let top = '';
  $effect(() => {
    const m = conn.state.meeting;
    if (!m) return;
    const ids = m.agreement.confirmed ? m.agreement.worryIds : opts.ranking ? m.ranking.top3 : [];
    const key = ids.join(',');
    if (top && key && key !== top) {
      const prefix = m.agreement.confirmed ? t('announce.agreed') : t('announce.newTop3');
      announce(`${prefix}: ${formatList(worryTexts(m, ids))}`);
    }
    top = key || top;
  });

  let phase = '';
  $effect(() => {
    const p = conn.state.meeting?.phase;
    if (!p) return;
    if (phase === 'rank' && p === 'agree') announce(t('announce.rankingClosed'));
    else if (phase && p !== phase) announce(t('announce.phase', { phase: t(`phase.${p}`) }));
    phase = p;
  });
}
