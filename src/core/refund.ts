// Refunds against an order: how much one may give back. The shop keeps an order's amount; a refund
// moves part or all of it to refunded, so what was paid (amount + refunded) never changes and
// every report that sums amounts is net of refunds.
import type { Order } from './order.js';

/** Why a refund is refused: nothing asked for, nothing left to give back, or more than is left. */
export type RefundRefusal = 'zero' | 'nothingLeft' | 'tooMuch';

/**
 * How much a refund against an order gives back (minor units): `requested`, or everything still
 * kept when none is asked (a full refund). A refund is positive and never more than what is left,
 * the order's amount, so all refunds together never exceed what was paid.
 */
export function refundAmount(order: Pick<Order, 'amount'>, requested?: number): { amount: number } | { refused: RefundRefusal } {
  if (requested === undefined) return order.amount > 0 ? { amount: order.amount } : { refused: 'nothingLeft' };
  if (requested <= 0) return { refused: 'zero' };
  if (order.amount === 0) return { refused: 'nothingLeft' };
  return requested > order.amount ? { refused: 'tooMuch' } : { amount: requested };
}
