// All SQL of RFM: each customer's orders summed up to an as-of day, and the scores saved back.
import { SEGMENTS, type RfmColumns, type RfmScores } from '../core/rfm.js';
import { stmt, type Db } from './db.js';

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

/** Customers without an order on or before `asOf` (their first order, kept by the order triggers, is later or none). */
export function prospectIds(db: Db, asOf: string): number[] {
  return stmt(db, 'SELECT id FROM customers WHERE first_order_day IS NULL OR first_order_day > ? ORDER BY id').pluck().all(asOf) as number[];
}

const BATCH = 50_000;

/**
 * Replaces the saved scores with these (prospects: segment prospect, no scores), in one transaction.
 * Rows go in as JSON batches that SQLite unpacks itself: a million rows in about a second.
 */
export function saveRfm(db: Db, s: RfmScores, prospects: number[], asOf: string): void {
  const insert = stmt(db, 'INSERT INTO customer_rfm (customer_id, r, f, m, segment) SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(?)');
  db.transaction(() => {
    stmt(db, 'DELETE FROM customer_rfm').run();
    // In id order (the scored and the prospects merged), so every row is appended to the table.
    let rows: unknown[] = [];
    let p = 0;
    const flush = () => {
      if (rows.length > 0) insert.run(JSON.stringify(rows));
      rows = [];
    };
    for (let i = 0; i <= s.ids.length; i++) {
      const next = i < s.ids.length ? s.ids[i]! : Infinity;
      while (p < prospects.length && prospects[p]! < next) {
        rows.push([prospects[p++], null, null, null, 'prospect']);
        if (rows.length >= BATCH) flush();
      }
      if (i < s.ids.length) rows.push([s.ids[i], s.r[i], s.f[i], s.m[i], SEGMENTS[s.segment[i]!]]);
      if (rows.length >= BATCH) flush();
    }
    flush();
    stmt(db, "INSERT INTO settings (key, value) VALUES ('rfm_saved', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify({ scheme: s.scheme, asOf }));
  }).immediate();
}
