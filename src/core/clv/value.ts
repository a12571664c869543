// Customer lifetime value, the value: CLV over a horizon from the fitted models or the historical
// estimate, the value so far, the four value classes, and the summaries of a scored shop (deciles,
// classes, the likely lost).
import { expectedPurchases, type BgnbdParams } from './bgnbd.js';

export interface ClvTerms {
  /** The horizon in months. */
  months: number;
  /** Discount rate per month (0.01 = 1%). */
  monthlyDiscount: number;
  /** Share of spend that is margin (0.3 = 30%). */
  margin: number;
  /** Days in the data's unit (1 or 7). */
  unitDays: number;
}

export const MONTH_DAYS = 365.25 / 12;

/**
 * CLV over the horizon: margin × expected spend per purchase × the purchases expected in each month,
 * each discounted by (1 + d)^k for month k. Returns the value and the purchases over the horizon.
 */
export function lifetimeValue(bg: BgnbdParams, spend: number, x: number, tx: number, T: number, terms: ClvTerms): { value: number; purchases: number } {
  const month = MONTH_DAYS / terms.unitDays;
  let value = 0;
  let before = 0;
  for (let k = 1; k <= terms.months; k++) {
    const upTo = expectedPurchases(bg, k * month, x, tx, T);
    value += (upTo - before) / Math.pow(1 + terms.monthlyDiscount, k);
    before = upTo;
  }
  return { value: value * spend * terms.margin, purchases: before };
}

/**
 * The historical estimate, when there is too little to fit: spend per purchase day × purchase days
 * a year so far (over at least a year: one purchase yesterday is not twelve a year) over the
 * horizon, discounted and times the margin as above.
 */
export function historicalValue(spendPerDay: number, purchaseDays: number, ageDays: number, terms: ClvTerms): { value: number; purchases: number } {
  const perMonth = (purchaseDays / Math.max(ageDays, 365.25)) * MONTH_DAYS;
  let value = 0;
  for (let k = 1; k <= terms.months; k++) value += perMonth / Math.pow(1 + terms.monthlyDiscount, k);
  return { value: value * spendPerDay * terms.margin, purchases: perMonth * terms.months };
}

// ---- Value classes ------------------------------------------------------------------------------

export const VALUE_CLASSES = ['mostValuable', 'mostGrowable', 'maintain', 'belowZero'] as const;
export type ValueClass = (typeof VALUE_CLASSES)[number];

export interface ValueClassRules {
  /** The customers with the highest CLV, this share of all (0.2): most valuable. */
  topShare: number;
  /** CLV at least this many times their value so far: most growable. */
  growthFactor: number;
  /** What serving a customer costs a year (minor units): CLV under its cost over the horizon is below zero. */
  yearlyCost: number;
}

/**
 * A customer's value so far, on the horizon's scale: margin × their spend per span as long as the
 * horizon since their first purchase (all of it when they are younger than the horizon). A
 * customer who spent well and left long ago has a value so far, and no growth ahead.
 */
export function valueSoFar(total: number, ageDays: number, months: number, margin: number): number {
  const span = months * MONTH_DAYS;
  return (margin * total * span) / Math.max(span, ageDays);
}

/**
 * The four value classes of CRM practice, first rule that holds: below zero (CLV under the cost to
 * serve over the horizon), most valuable (the top share by CLV: at least one customer), most
 * growable (CLV above 0 and at least growthFactor × their value so far), maintain (the rest).
 */
export function valueClasses(clv: Float64Array, soFar: Float64Array, rules: ValueClassRules, months: number): Uint8Array {
  const n = clv.length;
  const out = new Uint8Array(n);
  const cost = (rules.yearlyCost * months) / 12;
  const sorted = Float64Array.from(clv).sort();
  const top = n === 0 ? 0 : Math.max(1, Math.round(n * rules.topShare));
  // The least CLV still in the top share (ties at the edge all count).
  const edge = top > 0 ? sorted[n - top]! : Infinity;
  const code = (c: ValueClass) => VALUE_CLASSES.indexOf(c);
  for (let i = 0; i < n; i++) {
    const v = clv[i]!;
    out[i] = v < cost ? code('belowZero') : v >= edge && v > cost ? code('mostValuable') : v > 0 && v >= rules.growthFactor * soFar[i]! ? code('mostGrowable') : code('maintain');
  }
  return out;
}

// ---- Summaries ----------------------------------------------------------------------------------

/** Each tenth of the customers' share of the total CLV, highest CLV first (ten shares; null under ten customers). */
export function valueDeciles(clv: Float64Array): number[] | null {
  const n = clv.length;
  if (n < 10) return null;
  const sorted = Float64Array.from(clv).sort().reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i]!;
  const shares: number[] = [];
  for (let k = 0; k < 10; k++) {
    let s = 0;
    for (let i = Math.floor((k * n) / 10); i < Math.floor(((k + 1) * n) / 10); i++) s += sorted[i]!;
    shares.push(total > 0 ? s / total : 0);
  }
  return shares;
}

export interface ClassSummary {
  cls: ValueClass;
  customers: number;
  /** Share of all the customers scored. */
  share: number;
  total: number;
  average: number;
  /** Mean P(alive); null without customers or without P(alive) (the historical estimate). */
  alive: number | null;
}

/** Customers, total and average CLV and mean P(alive) per value class, in VALUE_CLASSES order. */
export function summarizeClasses(clv: Float64Array, alive: Float64Array | null, classes: Uint8Array): ClassSummary[] {
  const rows = VALUE_CLASSES.map((cls) => ({ cls, customers: 0, share: 0, total: 0, average: 0, alive: null as number | null, aliveSum: 0 }));
  for (let i = 0; i < clv.length; i++) {
    const row = rows[classes[i]!]!;
    row.customers++;
    row.total += clv[i]!;
    row.aliveSum += alive ? alive[i]! : 0;
  }
  return rows.map(({ aliveSum, ...row }) => ({
    ...row,
    share: clv.length > 0 ? row.customers / clv.length : 0,
    average: row.customers > 0 ? row.total / row.customers : 0,
    alive: alive && row.customers > 0 ? aliveSum / row.customers : null,
  }));
}

/** The customers most likely lost worth a call: P(alive) under 50%, the biggest spenders first (indexes, at most `k`). */
export function mostLikelyLost(alive: Float64Array, spend: Float64Array, k = 10): number[] {
  return Array.from(alive.keys())
    .filter((i) => alive[i]! < 0.5)
    .sort((i, j) => spend[j]! - spend[i]! || i - j)
    .slice(0, k);
}
