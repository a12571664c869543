// crm coupon and crm order add --coupon as a shop owner uses them: a coupon given by hand, listed,
// redeemed with an order, and every refusal (used, expired, typo'd, never issued, someone else's,
// below the minimum spend) leaving no order behind; a merge carries the coupons. One shop, the
// tests in order.
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';

interface CouponJson {
  code: string;
  customer_id: number | null;
  customer: string | null;
  value: string;
  min_spend: string | null;
  expires_on: string;
  status: string;
  issued_at: string;
  redeemed_at: string | null;
  order_id: number | null;
  rule: string | null;
}

const db = tempDb();
const run = (args: string[], env: Record<string, string> = {}) => crm(args, { db, env });
const orderCount = () => crmJson<unknown[]>(['order', 'list'], { db }).length;
/** The code in a line ("Issued coupon K7M2P-9QX4R to ..."). */
const codeIn = (line: string) => /[A-Z2-9]{5}-[A-Z2-9]{5}/.exec(line)![0];

/** The same code with one character changed to another of the alphabet. */
function typo(code: string): string {
  const i = 7;
  return code.slice(0, i) + (code[i] === 'X' ? 'Y' : 'X') + code.slice(i + 1);
}

/** Refused with exit 2 and this line, and no order written. */
function refused(args: string[], line: string, env: Record<string, string> = {}) {
  const before = orderCount();
  const r = run(['order', 'add', ...args], env);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toContain(line);
  expect(r.stdout).toBe('');
  expect(orderCount()).toBe(before);
  return r;
}

let twenty = '';

beforeAll(() => {
  run(['customer', 'add', '--name', '张伟', '--phone', '13800138000']);
  run(['customer', 'add', '--name', 'Emily', '--phone', '13900139000']);
  run(['customer', 'add', '--name', '张伟', '--phone', '13700137000', '--note', 'WeChat account']);
});

