// Coupon codes (distinct, readable, keyed, every typo caught), what a coupon is worth as typed
// and as shown, and why one may not be redeemed.
import { describe, expect, it } from 'vitest';
import {
  CODE_ALPHABET,
  checkRedeem,
  codeFor,
  couponStatus,
  couponValueText,
  displayCode,
  normalizeCode,
  parseCouponSpec,
  parseCouponStatus,
  type Coupon,
} from '../../src/core/coupon.js';
import { errorOf } from '../helpers/errors.js';

const SECRET = Buffer.from('8f2c5e0a1b3d4f6789abcdef0123456789abcdef0123456789abcdef01234567', 'hex');
const ONLY_ALPHABET = new RegExp(`^[${CODE_ALPHABET}]{10}$`);

describe('coupon codes', () => {
  // 100,000 serials rather than a million (15 s of CPU, 1.2 s now). A Feistel network is a
  // permutation whatever its round function, so distinct codes can only be lost in the plumbing
  // around it: halves of the wrong width, a bit dropped on the way in or out, the base-31 digits.
  // Such a slip merges serials all over the range (a dropped bit: every serial with its neighbour),
  // which 100,000 consecutive serials show as surely as a million. The slip a sample of either size
  // could miss by chance, a digit lost at the top (31^8 codes left: a collision among 100,000 one
  // time in 170, among a million a little under one time in two), is caught for certain by every
  // position taking every one of the 31 characters. Each code's check character is verified too.
  it('gives 100,000 serials 100,000 distinct codes of 10 alphabet characters, each passing its check, every character at every position', () => {
    const N = 100_000;
    const seen = new Set<string>();
    const atPosition = Array.from({ length: 10 }, () => new Set<string>());
    for (let serial = 1; serial <= N; serial++) {
      const code = codeFor(SECRET, serial);
      if (!ONLY_ALPHABET.test(code)) throw new Error(`serial ${serial}: ${code}`);
      if (normalizeCode(code) !== code) throw new Error(`serial ${serial}: ${code} fails its check`);
      seen.add(code);
      for (let i = 0; i < 10; i++) atPosition[i]!.add(code[i]!);
    }
    expect(seen.size).toBe(N);
    expect(atPosition.map((chars) => chars.size)).toEqual(Array(10).fill(31));
    expect(normalizeCode(codeFor(SECRET, 1))).toBe(codeFor(SECRET, 1));
  });

  it('has an alphabet of 31 without look-alikes', () => {
    expect(CODE_ALPHABET).toHaveLength(31);
    expect(new Set(CODE_ALPHABET).size).toBe(31);
    for (const ch of '01ILO') expect(CODE_ALPHABET).not.toContain(ch);
  });

  it('catches every single wrong character and every swap of two neighbours in 1000 codes', () => {
    let edits = 0;
    for (let serial = 1; serial <= 1000; serial++) {
      const code = codeFor(SECRET, serial * 7919);
      for (let i = 0; i < code.length; i++) {
        for (const ch of CODE_ALPHABET) {
          if (ch === code[i]) continue;
          const typo = code.slice(0, i) + ch + code.slice(i + 1);
          if (normalizeCode(typo) !== null) throw new Error(`${code} -> ${typo} passed`);
          edits++;
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          if (normalizeCode(swapped) !== null) throw new Error(`${code} -> ${swapped} passed`);
          edits++;
        }
      }
    }
    expect(edits).toBeGreaterThan(1000 * 10 * 30);
  });

  it('gives different codes under a different secret, and the same under the same one', () => {
    const other = Buffer.alloc(32, 7);
    const a = Array.from({ length: 1000 }, (_, i) => codeFor(SECRET, i + 1));
    const b = Array.from({ length: 1000 }, (_, i) => codeFor(other, i + 1));
    expect(a.filter((code, i) => code === b[i])).toEqual([]);
    expect(new Set([...a, ...b]).size).toBe(2000);
    expect(codeFor(Buffer.from(SECRET), 42)).toBe(a[41]);
  });

  it('does not give neighbouring serials look-alike codes', () => {
    const a = codeFor(SECRET, 1000);
    const b = codeFor(SECRET, 1001);
    const same = [...a].filter((ch, i) => ch === b[i]).length;
    expect(same).toBeLessThan(5);
  });

  it('reads a code as typed: any case, spaces, dashes, full-width characters; null for a typo', () => {
    const code = codeFor(SECRET, 5);
    const shown = displayCode(code);
    expect(shown).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(shown.replace('-', '')).toBe(code);
    expect(normalizeCode(shown)).toBe(code);
    expect(normalizeCode(` ${shown.toLowerCase()} `)).toBe(code);
    expect(normalizeCode(code.replace(/(.{3})/g, '$1 '))).toBe(code);
    const fullWidth = [...shown].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('');
    expect(normalizeCode(fullWidth)).toBe(code);
    expect(normalizeCode(code.slice(0, 9))).toBeNull();
    expect(normalizeCode(`${code}2`)).toBeNull();
    expect(normalizeCode(`${code.slice(0, 9)}O`)).toBeNull();
    expect(normalizeCode('')).toBeNull();
  });
});

