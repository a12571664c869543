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
  segment: Segment | 'prospect';
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
 * higher frequency is better, a higher recency (more days) is worse. One native sort of a copy and
 * two binary searches per value: a million values in a fraction of a second.
 */
export function quintileScores(values: ArrayLike<number>, better: 'higher' | 'lower'): Uint8Array {
  const n = values.length;
  const scores = new Uint8Array(n);
  const sorted = Float64Array.from(values).sort();
  // The score of each distinct value, from its run in the sorted copy.
  const distinct = new Float64Array(n);
  const runScore = new Uint8Array(n);
  let d = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && sorted[end] === sorted[start]) end++;
    const worse = better === 'higher' ? start : n - end;
    distinct[d] = sorted[start]!;
    runScore[d++] = Math.min(5, 1 + Math.floor((5 * (worse + (end - start) / 2)) / n));
    start = end;
  }
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (distinct[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    scores[i] = runScore[lo]!;
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

/** Every segment of both schemes; a scored customer's segment is an index into it. */
export const SEGMENTS: readonly Segment[] = [...CLASSIC_SEGMENTS, ...CN8_SEGMENTS];

/** The customers with orders, a column per measure (a million customers: four typed arrays, not a million objects). */
export interface RfmColumns {
  ids: Int32Array;
  recency: Float64Array;
  frequency: Float64Array;
  monetary: Float64Array;
}

export interface RfmScores extends RfmColumns {
  scheme: Scheme;
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  /** Index into SEGMENTS. */
  segment: Uint8Array;
}

/** Columns from per-customer inputs (small shops and tests). */
export function rfmColumns(inputs: RfmInput[]): RfmColumns {
  return {
    ids: Int32Array.from(inputs, (c) => c.id),
    recency: Float64Array.from(inputs, (c) => c.recency),
    frequency: Float64Array.from(inputs, (c) => c.frequency),
    monetary: Float64Array.from(inputs, (c) => c.monetary),
  };
}

const mean = (a: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / Math.max(1, a.length);
};

/** Scores every customer with orders and puts each in a segment of the scheme. */
export function scoreRfm(c: RfmColumns, scheme: Scheme): RfmScores {
  const r = quintileScores(c.recency, 'lower');
  const f = quintileScores(c.frequency, 'higher');
  const m = quintileScores(c.monetary, 'higher');
  const means = { recency: mean(c.recency), frequency: mean(c.frequency), monetary: mean(c.monetary) };
  const code = new Map(SEGMENTS.map((s, i) => [s, i]));
  const segment = new Uint8Array(c.ids.length);
  for (let i = 0; i < segment.length; i++) {
    const s =
      scheme === 'classic'
        ? classicSegment(r[i]!, f[i]!, m[i]!)
        : cn8Segment({ id: c.ids[i]!, recency: c.recency[i]!, frequency: c.frequency[i]!, monetary: c.monetary[i]! }, means);
    segment[i] = code.get(s)!;
  }
  return { ...c, scheme, r, f, m, segment };
}

/** One scored customer as a plain record. */
export function scoreAt(s: RfmScores, i: number): RfmScore {
  return { id: s.ids[i]!, recency: s.recency[i]!, frequency: s.frequency[i]!, monetary: s.monetary[i]!, r: s.r[i]!, f: s.f[i]!, m: s.m[i]!, segment: SEGMENTS[s.segment[i]!]! };
}

/** The customers of one segment, biggest spenders first (prospects: no scores, in id order). */
export function segmentMembers(s: RfmScores, prospects: number[], segment: Segment | 'prospect'): RfmScore[] {
  if (segment === 'prospect') return prospects.map((id) => ({ id, recency: NaN, frequency: 0, monetary: 0, r: 0, f: 0, m: 0, segment }));
  const code = SEGMENTS.indexOf(segment);
  const members: RfmScore[] = [];
  for (let i = 0; i < s.ids.length; i++) if (s.segment[i] === code) members.push(scoreAt(s, i));
  return members.sort((a, b) => b.monetary - a.monetary || a.id - b.id);
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
export function summarize(s: RfmScores): SegmentSummary[] {
  const k = SEGMENTS.length;
  const [n, recency, frequency, monetary] = [new Float64Array(k), new Float64Array(k), new Float64Array(k), new Float64Array(k)];
  let revenue = 0;
  for (let i = 0; i < s.ids.length; i++) {
    const g = s.segment[i]!;
    n[g]!++;
    recency[g]! += s.recency[i]!;
    frequency[g]! += s.frequency[i]!;
    monetary[g]! += s.monetary[i]!;
    revenue += s.monetary[i]!;
  }
  const order: readonly Segment[] = s.scheme === 'classic' ? CLASSIC_SEGMENTS : CN8_SEGMENTS;
  return order.flatMap((segment) => {
    const g = SEGMENTS.indexOf(segment);
    const t = n[g]!;
    if (t === 0) return [];
    return [
      {
        segment,
        customers: t,
        share: t / s.ids.length,
        revenueShare: revenue > 0 ? monetary[g]! / revenue : 0,
        revenue: monetary[g]!,
        avgRecency: recency[g]! / t,
        avgFrequency: frequency[g]! / t,
        avgMonetary: monetary[g]! / t,
      },
    ];
  });
}

