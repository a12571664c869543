// All SQL of lifecycle stages: every customer's distinct purchase days, read in one pass over the
// orders' (customer, day) index (on a large book in two halves at once, split-read.ts).
import type { PurchaseHistories } from '../core/lifecycle.js';
import { Column } from './column.js';
import { stmt, type Db } from './db.js';
import { idCondition, splitReadParts, type IdRange } from './split-read.js';

/**
 * Every customer with an order on or before `upTo`, ascending ids, with their distinct purchase
 * days ascending (day numbers): one part or two, in id order (two halves are visited in turn, not
 * copied into one).
 */
export function purchaseHistories(db: Db, upTo: string): Promise<PurchaseHistories[]> {
  return splitReadParts(db, import.meta.url, purchaseHistoriesIn, { upTo });
}

/**
 * purchaseHistories over a range of customer ids. SQLite hands over one row per customer, the
 * days as a list of day numbers (a row per order cost 1 µs each: 10M orders, 10.5 s; this, 2 s),
 * parsed here; the scan gives each customer's days in order, repeats side by side.
 */
export function purchaseHistoriesIn(db: Db, r: { upTo: string } & IdRange): PurchaseHistories {
  const range = idCondition('customer_id', r);
  const rows = stmt(db, `SELECT customer_id, group_concat(unixepoch(day) / 86400) FROM orders WHERE day <= @upTo ${range.sql ? `AND ${range.sql}` : ''} GROUP BY customer_id ORDER BY customer_id`)
    .raw()
    .iterate({ upTo: r.upTo, ...range.params }) as IterableIterator<[number, string]>;
  const ids = new Column(Int32Array);
  const starts = new Column(Int32Array);
  starts.push(0);
  let days = new Int32Array(1 << 16);
  let n = 0;
  for (const [id, list] of rows) {
    if (n + list.length / 2 + 1 > days.length) {
      const more = new Int32Array(Math.max(Math.ceil(days.length * 1.5), n + list.length));
      more.set(days.subarray(0, n));
      days = more;
    }
    const first = n;
    let sorted = true;
    let value = 0;
    let negative = false;
    for (let i = 0; i <= list.length; i++) {
      const c = i < list.length ? list.charCodeAt(i) : 44;
      if (c === 44) {
        const d = negative ? -value : value;
        if (n === first || days[n - 1] !== d) {
          if (n > first && d < days[n - 1]!) sorted = false;
          days[n++] = d;
        }
        value = 0;
        negative = false;
      } else if (c === 45) negative = true;
      else value = value * 10 + (c - 48);
    }
    if (!sorted) n = first + dedupeSorted(days.subarray(first, n).sort());
    ids.push(id);
    starts.push(n);
  }
  return { ids: ids.values(), starts: starts.values(), days: days.subarray(0, n) };
}

/** Drops repeats from a sorted run in place; its new length. */
function dedupeSorted(xs: Int32Array): number {
  let k = 0;
  for (let i = 0; i < xs.length; i++) if (k === 0 || xs[i] !== xs[k - 1]) xs[k++] = xs[i]!;
  return k;
}

/** Every customer's id, ascending. */
export function allCustomerIds(db: Db): Int32Array {
  return Int32Array.from(stmt(db, 'SELECT id FROM customers ORDER BY id').pluck().all() as number[]);
}
