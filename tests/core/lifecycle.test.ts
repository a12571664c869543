// Lifecycle stages, the usual interval and the next purchase, and the periods crm stats compares.
import { describe, expect, it } from 'vitest';
import { dayNumber, dayString, DEFAULT_STAGE_RULES, eachHistory, median, nextPurchaseDay, packHistories, parseStage, purchaseDays, purchaseFacts, STAGES, stageOf, stageTable } from '../../src/core/lifecycle.js';
import { change, churnRate, comparedSpans, periodStart, rate, stageCounts } from '../../src/core/stats.js';

const rules = DEFAULT_STAGE_RULES; // new 90 days, churned after 365, at risk past 2 × interval, won back for 90 days
const AS_OF = dayNumber('2026-11-22');
const facts = (...days: string[]) => purchaseFacts(purchaseDays(days), rules.churnDays);
const stage = (days: string[], shopInterval = NaN) => stageOf(days.length ? facts(...days) : null, AS_OF, rules, shopInterval);

describe('the usual interval and the next purchase', () => {
  it('is the median of the recent gaps between distinct purchase days', () => {
    // Rice every 30 days; one order twice on a day counts once.
    const f = facts('2026-08-01', '2026-08-31', '2026-08-31', '2026-09-30', '2026-10-30');
    expect(f.interval).toBe(30);
    expect(dayString(nextPurchaseDay(f)!)).toBe('2026-11-29');
    // One long pause does not move the median: gaps 10, 10, 200, 10 -> 10.
    expect(facts('2025-01-01', '2025-01-11', '2025-01-21', '2025-08-09', '2025-08-19').interval).toBe(10);
    // Only the last six gaps count: an old habit of 100 days gives way to a new one of 7.
    const old = ['2023-01-01', '2023-04-11', '2023-07-20', '2023-10-28'];
    const recent = ['2024-02-05', '2024-02-12', '2024-02-19', '2024-02-26', '2024-03-04', '2024-03-11', '2024-03-18'];
    expect(facts(...old, ...recent).interval).toBe(7);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is unknown with one purchase day', () => {
    const f = facts('2026-11-01', '2026-11-01');
    expect(Number.isNaN(f.interval)).toBe(true);
    expect(nextPurchaseDay(f)).toBeNull();
  });
});

describe('stages', () => {
  it('prospect without orders; new while the first order is recent', () => {
    expect(stage([])).toBe('prospect');
    expect(stage(['2026-10-01'])).toBe('new'); // 52 days
    expect(stage(['2026-08-24', '2026-11-01'])).toBe('new'); // exactly 90 days since the first
    expect(stage(['2026-08-23', '2026-11-01'])).toBe('active'); // 91 days
  });

  it('churned after more than churnDays without an order, even if they were new', () => {
    expect(stage(['2025-11-22'])).toBe('active'); // 365 days: not churned yet (and no interval to be overdue against)
    expect(stage(['2025-11-22'], 30)).toBe('atRisk');
    expect(stage(['2025-11-21'])).toBe('churned'); // 366 days
  });

  it('at risk when overdue against their own usual interval', () => {
    // Every 30 days, last 2026-10-10: 43 days since, under 2 × 30 -> active; last 2026-09-20 (63 days) -> at risk.
    expect(stage(['2026-06-12', '2026-07-12', '2026-08-11', '2026-09-10', '2026-10-10'])).toBe('active');
    expect(stage(['2026-05-23', '2026-06-22', '2026-07-22', '2026-08-21', '2026-09-20'])).toBe('atRisk');
    // A weekly buyer is at risk after two weeks, where a monthly one is not.
    expect(stage(['2026-06-01', '2026-10-25', '2026-11-01', '2026-11-07'])).toBe('atRisk'); // gaps 146, 7, 6 -> 7; 15 days since
  });

  it('a one-time buyer is measured against the shop usual interval', () => {
    expect(stage(['2026-06-01'], 60)).toBe('atRisk'); // 174 days > 120
    expect(stage(['2026-06-01'], 100)).toBe('active');
    expect(stage(['2026-06-01'])).toBe('active'); // no interval anywhere: cannot be overdue
  });

  it('won back: ordered again after a churn-length gap, for wonBackDays', () => {
    expect(stage(['2024-01-10', '2025-06-01', '2026-10-01'])).toBe('wonBack'); // gap 487 days, back 52 days ago
    // Back 113 days ago: won back no longer. Gaps 508 and 426 (median 467): 113 days is not overdue.
    expect(stage(['2024-01-10', '2025-06-01', '2026-08-01'])).toBe('active');
  });
});

