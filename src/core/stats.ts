// crm stats: the period an as-of day falls in, compared like for like with the one before, and the
// rates worked out from the store's totals.
import { addDays, addMonths } from './dates.js';
import { STAGES } from './lifecycle.js';

export const PERIODS = ['month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];

export interface Span {
  start: string;
  end: string;
}

const MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 };

/** The first day of the month, quarter or year a day falls in. */
export function periodStart(day: string, period: Period): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const first = period === 'year' ? 1 : period === 'quarter' ? m - ((m - 1) % 3) : m;
  return `${y}-${String(first).padStart(2, '0')}-01`;
}

/**
 * The period `asOf` falls in, up to `asOf`, and the previous period over the same stretch: the
 * 1st to the 22nd of November against the 1st to the 22nd of October (to the end of a shorter
 * month). When `asOf` is a period's last day, both are whole periods.
 */
export function comparedSpans(asOf: string, period: Period): { current: Span; previous: Span } {
  const start = periodStart(asOf, period);
  const months = MONTHS[period];
  const prevStart = addMonths(start, -months);
  const prevLast = addDays(start, -1);
  const isLastDay = addMonths(start, months) === addDays(asOf, 1);
  const sameStretch = addMonths(asOf, -months);
  return { current: { start, end: asOf }, previous: { start: prevStart, end: isLastDay || sameStretch > prevLast ? prevLast : sameStretch } };
}

/**
 * The day a report without --as-of is for: today, except on a period's first day, where this
 * period has one day in it and the last complete period (ending yesterday) says more.
 */
export function defaultAsOf(today: string, period: Period): { asOf: string; lastComplete: boolean } {
  return periodStart(today, period) === today ? { asOf: addDays(today, -1), lastComplete: true } : { asOf: today, lastComplete: false };
}

/** A share, or null when there is nothing to take it of. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Change from previous to current: relative for counts and amounts, in points (difference) for rates. */
export function change(current: number | null, previous: number | null, kind: 'count' | 'rate'): number | null {
  if (current === null || previous === null) return null;
  if (kind === 'rate') return current - previous;
  return previous === 0 ? null : (current - previous) / previous;
}

/**
 * Customers per stage (indexes into STAGES) on a span's last day, from every customer's stage
 * then; prospects are counted only among the `known` customers (those added by then).
 */
export function stageCounts(stages: Uint8Array, known: number): number[] {
  const counts = new Array<number>(STAGES.length).fill(0);
  for (const s of stages) counts[s]!++;
  const P = STAGES.indexOf('prospect');
  counts[P] = known - (stages.length - counts[P]!);
  return counts;
}

/**
 * Churn over a span: of the customers with orders who had not churned the day before it began
 * (`before`), the share who had churned by its end (`after`); null without any.
 */
export function churnRate(before: Uint8Array, after: Uint8Array): number | null {
  const [P, C] = [STAGES.indexOf('prospect'), STAGES.indexOf('churned')];
  let base = 0;
  let lost = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === P || before[i] === C) continue;
    base++;
    if (after[i] === C) lost++;
  }
  return rate(lost, base);
}
