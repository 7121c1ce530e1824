import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connection, backoffMs } from './connection.svelte';
import type { StorageLike } from './outbox';

class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  constructor(public url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }
  open() {
    this.readyState = 1;
    this.onopen?.({} as Event);
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
}

function memoryStorage(): StorageLike {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

function connect(storage = memoryStorage()) {
  const c = new Connection({
    meetingId: 'm1',
    token: 'tk_1',
    url: 'ws://test/api/meetings/m1/ws',
    storage,
    makeSocket: (u) => new FakeSocket(u),
  });
  c.start();
  return c;
}

function last(): FakeSocket {
  const s = FakeSocket.all.at(-1);
  if (!s) throw new Error('no socket');
  return s;
}

afterEach(() => {
  FakeSocket.all = [];
  vi.useRealTimers();
});

describe('Connection', () => {
  it('says hello with its token and the last seq it saw', () => {
    vi.useFakeTimers();
    const c = connect();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'hello', token: 'tk_1', lastSeq: 0 });
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 4 });
    last().receive({ type: 'event', seq: 7, name: 'unknown.event', data: {} });
    expect(c.status).toBe('online');
    last().close(1006);
    expect(c.status).toBe('connecting');
    vi.advanceTimersByTime(1000);
    last().open();
    expect(last().sent[0]).toEqual({ type: 'hello', token: 'tk_1', lastSeq: 7 });
    c.stop();
  });

  it('says hello as a participant without a token when the cookie carries it', () => {
    const c = new Connection({ meetingId: 'm1', view: 'participant', url: 'ws://test/api/meetings/m1/ws', makeSocket: (u) => new FakeSocket(u) });
    c.start();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'hello', view: 'participant', lastSeq: 0 });
    last().close(4001, 'unauthorized');
    expect(c.status).toBe('denied');
    c.stop();
  });

  it('resends an unanswered command after reconnecting, with the same id, and drops it on ack', () => {
    vi.useFakeTimers();
    const c = connect();
    last().open();
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 4 });
    const id = c.send('worry.add', { text: 'Te weinig geld' });
    expect(last().sent[1]).toMatchObject({ type: 'command', id, name: 'worry.add' });
    last().close(1006);
    expect(c.pending.map((p) => p.id)).toEqual([id]);
    vi.advanceTimersByTime(1000);
    last().open();
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 5 });
    expect(last().sent[1]).toMatchObject({ type: 'command', id, name: 'worry.add' });
    last().receive({ type: 'ack', id, seq: 5, duplicate: true });
    expect(c.pending).toEqual([]);
    c.stop();
  });

  it('keeps commands made while offline across a reload', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const c = connect(storage);
    const id = c.send('ranking.set', { worryIds: ['w1'] }, { supersede: true });
    expect(last().sent).toEqual([]);
    c.stop();
    const again = connect(storage);
    last().open();
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 1 });
    expect(last().sent[1]).toMatchObject({ id, name: 'ranking.set' });
    again.stop();
  });

  it('keeps a command answered internal and resends it, same id, after reconnecting', () => {
    vi.useFakeTimers();
    const c = connect();
    last().open();
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 1 });
    const id = c.send('worry.add', { text: 'Te weinig geld' });
    last().receive({ type: 'error', id, code: 'internal', message: '' });
    expect(c.pending.map((p) => p.id)).toEqual([id]);
    expect(c.errors).toEqual([]);
    expect(c.status).toBe('connecting');
    vi.advanceTimersByTime(1000);
    last().open();
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 1 });
    expect(last().sent[1]).toMatchObject({ type: 'command', id, name: 'worry.add' });
    c.stop();
  });

  it('retries after close 1011 (hello not answered now) and 4008 (too slow)', () => {
    vi.useFakeTimers();
    const c = connect();
    for (const code of [1011, 4008]) {
      last().open();
      last().close(code, code === 1011 ? 'internal' : 'too slow');
      expect(c.status).toBe('connecting');
      vi.advanceTimersByTime(20000);
    }
    expect(FakeSocket.all).toHaveLength(3);
    c.stop();
  });

  it('drops a refused command and shows the error', () => {
    vi.useFakeTimers();
    const c = connect();
    last().open();
    last().receive({ type: 'welcome', role: 'participant', participantId: 'p9', seq: 1 });
    const id = c.send('worry.add', { text: '' });
    last().receive({ type: 'error', id, code: 'invalid_input', message: 'Vul een tekst in.' });
    expect(c.pending).toEqual([]);
    expect(c.errors).toEqual([{ id, name: 'worry.add', code: 'invalid_input', message: 'Vul een tekst in.' }]);
    c.stop();
  });

  it('stops reconnecting when the participant was removed', () => {
    vi.useFakeTimers();
    const c = connect();
    last().open();
    last().close(4003);
    expect(c.status).toBe('removed');
    vi.advanceTimersByTime(60000);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('stops when the server refuses the hello, but retries after an internal fault', () => {
    vi.useFakeTimers();
    const c = connect();
    last().open();
    last().receive({ type: 'error', code: 'internal', message: 'Er ging iets mis.' });
    last().close(4001, 'internal');
    expect(c.status).toBe('connecting');
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    last().open();
    last().close(4001, 'forbidden');
    expect(c.status).toBe('denied');
    vi.advanceTimersByTime(60000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('backs off from half a second to at most 15 seconds', () => {
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(10, () => 1)).toBe(15000);
    expect(backoffMs(10, () => 0)).toBe(7500);
  });
});
