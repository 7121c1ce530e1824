import { describe, expect, it } from 'vitest';
import { placeOf, placeWorry, toggleWorry } from './rank';

describe('placeWorry', () => {
  it('puts the first tapped worry at place 1', () => {
    expect(placeWorry([], 'w1', 1)).toEqual(['w1']);
  });
  it('closes gaps: place 3 on a list of one becomes place 2', () => {
    expect(placeWorry(['w1'], 'w2', 3)).toEqual(['w1', 'w2']);
  });
  it('moves others down when a place is taken', () => {
    expect(placeWorry(['w1', 'w2', 'w3'], 'w4', 1)).toEqual(['w4', 'w1', 'w2']);
  });
  it('moves a ranked worry to its new place', () => {
    expect(placeWorry(['w1', 'w2', 'w3'], 'w3', 1)).toEqual(['w3', 'w1', 'w2']);
  });
  it('takes a worry out when its own place is tapped again', () => {
    expect(placeWorry(['w1', 'w2', 'w3'], 'w2', 2)).toEqual(['w1', 'w3']);
  });
  it('never holds more than three', () => {
    let r: string[] = [];
    for (const id of ['a', 'b', 'c', 'd', 'e']) r = placeWorry(r, id, 1);
    expect(r).toEqual(['e', 'd', 'c']);
  });
});

describe('toggleWorry', () => {
  it('gives the next free place, then takes it out again', () => {
    let r = toggleWorry([], 'w1');
    r = toggleWorry(r, 'w2');
    expect(r).toEqual(['w1', 'w2']);
    expect(placeOf(r, 'w2')).toBe(2);
    r = toggleWorry(r, 'w1');
    expect(r).toEqual(['w2']);
    expect(placeOf(r, 'w1')).toBe(0);
  });
  it('ignores a fourth worry', () => {
    expect(toggleWorry(['a', 'b', 'c'], 'd')).toEqual(['a', 'b', 'c']);
  });
});
