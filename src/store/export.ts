// The SQL of `crm export`: whole tables read in a stream, so an export of 1,000,000 customers
// holds one batch in memory at a time. Each export is one SQLite cursor (better-sqlite3's iterate):
// it keeps one read transaction open, so the file is a consistent snapshot even while another crm
// writes, and it allows the read-only queries that load each batch while it is open.
import type { Customer } from '../core/customer.js';
import type { InteractionType } from '../core/interaction.js';
import { CUSTOMER_SORTS, getCustomers, type CustomerFilter } from './customers.js';
import type { Db } from './db.js';
import type { InteractionRow } from './interactions.js';
import type { OrderRow } from './orders.js';

/** Customers loaded per query: large enough to be fast, small enough to keep memory flat. */
export const EXPORT_BATCH = 1000;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The same filter as `crm customer list` (src/store/customers.ts): every tag, city prefix, created since. */
function customerWhere(filter: CustomerFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  for (const tag of filter.tags ?? []) {
    clauses.push('c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)');
    params.push(tag);
  }
  if (filter.city) {
    clauses.push("c.city LIKE ? ESCAPE '\\'");
    params.push(`${escapeLike(filter.city)}%`);
  }
  if (filter.since) {
    clauses.push('c.created_at >= ?');
    params.push(filter.since);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

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

export interface OrderExportFilter {
  customerId?: number;
  /** Orders on or after this day (YYYY-MM-DD). */
  sinceDay?: string;
  limit?: number | null;
}

/**
 * Orders, newest first (as `crm order list`), one row at a time from one sorted query. (Sorting
 * only the ids and loading batches by id was slower where orders were not recorded in date order,
 * an imported history or the demo: each batch read pages all over the file.)
 */
export function orderRows(db: Db, f: OrderExportFilter): IterableIterator<OrderRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId !== undefined) (where.push('o.customer_id = ?'), params.push(f.customerId));
  if (f.sinceDay) (where.push('o.day >= ?'), params.push(f.sinceDay));
  return db
    .prepare(
      `SELECT o.id, o.customer_id AS customerId, o.external_id AS externalId, o.amount, o.ordered_at AS orderedAt,
         o.day, o.note, o.created_at AS createdAt, c.name AS customerName
       FROM orders o JOIN customers c ON c.id = o.customer_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`,
    )
    .iterate(...params, f.limit ?? -1) as IterableIterator<OrderRow>;
}

export interface InteractionExportFilter {
  customerId?: number;
  type?: InteractionType;
  /** At or after this instant (UTC ISO). */
  since?: string;
  limit?: number | null;
}

/** Interactions, newest first (as `crm log list`), one row at a time from one sorted query. */
export function interactionRows(db: Db, f: InteractionExportFilter): IterableIterator<InteractionRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId !== undefined) (where.push('i.customer_id = ?'), params.push(f.customerId));
  if (f.type) (where.push('i.type = ?'), params.push(f.type));
  if (f.since) (where.push('i.at >= ?'), params.push(f.since));
  return db
    .prepare(
      `SELECT i.id, i.customer_id AS customerId, i.type, i.note, i.at, i.created_at AS createdAt, c.name AS customerName
       FROM interactions i JOIN customers c ON c.id = i.customer_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY i.at DESC, i.id DESC LIMIT ?`,
    )
    .iterate(...params, f.limit ?? -1) as IterableIterator<InteractionRow>;
}
