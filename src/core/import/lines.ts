// Importing spreadsheets, orders in several rows: platforms write an order with several items as one
// row per line item (Shopify: the order's totals on its first row only; WooCommerce: the order's
// fields repeated on each). Consecutive rows with the same order number are one order; what the
// later rows add (their items) goes into its note.
import type { ImportedOrder } from './order-rows.js';
import { RowError } from './rows.js';

/**
 * Whether `row` is a line item of `order`, the order of the row above it: the same order number,
 * and no amount (Shopify) or the same amount and time (WooCommerce). A row without an amount that
 * continues no order is refused.
 */
export function continuesOrder(order: ImportedOrder | null, row: ImportedOrder): boolean {
  const same = order !== null && row.orderNo !== null && order.orderNo === row.orderNo;
  if (row.lineOnly) {
    if (!same) throw new RowError(null, 'err.import.lineWithoutOrder', { id: row.orderNo ?? '' });
    return true;
  }
  return same && order.amount === row.amount && order.refunded === row.refunded && order.at === row.at;
}

/** The order with a line item's row added: its note parts the order's note does not hold yet, after " | ". */
export function addLine(order: ImportedOrder, row: ImportedOrder): ImportedOrder {
  const fresh = row.noteParts.filter((p) => !order.noteParts.includes(p));
  if (fresh.length === 0) return order;
  const line = fresh.join('; ');
  return { ...order, noteParts: [...order.noteParts, ...fresh], note: order.note ? `${order.note} | ${line}` : line };
}
