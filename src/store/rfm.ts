// All SQL of RFM: each customer's orders summed up to an as-of day, and the scores saved back.
import { SEGMENTS, type RfmColumns, type RfmScores } from '../core/rfm.js';
import { rowWriter, stmt, transaction, type Db } from './db.js';
import { readSetting, writeSetting } from './settings.js';

/**
 * Per customer with an order on or before `asOf`: days since the last one, and the orders and
 * spend after `windowStart` (exclusive) up to `asOf`. One pass over the orders' (customer, day,
 * amount) index, grouped by customer, read into columns.
 */
export function rfmInputs(db: Db, asOf: string, windowStart: string): RfmColumns {
  const ids: number[] = [];
  const recency: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  const rows = stmt(
    db,
    `SELECT customer_id, CAST(julianday(?) - julianday(max(day)) AS INTEGER), sum(day > ?), sum(CASE WHEN day > ? THEN amount ELSE 0 END)
       FROM orders WHERE day <= ? GROUP BY customer_id ORDER BY customer_id`,
  )
    .raw()
    .iterate(asOf, windowStart, windowStart, asOf) as IterableIterator<[number, number, number, number]>;
  for (const [id, r, f, m] of rows) {
    ids.push(id);
    recency.push(r);
    frequency.push(f);
    monetary.push(m);
  }
  return { ids: Int32Array.from(ids), recency: Float64Array.from(recency), frequency: Float64Array.from(frequency), monetary: Float64Array.from(monetary) };
}

/**
 * Customers without an order on or before `asOf`: those who never ordered (an index), and, when
 * `asOf` is before the latest order, those whose first order (kept by the order triggers) is later.
 */
export function prospectIds(db: Db, asOf: string): number[] {
  const never = stmt(db, 'SELECT id FROM customers WHERE first_order_day IS NULL ORDER BY id').pluck().all() as number[];
  const latest = stmt(db, 'SELECT max(day) FROM orders').pluck().get() as string | null;
  if (latest === null || latest <= asOf) return never;
  const later = stmt(db, 'SELECT id FROM customers WHERE first_order_day > ?').pluck().all(asOf) as number[];
  return [...never, ...later].sort((a, b) => a - b);
}

/** Replaces the saved scores with these (prospects: segment prospect, no scores), in one transaction, in id order. */
export function saveRfm(db: Db, s: RfmScores, prospects: number[], asOf: string): void {
  transaction(db, () => {
    stmt(db, 'DELETE FROM customer_rfm').run();
    const rows = rowWriter(db, 'customer_rfm', ['customer_id', 'r', 'f', 'm', 'segment']);
    // The scored and the prospects merged by id, so every row is appended to the table.
    let p = 0;
    for (let i = 0; i < s.ids.length; i++) {
      while (p < prospects.length && prospects[p]! < s.ids[i]!) rows.add(prospects[p++]!, null, null, null, 'prospect');
      rows.add(s.ids[i]!, s.r[i]!, s.f[i]!, s.m[i]!, SEGMENTS[s.segment[i]!]!);
    }
    while (p < prospects.length) rows.add(prospects[p++]!, null, null, null, 'prospect');
    rows.end();
    writeSetting(db, 'rfm_saved', JSON.stringify({ scheme: s.scheme, asOf }));
  });
}

/** One customer's saved scores, with the scheme and as-of day of the save; null if none saved. */
export function savedRfm(db: Db, customerId: number): { r: number | null; f: number | null; m: number | null; segment: string; scheme: string; asOf: string } | null {
  const row = stmt(db, 'SELECT r, f, m, segment FROM customer_rfm WHERE customer_id = ?').get(customerId) as { r: number | null; f: number | null; m: number | null; segment: string } | undefined;
  if (!row) return null;
  const raw = readSetting(db, 'rfm_saved');
  const saved = raw ? (JSON.parse(raw) as { scheme?: string; asOf?: string }) : {};
  return { ...row, scheme: saved.scheme ?? '', asOf: saved.asOf ?? '' };
}
