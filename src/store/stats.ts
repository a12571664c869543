// All SQL of crm stats: the shop's figures over a span of days.
import { stmt, type Db } from './db.js';

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

/** Figures for the days from `start` to `end` (inclusive); `endAt` is the UTC instant `end` ends. */
export function periodTotals(db: Db, start: string, end: string, endAt: string): PeriodTotals {
  const customers = stmt(db, 'SELECT count(*) FROM customers WHERE created_at < ? OR first_order_day <= ?').pluck().get(endAt, end) as number;
  const newCustomers = stmt(db, 'SELECT count(*) FROM customers WHERE first_order_day BETWEEN ? AND ?').pluck().get(start, end) as number;
  const t = stmt(
    db,
    `SELECT count(*) AS active, coalesce(sum(n >= 2), 0) AS repeat, coalesce(sum(n), 0) AS orders, coalesce(sum(spend), 0) AS revenue
       FROM (SELECT count(*) AS n, sum(amount) AS spend FROM orders WHERE day BETWEEN ? AND ? GROUP BY customer_id)`,
  ).get(start, end) as Omit<PeriodTotals, 'customers' | 'newCustomers'>;
  return { customers, newCustomers, ...t };
}

/** Complaints recorded in [from, to) (UTC instants). */
export function complaintsBetween(db: Db, from: string, to: string): number {
  return stmt(db, 'SELECT count(*) FROM complaints WHERE created_at >= ? AND created_at < ?').pluck().get(from, to) as number;
}
