// The refund rule: positive, never more than what the order still keeps, all of it by default; and
// how an order file's refunded column is read (the amount column is what was paid).
import { describe, expect, it } from 'vitest';
import { decideOrder, mapColumns, orderFromRow, RowError, type OrderLookups } from '../../src/core/import/index.js';
import { paidOf } from '../../src/core/order.js';
import { refundAmount } from '../../src/core/refund.js';

describe('refundAmount', () => {
  const cases: [string, number, number | undefined, ReturnType<typeof refundAmount>][] = [
    ['all that is left by default', 18000, undefined, { amount: 18000 }],
    ['a part', 18000, 5000, { amount: 5000 }],
    ['exactly what is left', 13000, 13000, { amount: 13000 }],
    ['one fen more than is left', 13000, 13001, { refused: 'tooMuch' }],
    ['zero', 18000, 0, { refused: 'zero' }],
    ['nothing left, by default', 0, undefined, { refused: 'nothingLeft' }],
    ['nothing left, an amount', 0, 100, { refused: 'nothingLeft' }],
  ];
  it.each(cases)('%s', (_, amount, requested, expected) => {
    expect(refundAmount({ amount }, requested)).toEqual(expected);
  });

  it('keeps what was paid: amount + refunded', () => {
    expect(paidOf({ amount: 13000, refunded: 5000 })).toBe(18000);
  });
});

describe('an order file with a refunded column', () => {
  const ctx = { country: 'CN', currency: 'CNY', zone: 'Asia/Shanghai', dateOrders: new Map() };
  const read = (header: string[], row: string[]) => orderFromRow(row, mapColumns('orders', header), ctx);

  it("reads crm's own export: paid wins over amount, and the order keeps paid minus refunded", () => {
    const header = ['id', 'day', 'ordered_at', 'customer_id', 'customer', 'amount', 'refunded', 'paid', 'order_no', 'note'];
    const map = mapColumns('orders', header);
    expect(map.filter((c) => c.target === 'amount').map((c) => c.header)).toEqual(['paid']);
    const o = read(header, ['1', '2026-10-01', '2026-10-01T00:00:00+08:00', '1', '张伟', '130.00', '50.00', '180.00', 'SO-1', '']);
    expect([o.amount, o.refunded]).toEqual([13000, 5000]);
  });

  it('reads a till export: 实付金额 and 退款金额', () => {
    const o = read(['订单号', '手机', '日期', '实付金额', '退款金额'], ['T1', '13800138000', '2026-10-01', '180', '180']);
    expect([o.amount, o.refunded]).toEqual([0, 18000]);
    expect(read(['订单号', '手机', '日期', '实付金额', '退款金额'], ['T2', '13800138000', '2026-10-01', '180', '']).refunded).toBe(0);
  });

  it('refuses a row that refunds more than was paid, naming the column', () => {
    try {
      read(['phone', 'date', 'paid', 'refunded'], ['13800138000', '2026-10-01', '100', '120']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RowError);
      expect((e as RowError).column).toBe('refunded');
    }
  });

  it('takes an order seen again as the same when paid agrees; more refunded in the file than recorded is told', () => {
    const known = { customerId: 1, amount: 13000, refunded: 5000, orderedAt: '2026-09-30T16:00:00.000Z' };
    const look: OrderLookups = {
      customerById: () => true,
      customersByExternalId: () => [],
      customersByPhone: () => [1],
      customersByEmail: () => [],
      customersByName: () => [],
      orderByNumber: () => known,
    };
    const row = (amount: number, refunded: number) => ({ orderNo: 'T1', amount, refunded, at: known.orderedAt, day: '2026-10-01', note: null, customer: { id: null, externalId: null, phone: '+8613800138000', email: null, name: null } });
    expect(decideOrder(row(18000, 0), false, look)).toEqual({ action: 'unchanged' }); // the till's file, refunded in crm since
    expect(decideOrder(row(13000, 5000), false, look)).toEqual({ action: 'unchanged' }); // crm's own export
    expect(decideOrder(row(10000, 8000), false, look)).toMatchObject({ action: 'reject', error: { id: 'err.import.orderRefundedSince' } });
    expect(decideOrder(row(20000, 0), false, look)).toMatchObject({ action: 'reject', error: { id: 'err.import.orderNoTaken' } });
  });
});