describe('parseCouponSpec', () => {
  const cases: [string, string, ReturnType<typeof parseCouponSpec>][] = [
    ['20', 'CNY', { kind: 'amount', value: 2000, minSpend: 0 }],
    ['¥20', 'CNY', { kind: 'amount', value: 2000, minSpend: 0 }],
    ['12.5元', 'CNY', { kind: 'amount', value: 1250, minSpend: 0 }],
    ['10%', 'CNY', { kind: 'percent', value: 10, minSpend: 0 }],
    ['１０％', 'CNY', { kind: 'percent', value: 10, minSpend: 0 }],
    ['20/100', 'CNY', { kind: 'amount', value: 2000, minSpend: 10000 }],
    ['¥20 / ¥100', 'CNY', { kind: 'amount', value: 2000, minSpend: 10000 }],
    ['10%/200', 'CNY', { kind: 'percent', value: 10, minSpend: 20000 }],
    ['9折', 'CNY', { kind: 'percent', value: 10, minSpend: 0 }],
    ['85折', 'CNY', { kind: 'percent', value: 15, minSpend: 0 }],
    ['8.5折', 'CNY', { kind: 'percent', value: 15, minSpend: 0 }],
    ['满100减20', 'CNY', { kind: 'amount', value: 2000, minSpend: 10000 }],
    ['满200打9折', 'CNY', { kind: 'percent', value: 10, minSpend: 20000 }],
    ['500', 'JPY', { kind: 'amount', value: 500, minSpend: 0 }],
  ];
  for (const [raw, currency, spec] of cases) it(`reads ${raw} (${currency})`, () => expect(parseCouponSpec(raw, currency)).toEqual(spec));

  it('refuses what is not a coupon value, saying which', () => {
    const refused: [string, string][] = [
      ['abc', 'err.coupon.spec'],
      ['0', 'err.coupon.spec'],
      ['-5', 'err.coupon.spec'],
      ['$5', 'err.coupon.spec'],
      ['20/100/5', 'err.coupon.spec'],
      ['/100', 'err.coupon.spec'],
      ['0%', 'err.coupon.percent'],
      ['100%', 'err.coupon.percent'],
      ['30/20', 'err.coupon.overMin'],
    ];
    for (const [raw, id] of refused) {
      const e = errorOf(() => parseCouponSpec(raw, 'CNY'));
      expect(e.id, raw).toBe(id);
      expect(e.exitCode).toBe(2);
    }
  });
});

