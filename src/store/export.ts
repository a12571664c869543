// The SQL of `crm export`: whole tables read in a stream, so an export of 1,000,000 customers
// holds one batch in memory at a time. Each export is one SQLite cursor (better-sqlite3's iterate):
// it keeps one read transaction open, so the file is a consistent snapshot even while another crm
// writes, and it allows the read-only queries that load each batch while it is open.
import type { Customer } from '../core/customer.js';
import { CUSTOMER_SORTS, customerWhere, getCustomers, type CustomerFilter } from './customer.js';
import type { Db } from './db.js';

/** Customers loaded per query: large enough to be fast, small enough to keep memory flat. */
export const EXPORT_BATCH = 1000;

/** Every custom field key of the customers a filter selects, sorted (one column each). */
export function customFieldKeys(db: Db, filter: CustomerFilter): string[] {
  const { where, params } = customerWhere(filter);
  const rows = db.prepare(`SELECT DISTINCT f.key AS key FROM customers c, json_each(c.fields) f ${where}`).all(...params) as { key: string }[];
  // Sorted as JavaScript sorts (UTF-16), the order of the columns in `crm customer list`.
  return rows.map((r) => r.key).sort();
}

/** Loads the rows of a stream of ids in batches, in the order of the ids. */
function* inBatches<T>(ids: IterableIterator<number>, load: (ids: number[]) => T[], size: number): Generator<T[]> {
  let batch: number[] = [];
  for (const id of ids) {
    batch.push(id);
    if (batch.length === size) {
      yield load(batch);
      batch = [];
    }
  }
  if (batch.length > 0) yield load(batch);
}

/**
 * The customers a filter selects, in its sort order (the same ORDER BY as `crm customer list`,
 * ending in the id), as batches of full customers with phones and tags.
 */
export function customerBatches(db: Db, filter: CustomerFilter, size = EXPORT_BATCH): Generator<Customer[]> {
  const { where, params } = customerWhere(filter);
  const order = CUSTOMER_SORTS[filter.sort ?? 'id'];
  const ids = db.prepare(`SELECT c.id FROM customers c ${where} ORDER BY ${order} LIMIT ?`).pluck().iterate(...params, filter.limit ?? -1) as IterableIterator<number>;
  return inBatches(ids, (batch) => getCustomers(db, batch), size);
}
