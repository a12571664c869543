// RFM: recency (days since the last order), frequency (orders in the window) and monetary value
// (spend in the window, in fen/cents) of every customer with orders, each scored 1 to 5 by
// quintiles, and a segment from one of two schemes. Pure: the store hands in the per-customer sums.

export interface RfmInput {
  id: number;
  /** Days from the last order (on or before the as-of day) to the as-of day. */
  recency: number;
  /** Orders in the window. */
  frequency: number;
  /** Spend in the window, minor units. */
  monetary: number;
}

export interface RfmScore extends RfmInput {
  r: number;
  f: number;
  m: number;
  segment: Segment;
}

export const SCHEMES = ['classic', 'cn8'] as const;
export type Scheme = (typeof SCHEMES)[number];

export const CLASSIC_SEGMENTS = [
  'champions',
  'loyal',
  'potential',
  'new',
  'promising',
  'needAttention',
  'aboutToSleep',
  'atRisk',
  'cantLose',
  'hibernating',
  'lost',
] as const;
export const CN8_SEGMENTS = [
  'importantValue',
  'importantDevelopment',
  'importantRetention',
  'importantWinBack',
  'generalValue',
  'generalDevelopment',
  'generalRetention',
  'generalWinBack',
] as const;
export type Segment = (typeof CLASSIC_SEGMENTS)[number] | (typeof CN8_SEGMENTS)[number];

/**
 * Quintile scores 1-5 by mid-rank: a value's score is 1 + floor(5 × p), where p is the share of
 * values below it plus half the share equal to it (capped at 5). Equal values always get equal
 * scores, and a value most customers share lands in the middle of its run rather than at either
 * end (when 60% have one order, they score 2, not 1 or 4). `better` says which way is good: a
 * higher frequency is better, a higher recency (more days) is worse.
 */
export function quintileScores(values: ArrayLike<number>, better: 'higher' | 'lower'): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  if (n === 0) return scores;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (better === 'higher' ? values[a]! - values[b]! : values[b]! - values[a]!));
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && values[order[end + 1]!] === values[order[start]!]) end++;
    const p = (start + (end - start + 1) / 2) / n;
    const score = Math.min(5, 1 + Math.floor(5 * p));
    for (let k = start; k <= end; k++) scores[order[k]!] = score;
    start = end + 1;
  }
  return scores;
}

/**
 * The classic segments on a grid of the recency score (rows) against the mean of the frequency and
 * monetary scores, rounded (columns). Printed in the README.
 */
export const CLASSIC_GRID: Record<number, readonly (typeof CLASSIC_SEGMENTS)[number][]> = {
  5: ['new', 'potential', 'potential', 'champions', 'champions'],
  4: ['promising', 'potential', 'loyal', 'loyal', 'champions'],
  3: ['aboutToSleep', 'needAttention', 'needAttention', 'loyal', 'loyal'],
  2: ['hibernating', 'aboutToSleep', 'atRisk', 'atRisk', 'cantLose'],
  1: ['lost', 'hibernating', 'atRisk', 'cantLose', 'cantLose'],
};

export function classicSegment(r: number, f: number, m: number): (typeof CLASSIC_SEGMENTS)[number] {
  const fm = Math.round((f + m) / 2);
  return CLASSIC_GRID[r]![fm - 1]!;
}

/** cn8: recency, frequency and monetary each high or low against the mean of the customers scored. */
export function cn8Segment(c: RfmInput, mean: { recency: number; frequency: number; monetary: number }): (typeof CN8_SEGMENTS)[number] {
  const recent = c.recency <= mean.recency;
  const frequent = c.frequency >= mean.frequency;
  const valuable = c.monetary >= mean.monetary;
  const kind = recent ? (frequent ? 'Value' : 'Development') : frequent ? 'Retention' : 'WinBack';
  return `${valuable ? 'important' : 'general'}${kind}` as (typeof CN8_SEGMENTS)[number];
}

/** Scores every customer with orders and puts each in a segment of the scheme. */
export function scoreRfm(inputs: RfmInput[], scheme: Scheme): RfmScore[] {
  const r = quintileScores(inputs.map((c) => c.recency), 'lower');
  const f = quintileScores(inputs.map((c) => c.frequency), 'higher');
  const m = quintileScores(inputs.map((c) => c.monetary), 'higher');
  const n = Math.max(1, inputs.length);
  const mean = {
    recency: inputs.reduce((s, c) => s + c.recency, 0) / n,
    frequency: inputs.reduce((s, c) => s + c.frequency, 0) / n,
    monetary: inputs.reduce((s, c) => s + c.monetary, 0) / n,
  };
  // Plain object literals, not spreads: a million of them (a spread costs ~2 µs each).
  return inputs.map((c, i) => ({
    id: c.id,
    recency: c.recency,
    frequency: c.frequency,
    monetary: c.monetary,
    r: r[i]!,
    f: f[i]!,
    m: m[i]!,
    segment: scheme === 'classic' ? classicSegment(r[i]!, f[i]!, m[i]!) : cn8Segment(c, mean),
  }));
}

export interface SegmentSummary {
  segment: Segment;
  customers: number;
  /** Share of the customers scored. */
  share: number;
  /** Share of the window's revenue. */
  revenueShare: number;
  revenue: number;
  avgRecency: number;
  avgFrequency: number;
  avgMonetary: number;
}

/** One line per segment that has customers, in the scheme's order (one pass over the scores). */
export function summarize(scores: RfmScore[], scheme: Scheme): SegmentSummary[] {
  const sums = new Map<Segment, { n: number; recency: number; frequency: number; monetary: number }>();
  let revenue = 0;
  for (const c of scores) {
    let t = sums.get(c.segment);
    if (!t) sums.set(c.segment, (t = { n: 0, recency: 0, frequency: 0, monetary: 0 }));
    t.n++;
    t.recency += c.recency;
    t.frequency += c.frequency;
    t.monetary += c.monetary;
    revenue += c.monetary;
  }
  const order: readonly Segment[] = scheme === 'classic' ? CLASSIC_SEGMENTS : CN8_SEGMENTS;
  return order.flatMap((segment) => {
    const t = sums.get(segment);
    if (!t) return [];
    return [
      {
        segment,
        customers: t.n,
        share: t.n / scores.length,
        revenueShare: revenue > 0 ? t.monetary / revenue : 0,
        revenue: t.monetary,
        avgRecency: t.recency / t.n,
        avgFrequency: t.frequency / t.n,
        avgMonetary: t.monetary / t.n,
      },
    ];
  });
}

/** The last day before the window: orders after it and on or before `asOf` count for F and M. */
export function windowStart(asOf: string, days: number): string {
  return new Date(Date.parse(`${asOf}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/** A window such as 365d, 12m or 1y, in days (a month is 30 days, a year 365). */
export function parseWindow(raw: string): number | null {
  const m = /^\s*(\d+)\s*([dmy])\s*$/i.exec(raw);
  if (!m) return null;
  const n = Number(m[1]);
  const days = n * { d: 1, m: 30, y: 365 }[m[2]!.toLowerCase() as 'd' | 'm' | 'y'];
  return days >= 1 && days <= 36500 ? days : null;
}
