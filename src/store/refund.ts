// All SQL about refunds: each one a row of its own, and the order's amount and refunded moved by
// it in the same transaction (the orders' update trigger keeps the customer's totals current).
import { stmt, transaction, type Db } from './db.js';

export interface Refund {
  id: number;
  orderId: number;
  /** Integer minor units, more than zero. */
  amount: number;
  /** UTC instant, ISO 8601. */
  at: string;
  note: string | null;
  /** The complaint it settles, if any. */
  complaintId: number | null;
}

export type NewRefund = Omit<Refund, 'id'>;

/** A refund row alone, for an order written with its refunded amount already (an import). */
export function insertRefund(db: Db, r: NewRefund): number {
  return Number(
    stmt(db, 'INSERT INTO refunds (order_id, amount, at, note, complaint_id) VALUES (?, ?, ?, ?, ?)').run(r.orderId, r.amount, r.at, r.note, r.complaintId)
      .lastInsertRowid,
  );
}

/**
 * Gives `r.amount` of an order back: the refund row, and the order's amount down and refunded up
 * by as much, in one transaction (the caller's, if it is in one). Null, and nothing written, when
 * the order is gone or keeps less than that.
 */
export function refundOrder(db: Db, r: NewRefund): number | null {
  return transaction(db, () => {
    const moved = stmt(db, 'UPDATE orders SET amount = amount - ?, refunded = refunded + ? WHERE id = ? AND amount >= ?').run(r.amount, r.amount, r.orderId, r.amount);
    return moved.changes === 0 ? null : insertRefund(db, r);
  });
}

/** An order's refunds, oldest first. */
export function listRefunds(db: Db, orderId: number): Refund[] {
  return stmt(db, 'SELECT id, order_id AS orderId, amount, at, note, complaint_id AS complaintId FROM refunds WHERE order_id = ? ORDER BY at, id').all(orderId) as Refund[];
}
