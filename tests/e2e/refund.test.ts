// crm order refund: part of an order and then the rest, never more than is left; the customer's
// spend, the spend ranking, RFM, tiers and stats all net of refunds; refunds through an export and
// an import; an order removed with its refunds.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb, tempDir } from '../helpers/crm.js';

interface OrderJson {
  id: number;
  amount: string;
  refunded: string;
  paid: string;
  order_no: string | null;
  refunds?: { amount: string; note: string | null; at: string; complaint_id: number | null }[];
}
interface Profile {
  customer: { spend: string; orders: number };
  order_summary: { total: string; refunded: string };
}

function ok(args: string[], db: string) {
  const r = crm(args, { db });
  expect(r.code, r.stderr).toBe(0);
  return r;
}

/** 张伟: #1 ¥1,200 this month (SO-1) and #2 ¥100 last month; 李娜: #3 ¥1,000 this month. */
function shop(): string {
  const db = tempDb();
  ok(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], db);
  ok(['customer', 'add', '--name', '李娜', '--phone', '13900139000'], db);
  ok(['order', 'add', '张伟', '--amount', '1200', '--date', '2026-11-02', '--id', 'SO-1'], db);
  ok(['order', 'add', '张伟', '--amount', '100', '--date', '2026-10-15'], db);
  ok(['order', 'add', '李娜', '--amount', '1000', '--date', '2026-11-03'], db);
  return db;
}

const spendOf = (db: string, who: string) => crmJson<Profile>(['customer', 'show', who], { db });

