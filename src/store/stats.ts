// All SQL of crm stats: the shop's figures over a span of days.
import { stmt, type Db } from './db.js';
import { idCondition, splitRead, type IdRange } from './split-read.js';

export interface PeriodTotals {
  /** Customers known by the end: added before it ends, or with an order by then. */
  customers: number;
  /** Customers whose first order ever falls in the span. */
  newCustomers: number;
  /** Customers with an order in the span. */
  active: number;
  /** Of them, customers with two or more orders in the span. */
  repeat: number;
  orders: number;
  /** Minor units. */
  revenue: number;
}

/**
 * Figures for each span of days, start to end inclusive (`endAt`: the UTC instant `end` ends). The
 * orders of every span are summed in one pass over the orders' (customer, day, amount) index, which
 * holds all they need (the day index would read each order's row: a month of 500,000 orders took
 * 1.2 s, now both months of a book of 10M orders 1 s); on a large book in two halves at once
 * (split-read.ts).
 */
export async function periodTotals(db: Db, spans: readonly { start: string; end: string; endAt: string }[]): Promise<PeriodTotals[]> {
  const sums = await splitRead(db, import.meta.url, spanSumsIn, { spans: spans.map((s) => [s.start, s.end] as [string, string]) }, addSums);
  return spans.map((s, i) => ({
    customers: stmt(db, 'SELECT count(*) FROM customers WHERE created_at < ? OR first_order_day <= ?').pluck().get(s.endAt, s.end) as number,
    newCustomers: stmt(db, 'SELECT count(*) FROM customers WHERE first_order_day BETWEEN ? AND ?').pluck().get(s.start, s.end) as number,
    active: sums[4 * i]!,
    repeat: sums[4 * i + 1]!,
    orders: sums[4 * i + 2]!,
    revenue: sums[4 * i + 3]!,
  }));
}

/** Per span: customers with an order in it, of them those with two or more, orders, spend; four numbers a span, for a range of customer ids. */
export function spanSumsIn(db: Db, r: { spans: [string, string][] } & IdRange): Float64Array {
  const params: Record<string, string | number> = {};
  const inSpan = r.spans.map(([start, end], i) => {
    params[`s${i}`] = start;
    params[`e${i}`] = end;
    return `day BETWEEN @s${i} AND @e${i}`;
  });
  const range = idCondition('customer_id', r);
  const perCustomer = inSpan.map((c, i) => `sum(${c}) AS n${i}, sum(CASE WHEN ${c} THEN amount ELSE 0 END) AS m${i}`).join(', ');
  const totals = inSpan.map((_, i) => `coalesce(sum(n${i} > 0), 0), coalesce(sum(n${i} >= 2), 0), coalesce(sum(n${i}), 0), coalesce(sum(m${i}), 0)`).join(', ');
  // INDEXED BY: for a condition on day alone the planner takes the day index.
  const row = stmt(
    db,
    `SELECT ${totals} FROM (SELECT ${perCustomer} FROM orders INDEXED BY orders_customer_day
       WHERE (${inSpan.join(' OR ')}) ${range.sql ? `AND ${range.sql}` : ''} GROUP BY customer_id)`,
  )
    .raw()
    .get({ ...params, ...range.params }) as number[];
  return Float64Array.from(row);
}

const addSums = (a: Float64Array, b: Float64Array): Float64Array => a.map((x, i) => x + b[i]!);

/** Complaints recorded in [from, to) (UTC instants). */
export function complaintsBetween(db: Db, from: string, to: string): number {
  return stmt(db, 'SELECT count(*) FROM complaints WHERE created_at >= ? AND created_at < ?').pluck().get(from, to) as number;
}
