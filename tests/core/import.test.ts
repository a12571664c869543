import { describe, expect, it } from 'vitest';
import { headerKey, joinAddress, joinName, mapColumns, mapsByNumber, parseLocalDate } from '../../src/core/import/index.js';
import { splitMapOptions } from '../../src/core/import/columns.js';
import { errorOf } from '../helpers/errors.js';

describe('import: dates and times as spreadsheets write them', () => {
  it.each([
    ['2024/3/5 上午 9:05', { day: '2024-03-05', time: '09:05:00' }],
    ['2024/3/5 下午 3:30', { day: '2024-03-05', time: '15:30:00' }],
    ['2024-03-05 9:05 PM', { day: '2024-03-05', time: '21:05:00' }],
    ['2024-03-05 12:15 AM', { day: '2024-03-05', time: '00:15:00' }],
    ['2024-03-05 12:15 PM', { day: '2024-03-05', time: '12:15:00' }],
    ['2024年3月5日 14:30', { day: '2024-03-05', time: '14:30:00' }],
    ['45356.5', { day: '2024-03-05', time: '12:00:00' }],
  ])('%s', (raw, expected) => {
    expect(parseLocalDate(raw, null)).toEqual(expected);
  });
  it.each(['2024-03-05 13:05 PM', '下午', '2024-03-05 25:00'])('refuses %s', (raw) => {
    expect(parseLocalDate(raw, null)).toBeNull();
  });
});

