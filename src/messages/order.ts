// Messages: Orders.
import type { Entries } from './index.js';

export const orderMessages = {
  'cmd.order': { en: 'Record and list orders', zh: '记录和列出订单' },
  'cmd.order.add': { en: 'Record an order for a customer', zh: '为客户记录一笔订单' },
  'cmd.order.list': { en: "List orders, newest first (all, or one customer's)", zh: '列出订单，最新的在前（全部或某位客户的）' },
  'cmd.order.rm': { en: 'Remove an order by its id', zh: '按编号删除订单' },
  'arg.orderId': { en: 'order id (the id column of crm order list)', zh: '订单编号（crm order list 的编号列）' },
  'opt.amount': { en: 'amount, e.g. 128.50 or ¥1,280', zh: '金额，如 128.50 或 ¥1,280' },
  'opt.date': { en: 'when: YYYY-MM-DD, "YYYY-MM-DD HH:MM", today, yesterday (default: now)', zh: '时间：YYYY-MM-DD、"YYYY-MM-DD HH:MM"、today、yesterday（默认：现在）' },
  'opt.orderNo': { en: 'order number from the till or another system (kept unique)', zh: '收银或其他系统中的订单号（不可重复）' },
  'prompt.amount': { en: 'Amount', zh: '金额' },
  'msg.orderAdded': { en: 'Recorded order #{id}: {name}, {amount} on {day}', zh: '已记录订单 #{id}：{name}，{amount}，{day}' },
  'msg.orderRemoved': { en: 'Removed order #{id} ({name}, {amount})', zh: '已删除订单 #{id}（{name}，{amount}）' },
  'err.amount': { en: 'amount: "{value}" is not an amount such as 128.50', zh: '金额："{value}" 不是 128.50 这样的金额' },
  'err.amount.negative': { en: 'amount: "{value}" is negative; record refunds as a note or remove the order', zh: '金额："{value}" 为负数；退款请写在备注中或删除该订单' },
  'err.amount.precision': { en: 'amount: "{value}" has more than {digits} decimals', zh: '金额："{value}" 的小数位超过 {digits} 位' },
  'err.amount.currency': { en: 'amount: "{value}" is not in the shop\'s currency, {currency}', zh: '金额："{value}" 不是本店币种 {currency}' },
  'err.amount.required': { en: 'an order needs --amount', zh: '订单需要 --amount 金额' },
  'err.order.duplicate': { en: 'order number {id} is already recorded', zh: '订单号 {id} 已经记录过' },
  'err.order.notFound': { en: 'no order #{id}', zh: '没有订单 #{id}' },
} as const satisfies Entries;
