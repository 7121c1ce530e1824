import { afterEach, describe, expect, it, vi } from 'vitest';
import { claimParticipantSession, takeLinkToken } from './join';

function fakeHistory() {
  const urls: string[] = [];
  return { urls, state: null, replaceState: (_d: unknown, _u: string, url: string) => void urls.push(url) };
}

describe('takeLinkToken', () => {
  it('takes ?t= and removes only it from the address', () => {
    const h = fakeHistory();
    expect(takeLinkToken({ pathname: '/m/m1', search: '?t=tk_1&lang=en', hash: '' }, h)).toBe('tk_1');
    expect(h.urls).toEqual(['/m/m1?lang=en']);
  });
  it('takes #t= and leaves no empty hash', () => {
    const h = fakeHistory();
    expect(takeLinkToken({ pathname: '/m/m1', search: '', hash: '#t=tk_2' }, h)).toBe('tk_2');
    expect(h.urls).toEqual(['/m/m1']);
  });
  it('leaves an address without a token alone', () => {
    const h = fakeHistory();
    expect(takeLinkToken({ pathname: '/m/m1', search: '?x=1', hash: '' }, h)).toBe('');
    expect(h.urls).toEqual([]);
  });
});

function memory(init: Record<string, string>) {
  const data = new Map(Object.entries(init));
  return { data, getItem: (k: string) => data.get(k) ?? null, removeItem: (k: string) => void data.delete(k) };
}

describe('claimParticipantSession', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('moves a stored token into the cookie once and deletes it', async () => {
    const calls: { url: string; body: string }[] = [];
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ url, body: String(init.body) });
      return new Response('{"meetingId":"m1","participantId":"p1"}', { status: 200 });
    });
    const store = memory({ 'tafel.token.m1': 'tk_old', 'tafel.token.m2': 'tk_other' });
    await claimParticipantSession('m1', store);
    expect(calls).toEqual([{ url: '/api/meetings/m1/participant-session', body: '{"token":"tk_old"}' }]);
    expect(store.data.has('tafel.token.m1')).toBe(false);
    expect(store.data.get('tafel.token.m2')).toBe('tk_other');
    await claimParticipantSession('m1', store);
    expect(calls).toHaveLength(1);
  });

  it('deletes a stored token the server refuses, and keeps it while offline', async () => {
    vi.stubGlobal('fetch', async () => new Response('{"code":"not_found","message":""}', { status: 404 }));
    const refused = memory({ 'tafel.token.m1': 'tk_removed' });
    await claimParticipantSession('m1', refused);
    expect(refused.data.size).toBe(0);

    vi.stubGlobal('fetch', async () => {
      throw new TypeError('offline');
    });
    const offline = memory({ 'tafel.token.m1': 'tk_later' });
    await claimParticipantSession('m1', offline);
    expect(offline.data.get('tafel.token.m1')).toBe('tk_later');
  });
});
