import { describe, expect, it } from 'vitest';
import { placeOf, placeWorry, rankedCount, toggleWorry } from './rank';

describe('placeWorry', () => {
  it('puts the first tapped worry at place 1', () => {
    expect(placeWorry([], 'w1', 1)).toEqual(['w1']);
  });
  it('keeps the number tapped: 3 first leaves 1 and 2 open', () => {
    const r = placeWorry([], 'w3', 3);
    expect(r).toEqual(['', '', 'w3']);
    expect(placeOf(r, 'w3')).toBe(3);
    expect(rankedCount(r)).toBe(1);
  });
  it('both tap orders end the same: 3 then 1 then 2, and 1 then 2 then 3', () => {
    let a = placeWorry([], 'w3', 3);
    expect(placeOf(a, 'w3')).toBe(3);
    a = placeWorry(a, 'w1', 1);
    expect([placeOf(a, 'w1'), placeOf(a, 'w3')]).toEqual([1, 3]);
    a = placeWorry(a, 'w2', 2);
    let b = placeWorry([], 'w1', 1);
    b = placeWorry(b, 'w2', 2);
    b = placeWorry(b, 'w3', 3);
    expect(a).toEqual(['w1', 'w2', 'w3']);
    expect(b).toEqual(a);
  });
  it('tapping 1 elsewhere does not push the others down: that worry takes place 1 only', () => {
    expect(placeWorry(['w1', 'w2', 'w3'], 'w4', 1)).toEqual(['w4', 'w2', 'w3']);
  });
  it('moves a ranked worry to its new place and leaves its old place open', () => {
    expect(placeWorry(['w1', 'w2', 'w3'], 'w3', 1)).toEqual(['w3', 'w2']);
  });
  it('takes a worry out when its own place is tapped again', () => {
    expect(placeWorry(['w1', 'w2', 'w3'], 'w2', 2)).toEqual(['w1', '', 'w3']);
    expect(placeWorry(['w1', 'w2'], 'w2', 2)).toEqual(['w1']);
  });
  it('never holds more than three', () => {
    let r: string[] = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) r = placeWorry(r, id, 1);
    expect(r).toEqual(['e']);
    expect(placeWorry(r, 'x', 4)).toEqual(['e']);
  });
});

describe('toggleWorry', () => {
  it('gives the first open place, then takes it out again', () => {
    let r = toggleWorry([], 'w1');
    r = toggleWorry(r, 'w2');
    expect(r).toEqual(['w1', 'w2']);
    expect(placeOf(r, 'w2')).toBe(2);
    r = toggleWorry(r, 'w1');
    expect(r).toEqual(['', 'w2']);
    expect(placeOf(r, 'w1')).toBe(0);
  });
  it('ignores a fourth worry', () => {
    expect(toggleWorry(['a', 'b', 'c'], 'd')).toEqual(['a', 'b', 'c']);
  });
});
