// All SQL of lifecycle stages: every customer's distinct purchase days, read in one pass over the
// orders' (customer, day) index, a customer at a time.
import { dayNumber } from '../core/lifecycle.js';
import { stmt, type Db } from './db.js';

/**
 * Calls `fn` once per customer with an order on or before `upTo`, in id order, with their distinct
 * purchase days ascending as day numbers. The array is reused: copy it to keep it.
 */
export function forEachPurchaseHistory(db: Db, upTo: string, fn: (id: number, days: readonly number[]) => void): void {
  const numbers = new Map<string, number>();
  const days: number[] = [];
  let current = -1;
  for (const [id, day] of stmt(db, 'SELECT DISTINCT customer_id, day FROM orders WHERE day <= ? ORDER BY customer_id, day').raw().iterate(upTo) as IterableIterator<[number, string]>) {
    if (id !== current) {
      if (days.length > 0) fn(current, days);
      days.length = 0;
      current = id;
    }
    let n = numbers.get(day);
    if (n === undefined) numbers.set(day, (n = dayNumber(day)));
    days.push(n);
  }
  if (days.length > 0) fn(current, days);
}

/** Every customer's id, ascending. */
export function allCustomerIds(db: Db): Int32Array {
  return Int32Array.from(stmt(db, 'SELECT id FROM customers ORDER BY id').pluck().all() as number[]);
}
