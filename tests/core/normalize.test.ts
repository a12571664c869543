// Normalization of what users type: phones, emails, names, tags, amounts, dates, refs.
import { describe, expect, it } from 'vitest';
import { applyCustomerEdit, parseCustomerInput, parseGender } from '../../src/core/customer.js';
import { parseBirthday, parseWhen, tryParseDay } from '../../src/core/dates.js';
import { sinceWhen } from '../../src/core/duration.js';
import { displayAmount, formatAmount, minorDigits, parseAmount } from '../../src/core/money.js';
import { summarizeOrders } from '../../src/core/order.js';
import { normalizePhone } from '../../src/core/phone.js';
import { refLookups, resolveRef } from '../../src/core/ref.js';
import { nameKey, normalizeEmail, normalizeName, splitList } from '../../src/core/text.js';
import { errorOf } from '../helpers/errors.js';


describe('phones', () => {
  it.each([
    ['+86 138-0013-8000', '+8613800138000'],
    ['13800138000', '+8613800138000'],
    ['0086 13800138000', '+8613800138000'],
    ['138 0013 8000', '+8613800138000'],
    ['(+86) 138.0013.8000', '+8613800138000'],
    ['１３８００１３８０００', '+8613800138000'],
    ['010-12345678', '+861012345678'],
    ['+1 415 555 2671', '+14155552671'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('%s is %s', (raw, e164) => {
    expect(normalizePhone(raw, 'CN').e164).toBe(e164);
  });

  it('keeps what was typed when it differs', () => {
    expect(normalizePhone('+86 138-0013-8000', 'CN').raw).toBe('+86 138-0013-8000');
    expect(normalizePhone('+8613800138000', 'CN').raw).toBeNull();
  });

  it('reads numbers without a country code in the shop country', () => {
    expect(normalizePhone('(415) 555-2671', 'US').e164).toBe('+14155552671');
  });

  it.each(['123', '12345678901234567', 'abc', '138001380'])('refuses %s as bad input', (raw) => {
    const e = errorOf(() => normalizePhone(raw, 'CN'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(raw);
  });
});

describe('emails, names and lists', () => {
  it('trims and lower-cases emails, keeping the original', () => {
    expect(normalizeEmail('  Emily.Chen@Example.COM ')).toEqual({ value: 'emily.chen@example.com', raw: '  Emily.Chen@Example.COM ' });
    expect(normalizeEmail('ａｂｃ＠qq.com').value).toBe('abc@qq.com');
  });
  it.each(['no-at-sign', 'a@b', 'a b@c.com', '@qq.com'])('refuses the email %s', (raw) => {
    expect(errorOf(() => normalizeEmail(raw)).id).toBe('err.email');
  });
  it('trims names and folds inner white space, keeping the original', () => {
    expect(normalizeName('  张\u3000 伟 ')).toEqual({ value: '张 伟', raw: '  张\u3000 伟 ' });
    expect(normalizeName('Mitchell Green')).toEqual({ value: 'Mitchell Green', raw: null });
  });
  it('compares names without case or spaces', () => {
    expect(nameKey('张 伟')).toBe(nameKey('张伟'));
    expect(nameKey('Emily  CHEN')).toBe('emilychen');
  });
  it('splits lists typed in spreadsheets', () => {
    expect(splitList('VIP, 老客户；团购、 新客')).toEqual(['VIP', '老客户', '团购', '新客']);
  });
});

describe('money', () => {
  it.each([
    ['128.50', 12850],
    ['128.5', 12850],
    ['128', 12800],
    ['¥1,280.50', 128050],
    ['￥ 1,280.50', 128050],
    ['1280元', 128000],
    ['RMB 99.9', 9990],
    ['99 CNY', 9900],
    ['0.01', 1],
    ['.5', 50],
    ['1,234,567.00', 123456700],
    ['0', 0],
  ])('%s is %i fen', (raw, minor) => {
    expect(parseAmount(raw, 'CNY')).toBe(minor);
  });
  it.each(['abc', '1,28', '12,80.5', '1.2.3', '', '¥', '12.345', '-5', '1e3'])('refuses %s', (raw) => {
    expect(errorOf(() => parseAmount(raw, 'CNY')).exitCode).toBe(2);
  });
  it('knows currencies without minor units', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(parseAmount('¥1,500', 'JPY')).toBe(1500);
    expect(errorOf(() => parseAmount('15.5', 'JPY')).id).toBe('err.amount.precision');
  });
  it('refuses the sign or code of another currency', () => {
    for (const raw of ['$100', '€5', '100 USD', '£1']) expect(errorOf(() => parseAmount(raw, 'CNY')).id).toBe('err.amount.currency');
    expect(parseAmount('$100', 'USD')).toBe(10000);
    expect(errorOf(() => parseAmount('abc', 'CNY')).id).toBe('err.amount');
  });
  it('formats minor units exactly', () => {
    expect(formatAmount(12850, 2)).toBe('128.50');
    expect(formatAmount(5, 2)).toBe('0.05');
    expect(formatAmount(1500, 0)).toBe('1500');
    expect(displayAmount(128050, 'CNY', 'zh')).toBe('¥1,280.50');
  });
});

describe('dates', () => {
  const now = new Date('2026-11-22T02:00:00Z'); // 10:00 in Shanghai
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024.03.05', '2024-03-05'],
  ])('reads the day %s', (raw, day) => {
    expect(tryParseDay(raw)).toBe(day);
  });
  it.each(['2023-13-45', '2023-02-29', '2024/13/1', 'soon'])('refuses the day %s', (raw) => {
    expect(tryParseDay(raw)).toBeNull();
  });
  it('places a bare day at its start in the shop zone', () => {
    expect(parseWhen('2026-02-14', 'Asia/Shanghai', now)).toEqual({ at: '2026-02-13T16:00:00.000Z', day: '2026-02-14' });
  });
  it('reads a local date and time, or an explicit offset', () => {
    expect(parseWhen('2026-02-14 15:30', 'Asia/Shanghai', now)).toEqual({ at: '2026-02-14T07:30:00.000Z', day: '2026-02-14' });
    expect(parseWhen('2026-02-14T23:30:00Z', 'Asia/Shanghai', now).day).toBe('2026-02-15');
  });
  it('reads now, today and yesterday from the clock', () => {
    expect(parseWhen('now', 'Asia/Shanghai', now)).toEqual({ at: '2026-11-22T02:00:00.000Z', day: '2026-11-22' });
    expect(parseWhen('yesterday', 'Asia/Shanghai', now).day).toBe('2026-11-21');
  });
  it('reads durations back from now', () => {
    expect(sinceWhen('30d', 'Asia/Shanghai', now).day).toBe('2026-10-23');
    expect(sinceWhen('1y', 'Asia/Shanghai', now).day).toBe('2025-11-22');
  });
  it('refuses times that are not times', () => {
    expect(errorOf(() => parseWhen('2026-02-30', 'Asia/Shanghai', now)).exitCode).toBe(2);
    expect(errorOf(() => parseWhen('next tuesday', 'Asia/Shanghai', now)).id).toBe('err.datetime');
  });
  it('reads birthdays with and without year, Gregorian and lunar', () => {
    expect(parseBirthday('1990-3-5', false)).toBe('1990-03-05');
    expect(parseBirthday('03-05', false)).toBe('--03-05');
    expect(parseBirthday('8月15日', true)).toBe('--08-15');
    expect(parseBirthday('02-30', true)).toBe('--02-30'); // lunar months have 30 days
    expect(errorOf(() => parseBirthday('02-30', false)).id).toBe('err.birthday');
    expect(errorOf(() => parseBirthday('13-01', true)).id).toBe('err.birthday.lunar');
  });
});

describe('customer records', () => {
  it('normalizes a new customer and refuses bad fields naming them', () => {
    const c = parseCustomerInput(
      { name: ' 张  伟 ', phones: ['+86 138-0013-8000', '13800138000'], email: 'ZW@QQ.com', gender: '男', tags: ['VIP', 'vip', ' 老客户 '], fields: ['微信=zw_1', '尺码='] },
      { country: 'CN' },
    );
    expect(c.name).toBe('张 伟');
    expect(c.phones.map((p) => p.e164)).toEqual(['+8613800138000']);
    expect(c.email).toBe('zw@qq.com');
    expect(c.gender).toBe('male');
    expect(c.tags).toEqual(['VIP', '老客户']);
    expect(c.fields).toEqual({ 微信: 'zw_1' });
    expect(errorOf(() => parseCustomerInput({ phones: ['13800138000'] }, { country: 'CN' })).id).toBe('err.name.required');
    expect(errorOf(() => parseCustomerInput({ name: 'a', fields: ['novalue'] }, { country: 'CN' })).id).toBe('err.field');
  });
  it('reads gender in English and Chinese', () => {
    expect(['女', 'F', 'female', '男', 'M', '其他'].map(parseGender)).toEqual(['female', 'female', 'female', 'male', 'male', 'other']);
  });
  it('edits: sets, clears with "", adds a primary phone, removes a phone and fields', () => {
    const c = parseCustomerInput({ name: 'Emily', phones: ['13800138000'], email: 'e@x.com', city: '上海', fields: ['a=1', 'b=2'] }, { country: 'CN' });
    const next = applyCustomerEdit(c, { email: '', city: '杭州', addPhones: ['13900139000'], fields: ['a=3'], unsetFields: ['b'] }, { country: 'CN' });
    expect(next.email).toBeNull();
    expect(next.city).toBe('杭州');
    expect(next.phones.map((p) => p.e164)).toEqual(['+8613900139000', '+8613800138000']);
    expect(next.fields).toEqual({ a: '3' });
    const fewer = applyCustomerEdit(next, { removePhones: ['138 0013 8000'] }, { country: 'CN' });
    expect(fewer.phones.map((p) => p.e164)).toEqual(['+8613900139000']);
    expect(errorOf(() => applyCustomerEdit(next, { removePhones: ['13700137000'] }, { country: 'CN' })).id).toBe('err.phone.notOnCustomer');
  });
});

describe('lunar birthdays', () => {
  const cn = { country: 'CN' };
  it('keep a leap month only for a lunar birthday, and refuse a lunar date its year does not have', () => {
    const c = parseCustomerInput({ name: '李娜', birthday: '2025-06-15', lunar: true, leapMonth: true }, cn);
    expect(c.birthdayLeap).toBe(true);
    expect(parseCustomerInput({ name: '李娜', birthday: '2025-06-15', leapMonth: true }, cn).birthdayLeap).toBe(false);
    expect(errorOf(() => parseCustomerInput({ name: '李娜', birthday: '2026-06-15', lunar: true, leapMonth: true }, cn)).id).toBe('err.birthday.lunarLeapMissing');
    expect(errorOf(() => parseCustomerInput({ name: '李娜', birthday: '2023-02-30', lunar: true, leapMonth: true }, cn)).id).toBe('err.birthday.lunarLeapMissing');
    expect(parseCustomerInput({ name: '李娜', birthday: '2023-02-30', lunar: true }, cn).birthday).toBe('2023-02-30');
    // Without a year there is no year to check against: any month 1-12, day 1-30.
    expect(parseCustomerInput({ name: '李娜', birthday: '06-30', lunar: true, leapMonth: true }, cn).birthday).toBe('--06-30');
    expect(applyCustomerEdit(c, { leapMonth: false }, cn).birthdayLeap).toBe(false);
    expect(applyCustomerEdit(c, { lunar: false }, cn).birthdayLeap).toBe(false);
  });
});

describe('refs', () => {
  const kinds = (ref: string) => refLookups(ref, 'CN').map((tier) => tier.map((l) => l.kind));
  it.each([
    ['42', [['id'], ['external']]],
    ['#42', [['id']]],
    ['13800138000', [['id'], ['phone', 'external']]],
    ['+86 138-0013-8000', [['phone', 'external']]],
    ['Emily@Example.com', [['email']]],
    ['张伟', [['external'], ['name']]],
    ['M000123', [['external'], ['name']]],
    ['ext:42', [['external']]],
    ['name:42', [['name']]],
  ])('%s is looked up as %j', (ref, expected) => {
    expect(kinds(ref)).toEqual(expected);
  });
  it('normalizes the phone and email it looks up', () => {
    expect(refLookups('0086 13800138000', 'CN')[0]).toContainEqual({ kind: 'phone', e164: '+8613800138000' });
    expect(refLookups('Emily@Example.com', 'CN')).toEqual([[{ kind: 'email', email: 'emily@example.com' }]]);
  });
  it('lets the first tier that finds anyone decide', () => {
    const found: Record<string, number[]> = { id: [2], external: [7], name: [3, 4] };
    const find = (l: { kind: string }) => found[l.kind] ?? [];
    expect(resolveRef(refLookups('2', 'CN'), find)).toEqual([2]); // id 2 before member number 2
    expect(resolveRef(refLookups('张伟', 'CN'), find)).toEqual([7]);
    expect(resolveRef(refLookups('name:张伟', 'CN'), find)).toEqual([3, 4]); // ambiguous within a tier
    expect(resolveRef(refLookups('nobody', 'CN'), () => [])).toEqual([]);
  });
});

describe('order summary', () => {
  it('counts, totals and averages, with the interval between distinct purchase days', () => {
    expect(summarizeOrders([])).toEqual({ count: 0, total: 0, refunded: 0, averageOrder: null, firstDay: null, lastDay: null, averageIntervalDays: null });
    expect(
      summarizeOrders([
        { amount: 1000, refunded: 0, day: '2026-03-01' },
        { amount: 500, refunded: 300, day: '2026-01-01' }, // 800 paid, 300 refunded: 500 kept
        { amount: 250, refunded: 0, day: '2026-01-01' }, // same day: one purchase day
        { amount: 1, refunded: 0, day: '2026-05-01' },
      ]),
    ).toEqual({ count: 4, total: 1751, refunded: 300, averageOrder: 438, firstDay: '2026-01-01', lastDay: '2026-05-01', averageIntervalDays: 60 });
  });
});

describe('the mainland mobile fast path', () => {
  it('agrees with libphonenumber on every prefix and form', async () => {
    const { parsePhoneNumberFromString } = await import('libphonenumber-js/max');
    let checked = 0;
    for (let prefix = 100; prefix <= 199; prefix++) {
      for (const tail of ['00000000', '12345678', '99999999', '00138000']) {
        const national = `${prefix}${tail}`;
        for (const [form, country] of [
          [national, 'CN'],
          [`+86 ${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`, 'CN'],
          [`0086${national}`, 'CN'],
          [`86${national}`, 'CN'],
          [`+86${national}`, 'US'],
          [national, 'US'],
        ] as const) {
          const full = parsePhoneNumberFromString(form, { defaultCountry: country });
          const expected = full && full.isValid() ? full.number : null;
          let got: string | null;
          try {
            got = normalizePhone(form, country).e164;
          } catch {
            got = null;
          }
          expect(got, `${form} in ${country}`).toBe(expected);
          checked++;
        }
      }
    }
    expect(checked).toBe(2400);
  });
});
