import { describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';

describe('orders', () => {
  it('records orders in integer fen and lists them newest first in every format', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { db });
    const add = crm(['order', 'add', '13800138000', '--amount', '¥1,280.50', '--date', '2026-02-14', '--id', 'SO-1', '--note', '情人节礼盒'], { db });
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toBe('Recorded order #1: 张伟, ¥1,280.50 on 2026-02-14\n');
    crm(['order', 'add', '张伟', '--amount', '99.9'], { db }); // no date: now, from CRM_NOW
    expect(crmJson(['order', 'list'], { db })).toEqual([
      { id: 2, day: '2026-11-22', ordered_at: '2026-11-22T10:00:00+08:00', customer_id: 1, customer: '张伟', amount: '99.90', refunded: '0.00', paid: '99.90', order_no: null, note: null },
      { id: 1, day: '2026-02-14', ordered_at: '2026-02-14T00:00:00+08:00', customer_id: 1, customer: '张伟', amount: '1280.50', refunded: '0.00', paid: '1280.50', order_no: 'SO-1', note: '情人节礼盒' },
    ]);
    expect(crm(['order', 'list', '--format', 'csv'], { db }).stdout.split('\n')[2]).toBe('1,2026-02-14,2026-02-14T00:00:00+08:00,1,张伟,1280.50,0.00,1280.50,SO-1,情人节礼盒');
    expect(crmJson<unknown[]>(['order', 'list', '--since', '2026-03-01'], { db })).toHaveLength(1);
    const shown = crmJson<Record<string, unknown>>(['customer', 'show', '张伟'], { db });
    expect(shown.customer).toMatchObject({ orders: 2, spend: '1380.40', first_order: '2026-02-14', last_order: '2026-11-22' });
    expect(shown.order_summary).toEqual({ count: 2, total: '1380.40', refunded: '0.00', average_order: '690.20', first_day: '2026-02-14', last_day: '2026-11-22', average_interval_days: 281 });
    expect((shown.recent_orders as { order_no: string }[]).map((o) => o.order_no)).toEqual([null, 'SO-1']);
  });

  it('refuses malformed amounts and dates with the value in the message, writing nothing', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟'], { db });
    const cases: [string[], string][] = [
      [['--amount', '12.345'], 'amount: "12.345" has more than 2 decimals'],
      [['--amount', 'abc'], 'amount: "abc" is not an amount such as 128.50'],
      [['--amount', '-5'], 'amount: "-5" is negative; record a refund with crm order refund <id>'],
      [['--amount', '5', '--date', '2023-13-45'], 'time: "2023-13-45" is not a date or time'],
      [[], 'an order needs --amount'],
      [['--amount', '5', '--date', '2026-11-23'], 'the order date 2026-11-23 is in the future (today is 2026-11-22); nothing was recorded'],
      [['--amount', '5', '--date', '2027-11-22'], 'if it really is so, add --allow-future'],
    ];
    for (const [flags, message] of cases) {
      const r = crm(['order', 'add', '张伟', ...flags], { db });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toEqual([]);
    expect(crm(['order', 'add', '张伟', '--amount', '5', '--date', '2026-11-22 23:30'], { db }).code).toBe(0);
    expect(crm(['order', 'add', '张伟', '--amount', '5', '--date', '2026-12-24', '--allow-future'], { db }).code).toBe(0);
    expect(crmJson<{ day: string }[]>(['order', 'list'], { db }).map((o) => o.day)).toEqual(['2026-12-24', '2026-11-22']);
  });

  it('refuses a birthday in the future on customer add and edit unless --allow-future', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟', '--birthday', '1990-03-05'], { db });
    for (const args of [['customer', 'add', '--name', '李娜', '--birthday', '2030-03-05'], ['customer', 'edit', '张伟', '--birthday', '2030-03-05']]) {
      const r = crm(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe('crm: birthday: 2030-03-05 is in the future (today is 2026-11-22)\nif it really is so, add --allow-future\n');
    }
    expect(crm(['customer', 'add', '--name', '李娜', '--birthday', '12-25'], { db }).code).toBe(0); // no year: every year
    expect(crm(['customer', 'edit', '张伟', '--birthday', '2030-03-05', '--allow-future'], { db }).code).toBe(0);
    expect(crm(['customer', 'edit', '张伟', '--city', '上海'], { db }).code).toBe(0); // the stored birthday is not checked again
    expect(crmJson<{ name: string; birthday: string }[]>(['customer', 'list', '--columns', 'name,birthday'], { db })).toEqual([
      { name: '张伟', birthday: '2030-03-05' },
      { name: '李娜', birthday: '--12-25' },
    ]);
  });

  it('keeps order numbers unique and removes an order, updating the customer totals', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟'], { db });
    crm(['order', 'add', '张伟', '--amount', '10', '--id', 'A1'], { db });
    const dup = crm(['order', 'add', '张伟', '--amount', '10', '--id', 'A1'], { db });
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('order number A1 is already recorded');
    const unasked = crm(['order', 'rm', '1'], { db });
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toBe('crm: removing order #1 (张伟, ¥10.00) needs confirmation\nadd --yes to remove without asking\n');
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toHaveLength(1);
    expect(crm(['order', 'rm', '1', '--yes'], { db }).code).toBe(0);
    expect(crm(['order', 'rm', '1', '--yes'], { db }).code).toBe(1);
    expect(crmJson<{ customer: unknown }>(['customer', 'show', '张伟'], { db }).customer).toMatchObject({ orders: 0, spend: '0.00', last_order: null });
  });
});

describe('interactions', () => {
  it('records calls, visits and messages and lists them, filtered', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { db });
    crm(['customer', 'add', '--name', 'Emily'], { db });
    expect(crm(['log', '13800138000', '--type', 'call', '--note', '回访：对新品很满意', '--at', '2026-11-20 15:30'], { db }).stdout).toBe(
      'Recorded call #1 with 张伟 at 2026-11-20 15:30\n',
    );
    crm(['log', 'add', 'Emily', '--type', '微信', '--note', 'sent the catalogue'], { db });
    // No note, no TTY: refused, nothing recorded (an empty --note too).
    for (const note of [[], ['--note', '  ']]) {
      const empty = crm(['log', 'Emily', '--type', 'visit', ...note], { db });
      expect(empty.code).toBe(2);
      expect(empty.stderr).toContain('crm: an interaction needs a note saying what happened; nothing was recorded');
    }
    expect(crmJson(['log', 'list', '13800138000'], { db })).toEqual([
      { id: 1, at: '2026-11-20T15:30:00+08:00', customer_id: 1, customer: '张伟', type: 'call', note: '回访：对新品很满意' },
    ]);
    expect(crmJson<{ type: string }[]>(['log', 'list', '--type', 'message'], { db }).map((r) => r.type)).toEqual(['message']);
    expect(crmJson<unknown[]>(['log', 'list', '--since', '1d'], { db })).toHaveLength(1);
    const bad = crm(['log', 'Emily', '--type', 'fax'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('type: "fax" is not one of call|visit|message|email|other');
  });
});