describe('import: columns', () => {
  it('compares headers without case, spaces, marks or notes', () => {
    expect(headerKey(' 手机号* ')).toBe(headerKey('手机号'));
    expect(headerKey('性别（男/女）')).toBe('性别');
    expect(headerKey('E-mail (optional)')).toBe('email');
  });
  it('maps a header row, keeping unknown columns as custom fields', () => {
    expect(mapColumns('customers', ['姓名', '手机', '微信']).map((c) => [c.target, c.key])).toEqual([
      ['name', '姓名'],
      ['phone', '手机'],
      ['custom', '微信'],
    ]);
  });
  it('joins names and addresses as their script writes them', () => {
    expect(joinName('张', '伟')).toBe('张伟');
    expect(joinName('Green', 'Mitchell')).toBe('Mitchell Green');
    expect(joinAddress({ province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路90号', postcode: '310012' })).toBe('浙江省杭州市西湖区文三路90号');
    expect(joinAddress({ number: '7', street: 'Wallaby Place', district: 'Delacey', province: 'NSW', postcode: '2280' })).toBe('7 Wallaby Place, Delacey, NSW 2280');
  });
});

describe('import: --map', () => {
  const targets = (header: string[], map: string[]) => mapColumns('customers', header, map).map((c) => c.target);
  it('splits pairs at commas, keeping a column name that has commas whole', () => {
    expect(splitMapOptions(['1=name,3=phone'])).toEqual(['1=name', '3=phone']);
    expect(splitMapOptions(['Address, line 1=address,Tel=phone'])).toEqual(['Address, line 1=address', 'Tel=phone']);
    expect(splitMapOptions(['1=name,', '2=phone'])).toEqual(['1=name', '2=phone']);
  });
  it('takes a column by header, by number from 1, by full-width digits and as "column N"', () => {
    const header = ['姓名', '电话', '地区'];
    expect(targets(header, ['姓名=name', '2=phone', '３=city'])).toEqual(['name', 'phone', 'city']);
    expect(targets(header, ['column 3=city'])[2]).toBe('city');
  });
  it('refuses a number that is also another column\'s header, and says how to mean either', () => {
    const header = ['2', 'name', 'phone'];
    const e = errorOf(() => mapColumns('customers', header, ['2=phone']));
    expect(e.id).toBe('err.import.mapAmbiguous');
    expect(targets(header, ['column 2=name'])[1]).toBe('name');
  });
  it('knows when a --map names columns by number (then the first row must not be data)', () => {
    expect(mapsByNumber(['姓名', '电话'], ['1=name'])).toBe(true);
    expect(mapsByNumber(['姓名', '电话'], ['姓名=name'])).toBe(false);
    expect(mapsByNumber(['1', '电话'], ['1=name'])).toBe(false);
  });
});

describe('instants as crm exports them (ISO 8601 with the shop offset)', () => {
  it('reads them as luxon does, in any zone, and refuses impossible ones', async () => {
    const { DateTime } = await import('luxon');
    const { parseInstant, parseAt } = await import('../../src/core/import/index.js');
    const { isoInZone } = await import('../../src/core/dates.js');
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata'];
    const instants = ['2026-11-22T02:00:00.000Z', '2026-03-08T06:59:59.000Z', '2026-03-08T07:00:00.000Z', '2026-10-25T00:30:00.123Z', '2024-02-29T23:59:59.000Z'];
    for (const zone of zones) {
      for (const at of instants) {
        const written = isoInZone(at, zone);
        const viaLuxon = DateTime.fromISO(written, { setZone: true });
        for (const shop of zones) {
          expect(parseInstant(written, null, shop)).toEqual({ at, day: viaLuxon.setZone(shop).toISODate() });
          expect(parseAt(written, null, shop)).toBe(at);
        }
      }
    }
    expect(parseInstant('2026-02-30T10:00:00+08:00', null, 'Asia/Shanghai')).toBeNull();
  });
});

describe('local times read in the shop zone without luxon (an import reads millions)', () => {
  it('gives what luxon gives, at clock changes too, in zones east and west, and refuses days that do not exist', async () => {
    const { DateTime } = await import('luxon');
    const { localInstant, offsetMinutes } = await import('../../src/core/dates.js');
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham', 'Asia/Kathmandu'];
    const pad = (n: number) => String(n).padStart(2, '0');
    // Every 7 minutes around each 2026 clock change of New York, London and Lord Howe, and random times over 80 years.
    const times: [string, string][] = [];
    for (const start of ['2026-03-08T00:00', '2026-11-01T00:00', '2026-03-29T00:00', '2026-10-25T00:00', '2026-04-05T00:00', '2026-10-04T00:00']) {
      for (let m = 0; m < 6 * 60; m += 7) {
        const d = new Date(Date.parse(`${start}:00Z`) + m * 60_000);
        times.push([d.toISOString().slice(0, 10), `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`]);
      }
    }
    let seed = 7;
    for (let i = 0; i < 400; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const d = new Date(Date.UTC(1950, 0, 1) + (seed % (80 * 365)) * 86_400_000 + (seed % 86_400) * 1000);
      times.push([d.toISOString().slice(0, 10), d.toISOString().slice(11, 19)]);
    }
    for (const zone of zones) {
      for (const [day, time] of times) {
        expect(localInstant(day, time, zone), `${day} ${time} ${zone}`).toBe(DateTime.fromISO(`${day}T${time}`, { zone }).toUTC().toISO());
      }
      for (const [day] of times.slice(0, 50)) {
        const ms = Date.parse(`${day}T01:30:00Z`);
        expect(offsetMinutes(ms, zone)).toBe(DateTime.fromMillis(ms, { zone }).offset);
      }
    }
    const { isoUtc, isoDay } = await import('../../src/core/dates.js');
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const ms = (seed / 2 ** 31) * 2.5e14 - 3e13; // 1019 to 8890, to the millisecond
      expect(isoUtc(Math.floor(ms))).toBe(new Date(Math.floor(ms)).toISOString());
    }
    for (const [y, m, d, iso] of [[2024, 2, 29, '2024-02-29'], [2100, 2, 29, null], [2000, 2, 29, '2000-02-29'], [2026, 4, 31, null], [99, 1, 1, null], [100, 1, 1, '0100-01-01'], [2026, 13, 1, null]] as const) {
      expect(isoDay(y, m, d)).toBe(iso);
    }
    // 24:00 of a day: luxon's midnight at its end, as before; a till's 24:00 was refused and still is.
    const { parseInstant } = await import('../../src/core/import/index.js');
    for (const zone of ['Africa/Casablanca', 'Asia/Shanghai']) {
      const viaLuxon = DateTime.fromISO('2024-02-15T24:00:00', { zone });
      expect(parseInstant('15/02/2024 24:00', null, zone)).toEqual({ at: viaLuxon.toUTC().toISO(), day: '2024-02-15' });
    }
    expect(parseInstant('2024-03-05 24:00', null, 'Asia/Shanghai')).toBeNull();
    expect(localInstant('2026-02-30', '10:00:00', 'Asia/Shanghai')).toBeNull();
    expect(localInstant('2026-04-31', '10:00:00', 'Asia/Shanghai')).toBeNull();
  });
});
