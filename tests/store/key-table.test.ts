// The in-memory key table a bulk import uses while its look-up indexes wait.
import { describe, expect, it } from 'vitest';
import { KeyTable } from '../../src/store/key-table.js';

describe('KeyTable', () => {
  it('finds every id noted for a key, ascending, and nothing for a key never noted', () => {
    const t = new KeyTable(4);
    t.add('p+8613800138000', 7);
    t.add('p+8613800138000', 3);
    t.add('p+8613800138000', 7); // again: one entry
    t.add('ezw@example.com', 3);
    expect(t.candidates('p+8613800138000')).toEqual([3, 7]);
    expect(t.candidates('ezw@example.com')).toEqual([3]);
    expect(t.candidates('p+8613800138001')).toEqual([]);
  });

  it('keeps every key as it grows far beyond its first size', () => {
    const t = new KeyTable(8);
    for (let i = 1; i <= 50_000; i++) t.add(`x${i}`, i);
    for (const i of [1, 2, 777, 25_000, 50_000]) expect(t.candidates(`x${i}`)).toContain(i);
    // A candidate can be another key's (two hashes collide), never a missing one.
    let extra = 0;
    for (let i = 1; i <= 50_000; i++) extra += t.candidates(`x${i}`).length - 1;
    expect(extra).toBeLessThan(5);
  });

  it('takes ids beyond 32 bits (a file may bring its own)', () => {
    const t = new KeyTable();
    t.add('a', 5);
    t.add('b', 123_456_789_012_345);
    expect(t.candidates('a')).toEqual([5]);
    expect(t.candidates('b')).toEqual([123_456_789_012_345]);
  });
});
