// Orders and the order summary shown on a customer's profile.
import { daysBetween } from './dates.js';

export interface Order {
  id: number;
  customerId: number;
  /** Order number from the till or another system. */
  externalId: string | null;
  /** Integer minor units. */
  amount: number;
  /** UTC instant, ISO 8601. */
  orderedAt: string;
  /** Calendar day in the shop's zone. */
  day: string;
  note: string | null;
  createdAt: string;
}

export interface OrderSummary {
  count: number;
  /** Integer minor units. */
  total: number;
  /** Average order value, integer minor units; null without orders. */
  averageOrder: number | null;
  firstDay: string | null;
  lastDay: string | null;
  /** Mean days between distinct purchase days; null with fewer than two. */
  averageIntervalDays: number | null;
}

/** Summarizes a customer's orders (any order). */
export function summarizeOrders(orders: Pick<Order, 'amount' | 'day'>[]): OrderSummary {
  const days = [...new Set(orders.map((o) => o.day))].sort();
  const total = orders.reduce((s, o) => s + o.amount, 0);
  const firstDay = days[0] ?? null;
  const lastDay = days[days.length - 1] ?? null;
  const averageIntervalDays =
    days.length > 1 && firstDay && lastDay ? Math.round((daysBetween(firstDay, lastDay) / (days.length - 1)) * 10) / 10 : null;
  const averageOrder = orders.length > 0 ? Math.round(total / orders.length) : null;
  return { count: orders.length, total, averageOrder, firstDay, lastDay, averageIntervalDays };
}