describe('coupons', () => {
  it('issues a coupon by hand and lists it with its code in readable form', () => {
    const r = run(['coupon', 'issue', '13800138000', '--value', '20/100']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Issued coupon [A-Z2-9]{5}-[A-Z2-9]{5} to 张伟: ¥20.00 off orders of ¥100.00 or more, until 2026-12-22\n$/);
    twenty = codeIn(r.stdout);
    expect(crmJson<CouponJson[]>(['coupon', 'list'], { db })).toEqual([
      {
        code: twenty,
        customer_id: 1,
        customer: '张伟',
        value: '20.00',
        min_spend: '100.00',
        expires_on: '2026-12-22',
        status: 'issued',
        issued_at: '2026-11-22T10:00:00+08:00',
        redeemed_at: null,
        order_id: null,
        rule: null,
      },
    ]);
    const zh = run(['--lang', 'zh', 'coupon', 'issue', 'Emily', '--value', '9折', '--until', '2026-11-30']);
    expect(zh.stdout).toMatch(/^已给 Emily 发放优惠券 [A-Z2-9-]{11}：9折，有效期至 2026-11-30\n$/);
    expect(crmJson<CouponJson>(['coupon', 'show', codeIn(zh.stdout)], { db })).toMatchObject({ customer: 'Emily', value: '10%', min_spend: null });
  });

  it('refuses a coupon value or an expiry it cannot read', () => {
    for (const [args, line] of [
      [['--value', 'lots'], 'value: "lots" is not a coupon value such as 20, 10% or 20/100'],
      [['--value', '150%'], 'value: "150%" must be 1% to 99% off'],
      [['--value', '20', '--until', '2026-11-01'], '--until: 2026-11-01 is before today (2026-11-22)'],
      [['--value', '20', '--days', '0'], '--days'],
    ] as const) {
      const r = run(['coupon', 'issue', '13800138000', ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(line);
    }
  });

  it('never shows the secret the codes are made with', () => {
    const settings = crmJson<{ key: string }[]>(['config', 'list'], { db }).map((s) => s.key);
    expect(settings.some((k) => k.includes('coupon'))).toBe(false);
    expect(run(['config', 'get', 'coupon_secret']).code).toBe(2);
  });

  it('refuses an order below the minimum spend, and redeems the coupon with an order that reaches it', () => {
    refused(['13800138000', '--amount', '99.99', '--coupon', twenty], `coupon ${twenty} needs an order of ¥100.00 or more (this one is ¥99.99)`);
    const r = run(['order', 'add', '13800138000', '--amount', '100', '--coupon', twenty.toLowerCase().replace('-', ' ')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Recorded order #1: 张伟, ¥100.00 on 2026-11-22\nRedeemed coupon ${twenty}: ¥20.00 off orders of ¥100.00 or more\n`);
    expect(crmJson<CouponJson>(['coupon', 'show', twenty], { db })).toMatchObject({ status: 'redeemed', redeemed_at: '2026-11-22T10:00:00+08:00', order_id: 1 });
  });

  it('refuses a second redeem with the day and the order it was used for', () => {
    refused(['13800138000', '--amount', '300', '--coupon', twenty], `coupon ${twenty} was already used on 2026-11-22 for order #1`, { CRM_NOW: '2026-11-24T10:00:00+08:00' });
  });

  it("refuses a typo with a hint, a code never issued, and another customer's coupon", () => {
    const r = refused(['13800138000', '--amount', '100', '--coupon', typo(twenty)], `check the code: ${typo(twenty)} has a wrong character`);
    expect(r.stderr).toContain('a code is 10 characters from 2-9 and A-Z without I, L and O');
    refused(['13800138000', '--amount', '100', '--coupon', 'K7M2P-9QX4'], 'check the code: K7M2P9QX4 has a wrong character');
    // 2222222222 passes the check (every value is 0) but this shop never issued it.
    refused(['13800138000', '--amount', '100', '--coupon', '22222-22222'], 'no coupon 22222-22222 was issued by this shop');
    const emily = crmJson<CouponJson[]>(['coupon', 'list', 'Emily'], { db })[0]!.code;
    refused(['13800138000', '--amount', '100', '--coupon', emily], `coupon ${emily} was issued to another customer (#2)`);
    expect(run(['coupon', 'show', typo(twenty)]).stderr).toContain('has a wrong character');
  });

  it('refuses an expired coupon, saying on which day it expired, and lists it as expired', () => {
    const emily = crmJson<CouponJson[]>(['coupon', 'list', 'Emily'], { db })[0]!.code;
    const later = { CRM_NOW: '2026-12-01T10:00:00+08:00' };
    refused(['Emily', '--amount', '100', '--coupon', emily], `coupon ${emily} expired on 2026-11-30`, later);
    expect(crmJson<CouponJson[]>(['coupon', 'list', '--status', 'expired'], { db, env: later }).map((c) => c.code)).toEqual([emily]);
    // On its last day it was still good (an order back-dated to then).
    const r = run(['order', 'add', 'Emily', '--amount', '50', '--date', '2026-11-30', '--coupon', emily], later);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Redeemed coupon ${emily}: 10% off`);
  });

  it('filters the list by status and customer, in every format', () => {
    run(['coupon', 'issue', '13800138000', '--value', '10%', '--days', '7']);
    const status = (s: string) => crmJson<CouponJson[]>(['coupon', 'list', '--status', s], { db }).map((c) => [c.customer, c.status]);
    expect(status('issued')).toEqual([['张伟', 'issued']]);
    expect(status('redeemed')).toEqual([
      ['Emily', 'redeemed'],
      ['张伟', 'redeemed'],
    ]);
    expect(status('expired')).toEqual([]);
    expect(crmJson<CouponJson[]>(['coupon', 'list', '13800138000'], { db })).toHaveLength(2);
    const csv = run(['coupon', 'list', '--format', 'csv']).stdout.split('\n');
    expect(csv[0]).toBe('code,customer_id,customer,value,min_spend,expires_on,status,issued_at,redeemed_at,order_id,rule');
    expect(run(['coupon', 'list', '--format', 'ndjson']).stdout.trim().split('\n')).toHaveLength(3);
    expect(run(['coupon', 'list', '--limit', '1']).stdout).toContain('10% off');
    const bad = run(['coupon', 'list', '--status', 'gone']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('status: "gone" is not one of issued|redeemed|expired');
  });

  it('carries coupons into a merge and back out with its undo', () => {
    const issued = run(['coupon', 'issue', '13700137000', '--value', '5']);
    const code = codeIn(issued.stdout);
    const merged = run(['merge', '13800138000', '13700137000', '--yes']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(crmJson<CouponJson>(['coupon', 'show', code], { db })).toMatchObject({ customer_id: 1, customer: '张伟', status: 'issued' });
    expect(crmJson<CouponJson[]>(['coupon', 'list', '13800138000'], { db })).toHaveLength(3);
    const undo = run(['dedupe', 'undo', '1']);
    expect(undo.code, undo.stderr).toBe(0);
    expect(crmJson<CouponJson>(['coupon', 'show', code], { db })).toMatchObject({ customer_id: 3, customer: '张伟', status: 'issued' });
    expect(crmJson<CouponJson[]>(['coupon', 'list', '13800138000'], { db })).toHaveLength(2);
  });
});