describe('the stage table', () => {
  it('classifies every customer on several days in one pass; unvisited customers are prospects', () => {
    const histories = packHistories([
      [2, purchaseDays(['2026-01-05', '2026-02-04', '2026-03-06', '2026-11-20'])],
      [3, purchaseDays(['2026-11-01'])],
      [5, purchaseDays(['2024-03-01'])],
    ]);
    const t = stageTable(Int32Array.from([1, 2, 3, 4, 5]), [histories], [AS_OF, dayNumber('2026-10-01')], rules);
    const names = (j: number) => [...t.stages[j]!].map((s) => STAGES[s]);
    expect(names(0)).toEqual(['prospect', 'active', 'new', 'prospect', 'churned']);
    // On 2026-10-01 customer 2's last order was 2026-03-06 (209 days; interval 30): at risk; customer 3 had not ordered.
    expect(names(1)).toEqual(['prospect', 'atRisk', 'prospect', 'prospect', 'churned']);
  });

  it('reads histories in two parts (two threads read two halves) as it reads them in one', () => {
    const days = (...ds: string[]) => purchaseDays(ds);
    const all: [number, number[]][] = [
      [2, days('2026-01-05', '2026-02-04', '2026-03-06', '2026-11-20')],
      [3, days('2026-11-01')],
      [4, days('2025-01-01', '2025-03-01', '2026-06-01')],
      [5, days('2024-03-01')],
    ];
    const ids = Int32Array.from([1, 2, 3, 4, 5]);
    const asOfs = [AS_OF, dayNumber('2026-10-01')];
    const whole = stageTable(ids, [packHistories(all)], asOfs, rules);
    expect(stageTable(ids, [packHistories(all.slice(0, 2)), packHistories(all.slice(2))], asOfs, rules)).toEqual(whole);
    const seen: number[] = [];
    eachHistory([packHistories(all.slice(0, 1)), packHistories(all.slice(1))], (id, ds) => seen.push(id, ds.length));
    expect(seen).toEqual([2, 4, 3, 1, 4, 3, 5, 1]);
  });

  it('reads a stage as typed, in either language', () => {
    const names = (s: string) => ({ atRisk: ['At risk', '有流失风险'], wonBack: ['Won back', '已挽回'] })[s] ?? [s];
    expect(parseStage('at-risk', names)).toBe('atRisk');
    expect(parseStage('At Risk', names)).toBe('atRisk');
    expect(parseStage('已挽回', names)).toBe('wonBack');
    expect(parseStage('sleeping', names)).toBeNull();
  });
});

describe('stats periods', () => {
  it('compares this period so far with the same stretch of the one before', () => {
    expect(periodStart('2026-11-22', 'month')).toBe('2026-11-01');
    expect(periodStart('2026-11-22', 'quarter')).toBe('2026-10-01');
    expect(periodStart('2026-11-22', 'year')).toBe('2026-01-01');
    expect(comparedSpans('2026-11-22', 'month')).toEqual({ current: { start: '2026-11-01', end: '2026-11-22' }, previous: { start: '2026-10-01', end: '2026-10-22' } });
    expect(comparedSpans('2026-03-30', 'month').previous).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(comparedSpans('2026-11-22', 'quarter').previous).toEqual({ start: '2026-07-01', end: '2026-08-22' });
    expect(comparedSpans('2026-11-22', 'year').previous).toEqual({ start: '2025-01-01', end: '2025-11-22' });
  });

  it('compares whole periods when the as-of day ends one', () => {
    expect(comparedSpans('2026-02-28', 'month').previous).toEqual({ start: '2026-01-01', end: '2026-01-31' });
    expect(comparedSpans('2026-06-30', 'quarter').previous).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(comparedSpans('2026-12-31', 'year').previous).toEqual({ start: '2025-01-01', end: '2025-12-31' });
  });

  it('works out rates and changes, and says nothing when there is nothing to compare', () => {
    expect(rate(1, 4)).toBe(0.25);
    expect(rate(0, 0)).toBeNull();
    expect(change(120, 100, 'count')).toBeCloseTo(0.2);
    expect(change(5, 0, 'count')).toBeNull();
    expect(change(0.3, 0.25, 'rate')).toBeCloseTo(0.05);
    expect(change(null, 0.25, 'rate')).toBeNull();
  });

  it('counts customers per stage, prospects only among those known then, and churn over a span', () => {
    const code = (...names: (typeof STAGES)[number][]) => Uint8Array.from(names, (n) => STAGES.indexOf(n));
    // Five customers now; the last was added after the day counted (known: 4), so one prospect, not two.
    expect(stageCounts(code('prospect', 'new', 'active', 'churned', 'prospect'), 4)).toEqual([1, 1, 1, 0, 1, 0]);
    // Before: active, at risk, churned, prospect, new. After: churned, active, churned, new, churned.
    // Base: the three with orders not churned (active, at risk, new); two of them churned: 2/3.
    expect(churnRate(code('active', 'atRisk', 'churned', 'prospect', 'new'), code('churned', 'active', 'churned', 'new', 'churned'))).toBeCloseTo(2 / 3, 12);
    expect(churnRate(code('prospect', 'churned'), code('new', 'churned'))).toBeNull();
  });
});
