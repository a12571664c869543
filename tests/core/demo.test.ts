import { describe, it, expect } from 'vitest';
import { DateTime } from 'luxon';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { generateDemo, type DemoCustomer, type DemoOptions } from '../../src/core/demo/index.js';

// The interaction module pulls in the error catalog; the demo only needs the type names.
const INTERACTION_TYPES = ['call', 'visit', 'message', 'email', 'other'];
const TODAY = '2025-06-15';
const ZONE = 'Asia/Shanghai';

function demo(customers: number, seed = 42, extra: Partial<DemoOptions> = {}): DemoCustomer[] {
  return [...generateDemo({ customers, seed, today: TODAY, timeZone: ZONE, ...extra })];
}

let cached: DemoCustomer[] | undefined;
/** One shared sample of 3,000 customers for the property checks. */
function sample(): DemoCustomer[] {
  cached ??= demo(3000, 20250615);
  return cached;
}

function spend(c: DemoCustomer): number {
  return c.orders.reduce((sum, o) => sum + o.amount, 0);
}

function isRealDate(ymd: string): boolean {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const localDate = (iso: string, zone = ZONE): string => DateTime.fromISO(iso, { zone }).toISODate() ?? '';

describe('generateDemo: determinism and size', () => {
  it('gives deep-equal output for the same options', () => {
    expect(demo(300, 7)).toEqual(demo(300, 7));
  });

  it('gives different output for a different seed', () => {
    const a = demo(300, 7);
    const b = demo(300, 8);
    expect(a.map((c) => c.fields.name)).not.toEqual(b.map((c) => c.fields.name));
    expect(a.map((c) => c.fields.phones[0]?.e164)).not.toEqual(b.map((c) => c.fields.phones[0]?.e164));
  });

  it('yields exactly the number of customers asked for', () => {
    expect(demo(0)).toHaveLength(0);
    expect(demo(1)).toHaveLength(1);
    expect(demo(257)).toHaveLength(257);
  });

  it('makes a smaller demo a prefix of a larger one', () => {
    expect(demo(400, 5).slice(0, 120)).toEqual(demo(120, 5));
  });

  it('is lazy: taking a few customers of a huge demo is instant', () => {
    const it = generateDemo({ customers: 10_000_000, seed: 1, today: TODAY, timeZone: ZONE });
    for (let k = 0; k < 5; k++) expect(it.next().done).toBe(false);
  });

  it('rejects bad options when iteration starts', () => {
    const first = (o: Partial<DemoOptions>) => () =>
      generateDemo({ customers: 1, seed: 1, today: TODAY, timeZone: ZONE, ...o }).next();
    expect(first({ today: '2025-02-30' })).toThrow(RangeError);
    expect(first({ today: '15/06/2025' })).toThrow(RangeError);
    expect(first({ timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(first({ customers: -1 })).toThrow(RangeError);
    expect(first({ customers: 1.5 })).toThrow(RangeError);
    expect(first({ seed: 0.5 })).toThrow(RangeError);
  });
});

describe('generateDemo: dates and times', () => {
  it('keeps everything within the three years up to today, orders after createdAt', () => {
    const earliest = DateTime.fromISO(TODAY, { zone: ZONE }).minus({ years: 3 }).toISODate() ?? '';
    // Shanghai is UTC+8 all year, so "not after today" means "before 16:00Z on today".
    const endOfToday = DateTime.fromISO(TODAY, { zone: ZONE }).endOf('day').toUTC().toISO() ?? '';
    const bad: unknown[] = [];
    for (const c of sample()) {
      const created = localDate(c.createdAt);
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(c.createdAt) || created < earliest || created > TODAY) {
        bad.push(c.createdAt);
      }
      let prev = '';
      for (const o of c.orders) {
        if (o.at < c.createdAt || o.at < prev || o.day > TODAY || o.at > endOfToday) bad.push(o);
        prev = o.at;
      }
      prev = '';
      for (const x of c.interactions) {
        if (x.at <= c.createdAt || x.at < prev || x.at > endOfToday) bad.push(x);
        prev = x.at;
      }
    }
    expect(bad).toEqual([]);
  });

  it('puts each order on its day, in shop hours, in the shop zone', () => {
    const bad: unknown[] = [];
    for (const c of sample().slice(0, 1000)) {
      for (const o of c.orders) {
        const local = DateTime.fromISO(o.at, { zone: ZONE });
        if (local.toISODate() !== o.day || local.hour < 9 || local.hour >= 21) bad.push(o);
      }
    }
    expect(bad).toEqual([]);
  });

  it('gets days and instants right across daylight-saving changes', () => {
    for (const [timeZone, today] of [
      ['America/New_York', '2025-03-20'],
      ['Europe/London', '2024-11-01'],
    ] as const) {
      const bad: unknown[] = [];
      for (const c of demo(300, 3, { timeZone, today })) {
        if (localDate(c.createdAt, timeZone) > today) bad.push(c.createdAt);
        for (const o of c.orders) {
          const local = DateTime.fromISO(o.at, { zone: timeZone });
          if (local.toISODate() !== o.day || local.hour < 9 || local.hour >= 21 || o.day > today) bad.push(o);
        }
      }
      expect(bad, timeZone).toEqual([]);
    }
  });
});

describe('generateDemo: orders and revenue', () => {
  it('has positive integer amounts and unique order numbers', () => {
    const ids = new Set<string>();
    const bad: unknown[] = [];
    let count = 0;
    for (const c of sample()) {
      for (const o of c.orders) {
        count++;
        ids.add(o.externalId);
        if (!Number.isSafeInteger(o.amount) || o.amount <= 0 || o.note === '') bad.push(o);
      }
    }
    expect(bad).toEqual([]);
    expect(ids.size).toBe(count);
    expect(count).toBeGreaterThan(0);
  });

  it('has about 10% prospects and 6 to 10 orders per customer on average', () => {
    const all = sample();
    const prospects = all.filter((c) => c.orders.length === 0).length / all.length;
    expect(prospects).toBeGreaterThan(0.07);
    expect(prospects).toBeLessThan(0.13);
    const perCustomer = all.reduce((n, c) => n + c.orders.length, 0) / all.length;
    expect(perCustomer).toBeGreaterThanOrEqual(5);
    expect(perCustomer).toBeLessThanOrEqual(10);
  });

  it('is skewed: the top 20% of 2,000 customers bring more than half the revenue', () => {
    const spends = demo(2000, 11).map(spend).sort((a, b) => b - a);
    const total = spends.reduce((a, b) => a + b, 0);
    const top = spends.slice(0, 400).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.5);
  });

  it('prices typical orders at 30 to 300 yuan, with a few large ones', () => {
    const amounts = sample().flatMap((c) => c.orders.map((o) => o.amount)).sort((a, b) => a - b);
    const median = amounts[Math.floor(amounts.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(3000);
    expect(median).toBeLessThanOrEqual(30000);
    expect(amounts.some((a) => a >= 100_000)).toBe(true);
  });
});

describe('generateDemo: customer fields', () => {
  it('gives only valid, distinct phone numbers in E.164', () => {
    const seen = new Set<string>();
    let foreign = 0;
    for (const c of sample()) {
      for (const p of c.fields.phones) {
        expect(p.raw).toBeNull();
        expect(p.e164).toMatch(/^\+[1-9]\d{7,14}$/);
        expect(parsePhoneNumberFromString(p.e164)?.isValid(), p.e164).toBe(true);
        expect(seen.has(p.e164), p.e164).toBe(false);
        seen.add(p.e164);
        if (!p.e164.startsWith('+86')) foreign++;
      }
    }
    expect(foreign).toBeGreaterThan(0);
    const all = sample();
    const withPhone = all.filter((c) => c.fields.phones.length > 0).length / all.length;
    expect(withPhone).toBeGreaterThan(0.9);
    expect(withPhone).toBeLessThan(1);
  });

  it('gives unique member numbers and unique, lower-case emails', () => {
    const ids = new Set<string>();
    const emails = new Set<string>();
    for (const c of sample()) {
      const { externalId, email } = c.fields;
      if (externalId !== null) {
        expect(ids.has(externalId)).toBe(false);
        ids.add(externalId);
      }
      if (email !== null) {
        expect(email).toBe(email.toLowerCase());
        expect(email).toMatch(/^[a-z0-9][a-z0-9._]*@[a-z0-9-]+(\.[a-z0-9-]+)+$/);
        expect(emails.has(email)).toBe(false);
        emails.add(email);
      }
    }
    const n = sample().length;
    expect(ids.size / n).toBeGreaterThan(0.5);
    expect(emails.size / n).toBeGreaterThan(0.3);
    expect(emails.size / n).toBeLessThan(0.5);
  });

  it('gives valid birthdays, lunar ones only to Chinese names', () => {
    const todayYear = Number(TODAY.slice(0, 4));
    let lunar = 0;
    for (const c of sample()) {
      const { birthday, birthdayLunar, name } = c.fields;
      if (birthday === null) {
        expect(birthdayLunar).toBe(false);
        continue;
      }
      expect(birthday).toMatch(/^(\d{4}|-)-\d{2}-\d{2}$/);
      const [month, day] = birthday.slice(-5).split('-').map(Number) as [number, number];
      if (birthdayLunar) {
        lunar++;
        expect(name).toMatch(/^\p{Script=Han}+$/u);
        expect(month >= 1 && month <= 12 && day >= 1 && day <= 30).toBe(true);
      } else {
        expect(isRealDate(birthday.startsWith('--') ? `2000${birthday.slice(1)}` : birthday)).toBe(true);
      }
      if (!birthday.startsWith('--')) {
        const age = todayYear - Number(birthday.slice(0, 4));
        expect(age >= 18 && age <= 76).toBe(true);
      }
    }
    expect(lunar).toBeGreaterThan(0);
  });

  it('mixes about 80% Chinese and 20% English names', () => {
    const all = sample();
    const han = all.filter((c) => /^\p{Script=Han}{2,4}$/u.test(c.fields.name)).length / all.length;
    const english = all.filter((c) => /^[A-Z][a-z]+ [A-Z][a-zü]+$/.test(c.fields.name)).length / all.length;
    expect(han).toBeGreaterThan(0.75);
    expect(han).toBeLessThan(0.85);
    expect(english).toBeGreaterThan(0.15);
    expect(han + english).toBe(1);
  });

  it('keeps tags unique per customer, at most three', () => {
    const bad = sample().filter((c) => c.fields.tags.length > 3 || new Set(c.fields.tags).size !== c.fields.tags.length);
    expect(bad).toEqual([]);
    expect(sample().some((c) => c.fields.tags.length === 3)).toBe(true);
  });

  it('fills the record like the store expects', () => {
    const bad = sample().filter((c) => {
      const f = c.fields;
      return (
        f.nameRaw !== null ||
        f.emailRaw !== null ||
        ![null, 'female', 'male', 'other'].includes(f.gender) ||
        typeof f.doNotContact !== 'boolean' ||
        (f.address !== null && f.city === null) ||
        Object.entries(f.fields).some(([k, v]) => k === '' || v === '') ||
        c.interactions.length > 4 ||
        c.interactions.some((x) => !INTERACTION_TYPES.includes(x.type) || x.note === '')
      );
    });
    expect(bad).toEqual([]);
    const all = sample();
    const share = (pred: (c: DemoCustomer) => boolean): number => all.filter(pred).length / all.length;
    expect(share((c) => c.fields.doNotContact)).toBeLessThan(0.06);
    expect(share((c) => c.fields.address !== null)).toBeGreaterThan(0.35);
    expect(share((c) => c.fields.note !== null)).toBeGreaterThan(0.05);
    expect(share((c) => Object.keys(c.fields.fields).length > 0)).toBeLessThan(0.5);
  });
});
