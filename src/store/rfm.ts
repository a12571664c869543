// All SQL of RFM: each customer's orders summed up to an as-of day, and the scores saved back.
import type { RfmInput, RfmScore, Scheme } from '../core/rfm.js';
import { daysBetween } from '../core/dates.js';
import { stmt, type Db } from './db.js';

/**
 * Per customer with an order on or before `asOf`: days since the last one, and the orders and
 * spend after `windowStart` (exclusive) up to `asOf`. One pass over the orders, grouped by customer.
 */
export function rfmInputs(db: Db, asOf: string, windowStart: string): RfmInput[] {
  const rows = stmt(
    db,
    `SELECT customer_id, max(day) AS last, sum(day > ?) AS frequency, sum(CASE WHEN day > ? THEN amount ELSE 0 END) AS monetary
       FROM orders WHERE day <= ? GROUP BY customer_id ORDER BY customer_id`,
  )
    .raw()
    .all(windowStart, windowStart, asOf) as [number, string, number, number][];
  return rows.map(([id, last, frequency, monetary]) => ({ id, recency: daysBetween(last, asOf), frequency, monetary }));
}

/** Customers without an order on or before `asOf`: the prospects. */
export function prospectIds(db: Db, asOf: string): number[] {
  return stmt(db, 'SELECT id FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.day <= ?) ORDER BY id')
    .pluck()
    .all(asOf) as number[];
}

/** Stores every customer's scores and segment (prospects: segment prospect, no scores) in one transaction. */
export function saveRfm(db: Db, scores: RfmScore[], prospects: number[], scheme: Scheme, asOf: string): void {
  db.transaction(() => {
    stmt(db, 'UPDATE customers SET rfm_r = NULL, rfm_f = NULL, rfm_m = NULL, rfm_segment = NULL, rfm_scheme = NULL, rfm_as_of = NULL WHERE rfm_segment IS NOT NULL').run();
    const set = stmt(db, 'UPDATE customers SET rfm_r = ?, rfm_f = ?, rfm_m = ?, rfm_segment = ?, rfm_scheme = ?, rfm_as_of = ? WHERE id = ?');
    for (const s of scores) set.run(s.r, s.f, s.m, s.segment, scheme, asOf, s.id);
    for (const id of prospects) set.run(null, null, null, 'prospect', scheme, asOf, id);
  }).immediate();
}