describe('what a coupon says it is worth', () => {
  const cases: [ReturnType<typeof parseCouponSpec>, string, string][] = [
    [{ kind: 'amount', value: 2000, minSpend: 0 }, '¥20.00 off', '立减¥20.00'],
    [{ kind: 'amount', value: 2000, minSpend: 10000 }, '¥20.00 off orders of ¥100.00 or more', '满¥100.00减¥20.00'],
    [{ kind: 'percent', value: 10, minSpend: 0 }, '10% off', '9折'],
    [{ kind: 'percent', value: 15, minSpend: 0 }, '15% off', '85折'],
    [{ kind: 'percent', value: 95, minSpend: 0 }, '95% off', '0.5折'],
    [{ kind: 'percent', value: 20, minSpend: 30000 }, '20% off orders of ¥300.00 or more', '满¥300.00打8折'],
  ];
  for (const [spec, en, zh] of cases) {
    it(`${en} / ${zh}`, () => {
      expect(couponValueText(spec, 'CNY', 'en')).toBe(en);
      expect(couponValueText(spec, 'CNY', 'zh')).toBe(zh);
    });
  }
});

describe('redeeming', () => {
  const coupon = (over: Partial<Coupon> = {}): Coupon => ({
    code: codeFor(SECRET, 1),
    serial: 1,
    customerId: 7,
    occurrenceId: null,
    rule: null,
    kind: 'amount',
    value: 2000,
    minSpend: 10000,
    expiresOn: '2026-12-22',
    issuedAt: '2026-11-22T02:00:00.000Z',
    redeemedAt: null,
    orderId: null,
    ...over,
  });
  const order = { customerId: 7, amount: 10000, today: '2026-11-22', zone: 'Asia/Shanghai', currency: 'CNY' };
  const shown = displayCode(codeFor(SECRET, 1));

  it('tells issued, redeemed and expired apart (the last day is still usable)', () => {
    expect(couponStatus(coupon(), '2026-12-22')).toBe('issued');
    expect(couponStatus(coupon(), '2026-12-23')).toBe('expired');
    expect(couponStatus(coupon({ redeemedAt: '2026-11-30T02:00:00Z', orderId: 3 }), '2027-01-01')).toBe('redeemed');
    expect(parseCouponStatus('Redeemed')).toBe('redeemed');
    expect(parseCouponStatus('已过期')).toBe('expired');
    expect(errorOf(() => parseCouponStatus('gone')).id).toBe('err.couponStatus');
  });

  it('lets the customer it was issued to use it on an order of the minimum spend, up to its last day', () => {
    expect(() => checkRedeem(coupon(), order)).not.toThrow();
    expect(() => checkRedeem(coupon(), { ...order, today: '2026-12-22' })).not.toThrow();
    expect(() => checkRedeem(coupon({ customerId: null }), { ...order, customerId: 99 })).not.toThrow();
  });

  it('says why it may not be used', () => {
    const refused: [Coupon, Partial<typeof order>, string, string][] = [
      // Used at 23:30 UTC on 11-29: the 30th in Shanghai.
      [coupon({ redeemedAt: '2026-11-29T23:30:00.000Z', orderId: 12 }), {}, 'err.coupon.used', `coupon ${shown} was already used on 2026-11-30 for order #12`],
      [coupon({ redeemedAt: '2026-11-29T23:30:00.000Z', orderId: null }), {}, 'err.coupon.usedNoOrder', `coupon ${shown} was already used on 2026-11-30`],
      [coupon(), { today: '2026-12-23' }, 'err.coupon.expired', `coupon ${shown} expired on 2026-12-22`],
      [coupon(), { customerId: 8 }, 'err.coupon.otherCustomer', `coupon ${shown} was issued to another customer (#7)`],
      [coupon(), { amount: 9999 }, 'err.coupon.minSpend', `coupon ${shown} needs an order of ¥100.00 or more (this one is ¥99.99)`],
    ];
    for (const [c, o, id, message] of refused) {
      const e = errorOf(() => checkRedeem(c, { ...order, ...o }));
      expect(e.id).toBe(id);
      expect(e.message).toBe(message);
      expect(e.exitCode).toBe(2);
    }
  });
});
