// Announces what a screen reader user must know without looking: the
// connection dropping or coming back, items revealed, a new top 3.
import { t, formatList } from '../i18n/i18n.svelte';
import type { Connection } from '../realtime/connection.svelte';
import { worryTexts } from '../realtime/select';
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

  let revealed = -1;
  $effect(() => {
    const m = conn.state.meeting;
    if (!m) return;
    const n = m.items.filter((i) => i.revealed).length;
    if (revealed >= 0 && n > revealed) announce(t('announce.revealed', { n: n - revealed }));
    revealed = n;
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
    if (phase && p !== phase) announce(t('announce.phase', { phase: t(`phase.${p}`) }));
    phase = p;
  });
}
