import { describe, expect, it } from 'vitest';
import { GenerationalMap } from '../../src/core/generational-map.js';

describe('GenerationalMap', () => {
  it('keeps at most its limit, dropping the least recently used half and saying which', () => {
    const dropped: number[] = [];
    const map = new GenerationalMap<number, string>(10, (gone) => dropped.push(...gone.keys()));
    for (let i = 0; i < 10; i++) map.set(i, `v${i}`);
    map.get(0);
    for (let i = 10; i < 16; i++) map.set(i, `v${i}`);
    expect(map.size).toBeLessThanOrEqual(10);
    expect(map.get(0)).toBe('v0');
    expect(dropped).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(map.get(1)).toBeUndefined();
  });

  it('stays fast with a million distinct keys through a small map', () => {
    const map = new GenerationalMap<number, number>(1000);
    for (let i = 0; i < 1_000_000; i++) map.set(i, i);
    expect(map.size).toBeLessThanOrEqual(1000);
    expect(map.get(999_999)).toBe(999_999);
  });
});
