// RFM scoring: quintiles with ties, both segment schemes on hand-worked examples, windows.
import { describe, expect, it } from 'vitest';
import { classicSegment, cn8Segment, quintileScores, rfmColumns, scoreAt, scoreRfm, segmentMembers, summarize } from '../../src/core/rfm.js';
import { dayBack, parseDayLength } from '../../src/core/duration.js';

describe('quintileScores', () => {
  it('scores ten distinct values two to a quintile, better values higher', () => {
    expect([...quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'higher')]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    // Recency: fewer days is better.
    expect([...quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'lower')]).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
  });

  it('gives equal values equal scores, from the middle of their run', () => {
    // Six of ten customers with one order: mid-rank 0.3 -> 2; two orders (0.65) -> 4; three (0.8, 0.9) -> 5.
    expect([...quintileScores([1, 1, 1, 1, 1, 1, 2, 2, 3, 4], 'higher')]).toEqual([2, 2, 2, 2, 2, 2, 4, 4, 5, 5]);
    expect([...quintileScores([7, 7, 7], 'higher')]).toEqual([3, 3, 3]);
    expect([...quintileScores([], 'higher')]).toEqual([]);
    expect([...quintileScores([42], 'lower')]).toEqual([3]);
  });
});

describe('segments', () => {
  it('classic: the grid of recency against the mean of frequency and monetary', () => {
    expect(classicSegment(5, 5, 5)).toBe('champions');
    expect(classicSegment(5, 1, 1)).toBe('new');
    expect(classicSegment(4, 4, 3)).toBe('loyal'); // fm = round(3.5) = 4
    expect(classicSegment(1, 5, 5)).toBe('cantLose');
    expect(classicSegment(2, 3, 3)).toBe('atRisk');
    expect(classicSegment(1, 1, 1)).toBe('lost');
    expect(classicSegment(3, 2, 2)).toBe('needAttention');
    expect(classicSegment(2, 1, 2)).toBe('aboutToSleep'); // fm = round(1.5) = 2
  });

  it('cn8: each of R, F, M high or low against the mean', () => {
    const mean = { recency: 60, frequency: 3, monetary: 50_000 };
    expect(cn8Segment({ id: 1, recency: 10, frequency: 5, monetary: 90_000 }, mean)).toBe('importantValue');
    expect(cn8Segment({ id: 1, recency: 10, frequency: 1, monetary: 90_000 }, mean)).toBe('importantDevelopment');
    expect(cn8Segment({ id: 1, recency: 200, frequency: 5, monetary: 90_000 }, mean)).toBe('importantRetention');
    expect(cn8Segment({ id: 1, recency: 200, frequency: 1, monetary: 90_000 }, mean)).toBe('importantWinBack');
    expect(cn8Segment({ id: 1, recency: 60, frequency: 3, monetary: 100 }, mean)).toBe('generalValue'); // at the mean counts as high
    expect(cn8Segment({ id: 1, recency: 200, frequency: 0, monetary: 0 }, mean)).toBe('generalWinBack');
  });

  it('scores a small shop by hand and summarizes it per segment', () => {
    const shop = [
      { id: 1, recency: 3, frequency: 12, monetary: 120_000 },
      { id: 2, recency: 10, frequency: 6, monetary: 60_000 },
      { id: 3, recency: 40, frequency: 2, monetary: 9_000 },
      { id: 4, recency: 200, frequency: 1, monetary: 3_000 },
      { id: 5, recency: 400, frequency: 0, monetary: 0 },
    ];
    const scores = scoreRfm(rfmColumns(shop), 'classic');
    const scored = shop.map((_, i) => scoreAt(scores, i));
    expect(scored.map((c) => [c.r, c.f, c.m, c.segment])).toEqual([
      [5, 5, 5, 'champions'],
      [4, 4, 4, 'loyal'],
      [3, 3, 3, 'needAttention'],
      [2, 2, 2, 'aboutToSleep'],
      [1, 1, 1, 'lost'],
    ]);
    const cn8 = scoreRfm(rfmColumns(shop), 'cn8'); // means: recency 130.6, frequency 4.2, monetary 38,400
    expect(shop.map((_, i) => scoreAt(cn8, i).segment)).toEqual(['importantValue', 'importantValue', 'generalDevelopment', 'generalWinBack', 'generalWinBack']);
    const summary = summarize(cn8);
    // One segment's customers, biggest spenders first; prospects as given.
    expect(segmentMembers(cn8, [9], 'importantValue').map((c) => c.id)).toEqual([1, 2]);
    expect(segmentMembers(cn8, [9], 'prospect').map((c) => [c.id, c.segment])).toEqual([[9, 'prospect']]);
    expect(summary.map((s) => [s.segment, s.customers])).toEqual([
      ['importantValue', 2],
      ['generalDevelopment', 1],
      ['generalWinBack', 2],
    ]);
    expect(summary[0]!.revenueShare).toBeCloseTo(180_000 / 192_000, 6);
    expect(summary[0]!.avgFrequency).toBe(9);
  });
});

describe('windows and empty shops', () => {
  it('counts the window back from the as-of day: orders after its first day, up to the as-of day', () => {
    const start = (asOf: string, window: string) => dayBack(asOf, parseDayLength(window, '--window'));
    expect(start('2026-11-22', '365d')).toBe('2025-11-22');
    expect(start('2024-03-01', '1d')).toBe('2024-02-29');
    expect(start('2026-01-01', '30d')).toBe('2025-12-02');
    expect(start('2026-03-31', '1mo')).toBe('2026-02-28');
  });

  it('scores a shop with no customers to nothing, and customers with nothing in the window lowest', () => {
    const none = scoreRfm(rfmColumns([]), 'classic');
    expect(none.ids.length).toBe(0);
    expect(summarize(none)).toEqual([]);
    // Two customers whose orders are all before the window: F and M 0 for both, so equal scores (3, the middle).
    const quiet = scoreRfm(rfmColumns([{ id: 1, recency: 500, frequency: 0, monetary: 0 }, { id: 2, recency: 400, frequency: 0, monetary: 0 }]), 'classic');
    expect([0, 1].map((i) => scoreAt(quiet, i)).map((c) => [c.r, c.f, c.m])).toEqual([
      [2, 3, 3],
      [4, 3, 3],
    ]);
    expect(summarize(quiet).reduce((s, x) => s + x.revenueShare, 0)).toBe(0);
  });
});
