// All SQL of customer lifetime value: each customer's purchase days summed up to an as-of day (one
// pass over the orders' covering index), repeat purchase days in a holdout span, and saved values.
import { VALUE_CLASSES, type Purchases, type ValueClass } from '../core/clv/index.js';
import { Column } from './column.js';
import { rowWriter, stmt, transaction, type Db } from './db.js';
import { idCondition, joinFields, splitRead, type IdRange } from './split-read.js';
import { readSetting, writeSetting } from './settings.js';

/** Every customer with an order on or before the as-of day, a column each (as core/clv/ reads them), ascending ids. */
export interface PurchaseSummary extends Purchases {
  ids: Int32Array;
}

/**
 * Per customer, up to `asOf`: distinct purchase days, the span from the first to the last and to
 * `asOf` in days, orders, spend, the first day's spend (the repeat purchases' mean leaves it out:
 * one look-up in the index per customer). One pass over the orders' (customer, day, amount) index
 * (grouping by (customer, day) first took twice as long); on a large book in two halves at once
 * (split-read.ts).
 */
export function purchaseSummary(db: Db, asOf: string): Promise<PurchaseSummary> {
  return splitRead(db, import.meta.url, purchaseSummaryIn, { asOf }, joinFields);
}

/** purchaseSummary over a range of customer ids. */
export function purchaseSummaryIn(db: Db, r: { asOf: string } & IdRange): PurchaseSummary {
  const ids = new Column(Int32Array);
  const cols = [1, 2, 3, 4, 5, 6].map(() => new Column(Float64Array));
  const range = idCondition('g.customer_id', r);
  const rows = stmt(
    db,
    `SELECT g.customer_id, count(DISTINCT g.day), julianday(max(g.day)) - julianday(min(g.day)), julianday(@asOf) - julianday(min(g.day)),
            count(*), sum(g.amount), (SELECT sum(o.amount) FROM orders o WHERE o.customer_id = g.customer_id AND o.day = min(g.day))
       FROM orders g WHERE g.day <= @asOf ${range.sql ? `AND ${range.sql}` : ''} GROUP BY g.customer_id ORDER BY g.customer_id`,
  )
    .raw()
    .iterate({ asOf: r.asOf, ...range.params }) as IterableIterator<number[]>;
  for (const row of rows) {
    ids.push(row[0]!);
    for (let k = 1; k < 7; k++) cols[k - 1]!.push(row[k]!);
  }
  const f = (k: number) => cols[k - 1]!.values();
  return { ids: ids.values(), days: f(1), spanDays: f(2), ageDays: f(3), orders: f(4), total: f(5), firstDay: f(6) };
}

/** Distinct purchase days after `from` up to `to`, per customer (the holdout's actual purchases). */
export function purchaseDaysBetween(db: Db, from: string, to: string): Map<number, number> {
  const rows = stmt(db, 'SELECT customer_id, count(DISTINCT day) FROM orders WHERE day > ? AND day <= ? GROUP BY customer_id').raw().all(from, to) as [number, number][];
  return new Map(rows);
}

export interface SavedClvRow {
  id: number;
  pAlive: number | null;
  purchases: number;
  spend: number;
  clv: number;
  valueClass: ValueClass;
}

/** Replaces the saved values with these, and the terms of the save, in one transaction. */
export function saveClv(db: Db, rows: { ids: Int32Array; pAlive: Float64Array | null; purchases: Float64Array; spend: Float64Array; clv: Float64Array; classes: Uint8Array }, terms: unknown): void {
  transaction(db, () => {
    stmt(db, 'DELETE FROM customer_clv').run();
    const out = rowWriter(db, 'customer_clv', ['customer_id', 'p_alive', 'purchases', 'spend', 'clv', 'value_class']);
    for (let i = 0; i < rows.ids.length; i++) out.add(rows.ids[i], rows.pAlive ? rows.pAlive[i] : null, rows.purchases[i], rows.spend[i], rows.clv[i], VALUE_CLASSES[rows.classes[i]!]);
    out.end();
    writeSetting(db, 'clv_saved', JSON.stringify(terms));
  });
}

/** One customer's saved values, and the terms of the save; null if none saved. */
export function savedClv(db: Db, customerId: number): { row: SavedClvRow; terms: Record<string, unknown> } | null {
  const row = stmt(db, 'SELECT customer_id AS id, p_alive AS pAlive, purchases, spend, clv, value_class AS valueClass FROM customer_clv WHERE customer_id = ?').get(customerId) as SavedClvRow | undefined;
  if (!row) return null;
  const raw = readSetting(db, 'clv_saved');
  return { row, terms: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
}

/** The terms of the last save (as-of day, unit, method, fitted parameters), or null if none. */
export function savedClvTerms(db: Db): Record<string, unknown> | null {
  const raw = readSetting(db, 'clv_saved');
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
}