describe('crm order refund', () => {
  it('refunds part of an order, then the rest; every report is net of the refund', () => {
    const db = shop();
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--sort', 'spend'], { db }).map((c) => c.name)).toEqual(['张伟', '李娜']);

    const part = ok(['order', 'refund', '1', '--amount', '¥301', '--note', '少发一件'], db);
    expect(part.stdout).toBe('Refunded ¥301.00 of order #1 (张伟): ¥1,200.00 paid, ¥301.00 refunded in all, ¥899.00 kept\n');

    // The customer's spend: ¥1,300 paid, ¥301 back.
    const profile = spendOf(db, '张伟');
    expect(profile.customer).toMatchObject({ spend: '999.00', orders: 2 });
    expect(profile.order_summary).toMatchObject({ total: '999.00', refunded: '301.00' });
    const text = ok(['customer', 'show', '张伟'], db).stdout;
    expect(text).toContain('2 order(s), ¥999.00 in all net of refunds (average ¥499.50)');
    expect(text).toContain('; ¥301.00 refunded');
    expect(text).toMatch(/2026-11-02 +¥899\.00 \(¥301\.00 refunded\)/);
    // Now below 李娜's ¥1,000.
    expect(crmJson<{ name: string; spend: string }[]>(['customer', 'list', '--sort', 'spend'], { db }).map((c) => [c.name, c.spend])).toEqual([
      ['李娜', '1000.00'],
      ['张伟', '999.00'],
    ]);
    // RFM: the spend of every segment adds up to what the shop kept.
    const segments = crmJson<{ segment: string; customers: number; avg_spend: string }[]>(['rfm'], { db });
    expect(segments.reduce((s, g) => s + g.customers * Number(g.avg_spend), 0)).toBeCloseTo(1999, 2);
    const monetary = segments.flatMap((g) => crmJson<{ name: string; spend: string }[]>(['rfm', '--segment', g.segment], { db }));
    expect(Object.fromEntries(monetary.map((c) => [c.name, c.spend]))).toEqual({ 张伟: '999.00', 李娜: '1000.00' });
    // Tiers: ¥999 no longer reaches 银卡 at ¥1,000.
    ok(['tier', 'set', '普通=0', '银卡=1000'], db);
    const moves = crmJson<{ name: string; to: string; spend: string }[]>(['tier', 'apply', '--dry-run'], { db });
    expect(moves.map((m) => [m.name, m.to, m.spend]).sort()).toEqual([
      ['张伟', '普通', '999.00'],
      ['李娜', '银卡', '1000.00'],
    ]);
    // Stats for November: ¥899 + ¥1,000 kept.
    const stats = crmJson<{ metric: string; current: unknown }[]>(['stats'], { db });
    expect(stats.find((m) => m.metric === 'revenue')?.current).toBe('1899.00');

    // The rest: a refund without --amount gives back all that is left.
    const rest = ok(['order', 'refund', '1'], db);
    expect(rest.stdout).toBe('Refunded ¥899.00 of order #1 (张伟): ¥1,200.00 paid, ¥1,200.00 refunded in all, ¥0.00 kept\n');
    const order = crmJson<OrderJson>(['order', 'show', '1'], { db });
    expect(order).toMatchObject({ amount: '0.00', refunded: '1200.00', paid: '1200.00', order_no: 'SO-1' });
    expect(order.refunds!.map((r) => [r.amount, r.note, r.at])).toEqual([
      ['301.00', '少发一件', '2026-11-22T10:00:00+08:00'],
      ['899.00', null, '2026-11-22T10:00:00+08:00'],
    ]);
    expect(spendOf(db, '张伟').customer.spend).toBe('100.00');
    expect(crmJson<{ metric: string; current: unknown }[]>(['stats'], { db }).find((m) => m.metric === 'revenue')?.current).toBe('1000.00');
    // The order table shows what was refunded and paid once an order has a refund.
    const table = ok(['order', 'list'], db).stdout;
    expect(table).toContain('Refunded');
    expect(table).toMatch(/SO-1/);
    expect(table).toMatch(/¥0\.00 +│ +¥1,200\.00 +│ +¥1,200\.00/);

    const again = crm(['order', 'refund', '1'], { db });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('crm: order #1 was ¥1,200.00, ¥1,200.00 already refunded: nothing is left to refund\n');
  });

  it('refuses a refund larger than what is left, or not positive, or of no order: exit 2, nothing changed', () => {
    const db = shop();
    ok(['order', 'refund', '3', '--amount', '50'], db);
    const before = [ok(['order', 'show', '3', '--format', 'json'], db).stdout, ok(['customer', 'show', '李娜', '--format', 'json'], db).stdout];
    const cases: [string[], string][] = [
      [['3', '--amount', '950.01'], 'crm: order #3 was ¥1,000.00, ¥50.00 already refunded: at most ¥950.00 can be refunded\n'],
      [['3', '--amount', '0'], 'crm: a refund must be more than zero\n'],
      [['3', '--amount', '-5'], 'crm: amount: "-5" is negative; record a refund with crm order refund <id>\n'],
      [['3', '--amount', '$5'], "crm: amount: \"$5\" is not in the shop's currency, CNY\n"],
      [['2', '--amount', '100.01'], 'crm: order #2 was ¥100.00: at most ¥100.00 can be refunded\n'],
      [['99'], 'crm: no order #99\n'],
    ];
    for (const [args, message] of cases) {
      const r = crm(['order', 'refund', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(message);
    }
    expect([ok(['order', 'show', '3', '--format', 'json'], db).stdout, ok(['customer', 'show', '李娜', '--format', 'json'], db).stdout]).toEqual(before);
    expect(crmJson<OrderJson>(['order', 'show', '2'], { db })).toMatchObject({ amount: '100.00', refunded: '0.00', refunds: [] });
    // In Chinese too.
    const zh = crm(['order', 'refund', '3', '--amount', '1000'], { db, env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain('订单 #3 实付 ¥1,000.00，已退款 ¥50.00：最多还能退 ¥950.00');
  });

  it('carries refunds through an export and an import: the same net amounts and refunds, and again changes nothing', () => {
    const [from, to] = [shop(), tempDb()];
    ok(['order', 'refund', '1', '--amount', '200'], from);
    ok(['order', 'refund', '2'], from);
    const dir = tempDir();
    const file = (name: string) => path.join(dir, name);
    ok(['export', 'customers', '--out', file('c.csv')], from);
    ok(['export', 'orders', '--out', file('o1.csv')], from);
    ok(['import', 'customers', file('c.csv')], to);
    expect(ok(['import', 'orders', file('o1.csv')], to).stdout).toContain('inserted 3');
    ok(['export', 'orders', '--out', file('o2.csv')], to);
    const rows = (f: string) =>
      fs
        .readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(',').slice(1).join(','));
    expect(rows(file('o2.csv'))).toEqual(rows(file('o1.csv')));
    expect(fs.readFileSync(file('o2.csv'), 'utf8')).toContain('2026-11-02,2026-11-02T00:00:00+08:00,1,张伟,1000.00,200.00,1200.00,SO-1');
    expect(spendOf(to, '张伟').customer.spend).toBe('1000.00');
    expect(spendOf(to, '张伟').order_summary.refunded).toBe('300.00');
    // Each imported refund is one refund at the order's time.
    const so1 = crmJson<OrderJson[]>(['order', 'list'], { db: to }).find((o) => o.order_no === 'SO-1')!;
    expect(crmJson<OrderJson>(['order', 'show', String(so1.id)], { db: to }).refunds!.map((r) => [r.amount, r.at])).toEqual([['200.00', '2026-11-02T00:00:00+08:00']]);
    expect(ok(['import', 'orders', file('o1.csv')], to).stdout).toContain('inserted 0, updated 0, unchanged 3');
    expect(ok(['import', 'orders', file('o1.csv')], from).stdout).toContain('inserted 0, updated 0, unchanged 3');
    // The till's own file (what was paid) seen again after a refund in crm: the same orders.
    fs.writeFileSync(file('till.csv'), '订单号,手机,日期,实付金额\nSO-1,13800138000,2026-11-02,1200\n,13800138000,2026-10-15,100\n');
    expect(ok(['import', 'orders', file('till.csv')], from).stdout).toContain('inserted 0, updated 0, unchanged 2');
    expect(spendOf(from, '张伟').customer.spend).toBe('1000.00');
    // A till file that says more went back than crm knows is refused, pointing to crm order refund.
    fs.writeFileSync(file('till2.csv'), '订单号,手机,日期,实付金额,退款金额\nSO-1,13800138000,2026-11-02,1200,500\n');
    const more = crm(['import', 'orders', file('till2.csv'), '--rejects', file('r.csv')], { db: from });
    expect(more.stdout).toContain('rejected 1');
    expect(fs.readFileSync(file('r.csv'), 'utf8')).toContain('record the refund with crm order refund');
  });

  it('removes an order with its refunds, the spend dropping by what the shop kept of it', () => {
    const db = shop();
    ok(['order', 'refund', '1', '--amount', '301'], db);
    expect(ok(['order', 'rm', '1', '--yes'], db).stdout).toBe('Removed order #1 (张伟, ¥899.00 after ¥301.00 refunded) and its refunds\n');
    expect(spendOf(db, '张伟').customer).toMatchObject({ spend: '100.00', orders: 1 });
    expect(spendOf(db, '张伟').order_summary.refunded).toBe('0.00');
    expect(crm(['order', 'show', '1'], { db }).code).toBe(1);
    const file = new Database(db, { readonly: true });
    try {
      expect(file.prepare('SELECT count(*) AS n FROM refunds').get()).toEqual({ n: 0 });
    } finally {
      file.close();
    }
  });
});
