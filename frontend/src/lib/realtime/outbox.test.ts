import { describe, expect, it } from 'vitest';
import { Outbox, newCommandId, type StorageLike } from './outbox';

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe('Outbox', () => {
  it('persists commands and gives them back after a reload with the same ids', () => {
    const storage = memoryStorage();
    const first = new Outbox(storage, 'k');
    const a = first.add('worry.add', { text: 'Te weinig geld' });
    const b = first.add('ranking.set', { worryIds: ['w1'] });
    const reloaded = new Outbox(storage, 'k');
    expect(reloaded.pending().map((c) => c.id)).toEqual([a.id, b.id]);
    expect(reloaded.pending()[0]).toEqual(a);
  });

  it('drops a command on ack and clears storage when empty', () => {
    const storage = memoryStorage();
    const box = new Outbox(storage, 'k');
    const a = box.add('worry.add', { text: 'x' });
    expect(box.ack(a.id)).toEqual(a);
    expect(box.pending()).toEqual([]);
    expect(storage.data.has('k')).toBe(false);
    expect(new Outbox(storage, 'k').pending()).toEqual([]);
  });

  it('drops a command on error and returns it, so the caller can show it', () => {
    const box = new Outbox(memoryStorage(), 'k');
    const a = box.add('worry.add', { text: '' });
    const failed = box.fail(a.id);
    expect(failed?.name).toBe('worry.add');
    expect(box.pending()).toEqual([]);
  });

  it('ignores an ack for an unknown id (a duplicate ack)', () => {
    const box = new Outbox(memoryStorage(), 'k');
    box.add('worry.add', { text: 'x' });
    expect(box.ack('c-unknown')).toBeUndefined();
    expect(box.pending()).toHaveLength(1);
  });

  it('supersede keeps only the newest ranking', () => {
    const box = new Outbox(memoryStorage(), 'k');
    box.add('worry.add', { text: 'x' });
    box.add('ranking.set', { worryIds: ['w1'] }, { supersede: true });
    const last = box.add('ranking.set', { worryIds: ['w2', 'w1'] }, { supersede: true });
    expect(box.pending().map((c) => c.name)).toEqual(['worry.add', 'ranking.set']);
    expect(box.pending()[1]?.id).toBe(last.id);
  });

  it('survives broken storage content', () => {
    const storage = memoryStorage();
    storage.setItem('k', '{not json');
    expect(new Outbox(storage, 'k').pending()).toEqual([]);
  });

  it('makes ids the protocol accepts', () => {
    const id = newCommandId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(newCommandId()).not.toBe(id);
  });
});
