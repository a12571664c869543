// Lifecycle stages and the expected next purchase, from each customer's own purchase days.
// Stages, first rule that holds:
//   prospect  no order yet
//   churned   no order for more than churnDays
//   new       first order at most newDays ago
//   won back  ordered again at most wonBackDays ago after a gap of more than churnDays
//   at risk   overdue: more days since the last order than atRiskFactor × their usual interval
//             (a customer with one purchase day has no interval of their own: the shop's is used)
//   active    the rest
// The usual interval is the median of the last (up to) six gaps between purchase days: recent habits
// count, and one long pause does not move it. Pure: days are day numbers (days since 1970-01-01).

export const STAGES = ['prospect', 'new', 'active', 'atRisk', 'churned', 'wonBack'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageRules {
  newDays: number;
  churnDays: number;
  atRiskFactor: number;
  wonBackDays: number;
}

export const DEFAULT_STAGE_RULES: StageRules = { newDays: 90, churnDays: 365, atRiskFactor: 2, wonBackDays: 90 };

/** How many recent gaps between purchase days the usual interval is the median of. */
export const RECENT_GAPS = 6;

/** A day as a number (days since 1970-01-01), and back. */
export function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

export function dayString(n: number): string {
  return new Date(n * 86_400_000).toISOString().slice(0, 10);
}

/** What the stage rules need to know of one customer's purchase days. */
export interface PurchaseFacts {
  first: number;
  last: number;
  /** Median of the recent gaps, in days; NaN with one purchase day. */
  interval: number;
  /** The latest purchase day that came after a gap of more than churnDays; NaN if none. */
  lastReturn: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const GAPS = new Float64Array(RECENT_GAPS);

/** Facts of a customer's distinct purchase days, ascending (at least one). */
export function purchaseFacts(days: ArrayLike<number>, churnDays: number): PurchaseFacts {
  const n = days.length;
  // The median of the recent gaps, sorted as they come into a scratch array (a million customers
  // on four days: allocating and sorting arrays was most of the time).
  let k = 0;
  for (let i = Math.max(1, n - RECENT_GAPS); i < n; i++) {
    const gap = days[i]! - days[i - 1]!;
    let j = k++;
    for (; j > 0 && GAPS[j - 1]! > gap; j--) GAPS[j] = GAPS[j - 1]!;
    GAPS[j] = gap;
  }
  const interval = k === 0 ? NaN : k % 2 ? GAPS[k >> 1]! : (GAPS[k / 2 - 1]! + GAPS[k / 2]!) / 2;
  let lastReturn = NaN;
  for (let i = n - 1; i > 0; i--) {
    if (days[i]! - days[i - 1]! > churnDays) {
      lastReturn = days[i]!;
      break;
    }
  }
  return { first: days[0]!, last: days[n - 1]!, interval, lastReturn };
}

/** The stage on day `asOf` of a customer with these facts (null facts: no order yet). */
export function stageOf(facts: PurchaseFacts | null, asOf: number, rules: StageRules, shopInterval: number): Stage {
  if (!facts) return 'prospect';
  const since = asOf - facts.last;
  if (since > rules.churnDays) return 'churned';
  if (asOf - facts.first <= rules.newDays) return 'new';
  if (asOf - facts.lastReturn <= rules.wonBackDays) return 'wonBack';
  const interval = Number.isNaN(facts.interval) ? shopInterval : facts.interval;
  if (!Number.isNaN(interval) && since > rules.atRiskFactor * interval) return 'atRisk';
  return 'active';
}

/**
 * The day the next purchase is expected: the last purchase day plus the usual interval, rounded;
 * null with only one purchase day (no interval of their own to go by).
 */
export function nextPurchaseDay(facts: PurchaseFacts): number | null {
  return Number.isNaN(facts.interval) ? null : facts.last + Math.round(facts.interval);
}

/** Distinct purchase days (YYYY-MM-DD, any order) as ascending day numbers. */
export function purchaseDays(days: Iterable<string>): number[] {
  return [...new Set(days)].sort().map(dayNumber);
}

/**
 * Customers' distinct purchase days, ascending, packed: customer i (ids ascending) has the days
 * days[starts[i]] to days[starts[i + 1] - 1], as day numbers.
 */
export interface PurchaseHistories {
  ids: Int32Array;
  /** ids.length + 1 offsets into days. */
  starts: Int32Array;
  days: Int32Array;
}

/** Histories from (id, ascending days) pairs in id order. */
export function packHistories(entries: Iterable<readonly [number, ArrayLike<number>]>): PurchaseHistories {
  const ids: number[] = [];
  const starts = [0];
  const days: number[] = [];
  for (const [id, ds] of entries) {
    ids.push(id);
    for (let i = 0; i < ds.length; i++) days.push(ds[i]!);
    starts.push(days.length);
  }
  return { ids: Int32Array.from(ids), starts: Int32Array.from(starts), days: Int32Array.from(days) };
}

/** Calls fn per customer of these parts (in id order), with a view of their days (copy it to keep it). */
export function eachHistory(parts: readonly PurchaseHistories[], fn: (id: number, days: Int32Array) => void): void {
  for (const h of parts) for (let i = 0; i < h.ids.length; i++) fn(h.ids[i]!, h.days.subarray(h.starts[i]!, h.starts[i + 1]!));
}

export interface StageTable {
  /** The customers, ascending (as handed in). */
  ids: Int32Array;
  /** Per as-of day: each customer's stage, an index into STAGES. */
  stages: Uint8Array[];
  /** Per as-of day: the shop's usual interval (median of the customers' own), NaN without one. */
  shopIntervals: number[];
}

/**
 * Every customer's stage on each of the `asOf` days. `histories` holds the customers with orders
 * (ascending ids through its parts, each one of `ids`) with their purchase days up to the latest as-of day; customers
 * not in it have no orders: prospects.
 */
export function stageTable(ids: Int32Array, histories: readonly PurchaseHistories[], asOfs: number[], rules: StageRules): StageTable {
  const n = ids.length;
  // Day numbers and intervals (whole or half days, NaN for none) are exact in 32-bit floats: a
  // million customers on four days in 68 MB rather than 132.
  const facts = asOfs.map(() => ({ has: new Uint8Array(n), first: new Float32Array(n), last: new Float32Array(n), interval: new Float32Array(n), lastReturn: new Float32Array(n) }));
  let k = 0;
  eachHistory(histories, (id, days) => {
    while (k < n && ids[k]! < id) k++;
    if (ids[k] !== id) return;
    asOfs.forEach((asOf, j) => {
      let upTo = days.length;
      while (upTo > 0 && days[upTo - 1]! > asOf) upTo--;
      if (upTo === 0) return;
      const f = purchaseFacts(upTo === days.length ? days : days.subarray(0, upTo), rules.churnDays);
      const t = facts[j]!;
      t.has[k] = 1;
      t.first[k] = f.first;
      t.last[k] = f.last;
      t.interval[k] = f.interval;
      t.lastReturn[k] = f.lastReturn;
    });
  });
  const stages: Uint8Array[] = [];
  const shopIntervals: number[] = [];
  asOfs.forEach((asOf, j) => {
    const t = facts[j]!;
    const own = t.interval.filter((x, i) => t.has[i] === 1 && !Number.isNaN(x)).sort();
    const shop = own.length === 0 ? NaN : own.length % 2 ? own[own.length >> 1]! : (own[own.length / 2 - 1]! + own[own.length / 2]!) / 2;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const f = t.has[i] ? { first: t.first[i]!, last: t.last[i]!, interval: t.interval[i]!, lastReturn: t.lastReturn[i]! } : null;
      out[i] = STAGES.indexOf(stageOf(f, asOf, rules, shop));
    }
    stages.push(out);
    shopIntervals.push(shop);
  });
  return { ids, stages, shopIntervals };
}

/** A stage as typed: its key (atRisk, at-risk, at_risk) or its name in either language. */
export function parseStage(raw: string, names: (s: Stage) => string[]): Stage | null {
  const want = raw.trim().toLowerCase().replace(/[-_\s]/g, '');
  return STAGES.find((s) => s.toLowerCase() === want || names(s).some((n) => n.toLowerCase().replace(/[-_\s]/g, '') === want)) ?? null;
}
