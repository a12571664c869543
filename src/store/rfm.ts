// All SQL of RFM: each customer's orders summed up to an as-of day, and the scores saved back.
import { SEGMENTS, type RfmColumns, type RfmScores } from '../core/rfm.js';
import { Column } from './column.js';
import { rowWriter, stmt, transaction, type Db } from './db.js';
import { idCondition, joinFields, splitRead, type IdRange } from './split-read.js';
import { readSetting, writeSetting } from './settings.js';

/**
 * Per customer with an order on or before `asOf`: days since the last one, and the orders and
 * spend after `windowStart` (exclusive) up to `asOf`. One pass over the orders' (customer, day,
 * amount) index, grouped by customer, read into columns; on a large book in two halves at once
 * (split-read.ts: SQLite's GROUP BY is most of `crm rfm`'s time, 10M orders 2.5 s in one thread).
 */
export async function rfmInputs(db: Db, asOf: string, windowStart: string): Promise<RfmColumns> {
  // The test against asOf only where some order is later (an as-of day in the past).
  const latest = stmt(db, 'SELECT max(day) FROM orders').pluck().get() as string | null;
  return splitRead(db, import.meta.url, rfmRange, { asOf, windowStart, upToAsOf: latest !== null && latest > asOf }, joinColumns);
}

/** rfmInputs over the customers in a range of ids. */
export function rfmRange(db: Db, r: { asOf: string; windowStart: string; upToAsOf: boolean } & IdRange): RfmColumns {
  const ids = new Column(Int32Array);
  const recency = new Column(Float64Array);
  const frequency = new Column(Float64Array);
  const monetary = new Column(Float64Array);
  const range = idCondition('customer_id', r);
  const where = [r.upToAsOf ? 'day <= @asOf' : '', range.sql].filter(Boolean);
  const rows = stmt(
    db,
    `SELECT customer_id, max(day), sum(day > @start), sum(CASE WHEN day > @start THEN amount ELSE 0 END)
       FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY customer_id ORDER BY customer_id`,
  )
    .raw()
    .iterate({ start: r.windowStart, ...(r.upToAsOf ? { asOf: r.asOf } : {}), ...range.params }) as IterableIterator<[number, string, number, number]>;
  // Days since the last order, worked out once a day (a few thousand days, a million customers).
  const daysBefore = new Map<string, number>();
  const asOfMs = Date.parse(`${r.asOf}T00:00:00Z`);
  for (const [id, last, f, m] of rows) {
    let rec = daysBefore.get(last);
    if (rec === undefined) daysBefore.set(last, (rec = Math.trunc((asOfMs - Date.parse(`${last}T00:00:00Z`)) / 86_400_000)));
    ids.push(id);
    recency.push(rec);
    frequency.push(f);
    monetary.push(m);
  }
  return { ids: ids.values(), recency: recency.values(), frequency: frequency.values(), monetary: monetary.values() };
}

export const joinColumns = (a: RfmColumns, b: RfmColumns): RfmColumns => joinFields(a, b);

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
