// Orders and the order summary shown on a customer's profile. An order's amount is what the shop
// kept (paid minus refunded, core/refund.ts), so every sum of amounts is net of refunds; what was
// paid is amount + refunded.
import { daysBetween } from './dates.js';

export interface Order {
  id: number;
  customerId: number;
  /** Order number from the till or another system. */
  externalId: string | null;
  /** What the shop kept: paid minus refunded, integer minor units. */
  amount: number;
  /** What went back to the customer, integer minor units. */
  refunded: number;
  /** UTC instant, ISO 8601. */
  orderedAt: string;
  /** Calendar day in the shop's zone. */
  day: string;
  note: string | null;
  createdAt: string;
}

export interface OrderSummary {
  count: number;
  /** Net of refunds, integer minor units. */
  total: number;
  /** What went back, integer minor units. */
  refunded: number;
  /** Average order value, integer minor units; null without orders. */
  averageOrder: number | null;
  firstDay: string | null;
  lastDay: string | null;
  /** Mean days between distinct purchase days; null with fewer than two. */
  averageIntervalDays: number | null;
}

/** Summarizes a customer's orders (any order), net of refunds. */
export function summarizeOrders(orders: Pick<Order, 'amount' | 'day' | 'refunded'>[]): OrderSummary {
  const days = [...new Set(orders.map((o) => o.day))].sort();
  const total = orders.reduce((s, o) => s + o.amount, 0);
  const refunded = orders.reduce((s, o) => s + o.refunded, 0);
  const firstDay = days[0] ?? null;
  const lastDay = days[days.length - 1] ?? null;
  const averageIntervalDays =
    days.length > 1 && firstDay && lastDay ? Math.round((daysBetween(firstDay, lastDay) / (days.length - 1)) * 10) / 10 : null;
  const averageOrder = orders.length > 0 ? Math.round(total / orders.length) : null;
  return { count: orders.length, total, refunded, averageOrder, firstDay, lastDay, averageIntervalDays };
}

/** What the customer paid for an order: what the shop kept plus what went back. */
export function paidOf(order: Pick<Order, 'amount' | 'refunded'>): number {
  return order.amount + order.refunded;
}
