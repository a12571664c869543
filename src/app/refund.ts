// Refunding an order, as `crm order refund` does and `crm complaint resolve --refund` will: the
// order is read, the rule (core/refund.ts) says how much may go back, and the refund is written
// with the order's new amount in one transaction, or refused with one line saying what is left.
import type { Context } from '../context.js';
import { displayAmount } from '../core/money.js';
import { paidOf } from '../core/order.js';
import { refundAmount } from '../core/refund.js';
import { badInput } from '../errors.js';
import { cleanNote } from '../core/limits.js';
import { transaction, type Db } from '../store/db.js';
import { getOrder, type OrderRow } from '../store/order.js';
import { refundOrder } from '../store/refund.js';

export interface RefundRequest {
  orderId: number;
  /** Minor units; none: everything the shop still keeps of the order (a full refund). */
  amount?: number;
  note?: string | null;
  /** The complaint the refund settles. */
  complaintId?: number | null;
}

export interface RefundDone {
  refundId: number;
  /** What went back, minor units. */
  amount: number;
  /** The order as it stands after the refund. */
  order: OrderRow;
}

/**
 * Records a refund in the caller's write transaction, or in one of its own: bad input (exit 2,
 * nothing written) for an unknown order or a refund that is not positive or more than is left.
 * `money` shows an amount in the message (the shop's currency, the user's language).
 */
export function recordRefund(db: Db, r: RefundRequest, at: string, money: (minor: number) => string): RefundDone {
  return transaction(db, () => {
    const order = getOrder(db, r.orderId);
    if (!order) throw badInput('err.order.notFound', { id: r.orderId });
    const decided = refundAmount(order, r.amount);
    if ('refused' in decided) {
      const params = { id: order.id, paid: money(paidOf(order)), refunded: money(order.refunded), left: money(order.amount) };
      if (decided.refused === 'zero') throw badInput('err.refund.zero');
      if (decided.refused === 'nothingLeft') throw badInput('err.refund.nothingLeft', params);
      throw badInput(order.refunded > 0 ? 'err.refund.tooMuch' : 'err.refund.tooMuchFirst', params);
    }
    const refundId = refundOrder(db, { orderId: order.id, amount: decided.amount, at, note: cleanNote(r.note ?? ''), complaintId: r.complaintId ?? null });
    // The rule was checked in this transaction, so the order still keeps at least the amount.
    if (refundId === null) throw new Error(`order #${order.id} changed during its refund`);
    return { refundId, amount: decided.amount, order: getOrder(db, order.id)! };
  });
}

/** Refunds an order now, in its own transaction (see recordRefund). */
export async function refund(ctx: Context, r: RefundRequest): Promise<RefundDone> {
  const { currency } = await ctx.settings();
  return recordRefund(await ctx.db(), r, ctx.nowIso(), (m) => displayAmount(m, currency, ctx.lang));
}

