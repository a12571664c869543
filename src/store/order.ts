// All SQL about orders (their refunds: store/refund.ts).
import type { Order } from '../core/order.js';
import { stmt, type Db } from './db.js';

/** An order as written: everything but the id and the time it was recorded; refunded defaults to 0. */
export type NewOrder = Omit<Order, 'id' | 'createdAt' | 'refunded'> & { refunded?: number };

export interface OrderRow extends Order {
  customerName: string;
}

const SELECT = `SELECT o.id, o.customer_id AS customerId, o.external_id AS externalId, o.amount, o.refunded, o.ordered_at AS orderedAt,
  o.day, o.note, o.created_at AS createdAt, c.name AS customerName
  FROM orders o JOIN customers c ON c.id = o.customer_id`;

export function insertOrder(db: Db, o: NewOrder, now: string): number {
  return Number(
    stmt(db, 'INSERT INTO orders (customer_id, external_id, amount, refunded, ordered_at, day, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      o.customerId,
      o.externalId,
      o.amount,
      o.refunded ?? 0,
      o.orderedAt,
      o.day,
      o.note,
      now,
    ).lastInsertRowid,
  );
}

export function getOrder(db: Db, id: number): OrderRow | null {
  return (stmt(db, `${SELECT} WHERE o.id = ?`).get(id) as OrderRow | undefined) ?? null;
}

export function findOrderByExternalId(db: Db, externalId: string): OrderRow | null {
  return (stmt(db, `${SELECT} WHERE o.external_id = ?`).get(externalId) as OrderRow | undefined) ?? null;
}

/** The highest order id: orders above it were written after this moment. */
export function maxOrderId(db: Db): number {
  return (stmt(db, 'SELECT coalesce(max(id), 0) AS n FROM orders').get() as { n: number }).n;
}

/**
 * How many orders up to id `upTo` have exactly these values (an order without a number, seen again);
 * `paid` is compared with amount + refunded, so an order refunded since still answers its row.
 */
export function countSameOrders(db: Db, o: Pick<NewOrder, 'customerId' | 'orderedAt' | 'note'> & { paid: number }, upTo: number): number {
  return (
    stmt(db, 'SELECT count(*) AS n FROM orders WHERE customer_id = ? AND ordered_at = ? AND amount + refunded = ? AND note IS ? AND id <= ?').get(
      o.customerId,
      o.orderedAt,
      o.paid,
      o.note,
      upTo,
    ) as { n: number }
  ).n;
}

/** Removes an order (its refunds go with it). */
export function deleteOrder(db: Db, id: number): boolean {
  return stmt(db, 'DELETE FROM orders WHERE id = ?').run(id).changes > 0;
}

export interface OrderFilter {
  customerId?: number;
  /** Orders on or after this day (YYYY-MM-DD). */
  sinceDay?: string;
  limit?: number | null;
}

/** Newest first, one row at a time (an export holds one row in memory). */
export function iterateOrders(db: Db, f: OrderFilter): IterableIterator<OrderRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId !== undefined) (where.push('o.customer_id = ?'), params.push(f.customerId));
  if (f.sinceDay) (where.push('o.day >= ?'), params.push(f.sinceDay));
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`;
  return db.prepare(sql).iterate(...params, f.limit ?? -1) as IterableIterator<OrderRow>;
}

/** Newest first. */
export function listOrders(db: Db, f: OrderFilter): OrderRow[] {
  return [...iterateOrders(db, f)];
}

export function countOrders(db: Db): { orders: number; revenue: number } {
  return stmt(db, 'SELECT count(*) AS orders, coalesce(sum(amount), 0) AS revenue FROM orders').get() as { orders: number; revenue: number };
}
