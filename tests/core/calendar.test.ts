// The shop's calendar: holidays against published dates, lunar birthdays across years with and
// without leap months, whose birthday falls on a day (the inverse of the day a birthday is kept
// on), and dates written for people in both languages.
import { Solar } from 'lunar-javascript';
import { describe, expect, it } from 'vitest';
import {
  HOLIDAYS,
  formatDay,
  formatLunar,
  formatLunarDate,
  fromLunar,
  holidayDay,
  holidaysBetween,
  leapMonthOf,
  lunarBirthdayIn,
  lunarBirthdayKeysOn,
  nextBirthday,
  solarBirthdayIn,
  solarBirthdayKeysOn,
  toLunar,
  type HolidayKey,
} from '../../src/core/calendar.js';
import { addDays } from '../../src/core/dates.js';
import { translate } from '../../src/messages/index.js';
import { errorOf } from '../helpers/errors.js';

/** Every day from `from` to `to` inclusive. */
function days(from: string, to: string): string[] {
  const all: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) all.push(d);
  return all;
}

describe('holidays', () => {
  // Hong Kong Observatory, Gregorian-Lunar Calendar Conversion Tables of 2020 to 2031
  // (https://www.hko.gov.hk/en/gts/time/conversion.htm, files T2020e.txt ... T2031e.txt): the solar
  // day of lunar 1/1, 1/15, 5/5, 7/7, 8/15 and 9/9. These agree with the mainland's official
  // almanac; note 2027-02-06 and 2030-02-03, where ICU's `chinese` calendar says 02-07 and 02-02.
  const published: Record<number, string[]> = {
    // Spring Festival, Lantern, Dragon Boat, Qixi, Mid-Autumn, Double Ninth
    2020: ['01-25', '02-08', '06-25', '08-25', '10-01', '10-25'],
    2021: ['02-12', '02-26', '06-14', '08-14', '09-21', '10-14'],
    2022: ['02-01', '02-15', '06-03', '08-04', '09-10', '10-04'],
    2023: ['01-22', '02-05', '06-22', '08-22', '09-29', '10-23'],
    2024: ['02-10', '02-24', '06-10', '08-10', '09-17', '10-11'],
    2025: ['01-29', '02-12', '05-31', '08-29', '10-06', '10-29'],
    2026: ['02-17', '03-03', '06-19', '08-19', '09-25', '10-18'],
    2027: ['02-06', '02-20', '06-09', '08-08', '09-15', '10-08'],
    2028: ['01-26', '02-09', '05-28', '08-26', '10-03', '10-26'],
    2029: ['02-13', '02-27', '06-16', '08-16', '09-22', '10-16'],
    2030: ['02-03', '02-17', '06-05', '08-05', '09-12', '10-05'],
    2031: ['01-23', '02-06', '06-24', '08-24', '10-01', '10-24'],
  };
  const lunarKeys: HolidayKey[] = ['spring_festival', 'lantern', 'dragon_boat', 'qixi', 'mid_autumn', 'double_ninth'];

  it.each(Object.entries(published))('falls on the published lunar holidays of %s', (year, dates) => {
    expect(lunarKeys.map((key) => holidayDay(key, Number(year)))).toEqual(dates.map((d) => `${year}-${d}`));
  });

  it("puts Mother's Day on the second Sunday of May and Father's Day on the third Sunday of June", () => {
    const mothers = [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028].map((y) => holidayDay('mothers_day', y));
    expect(mothers).toEqual(['2020-05-10', '2021-05-09', '2022-05-08', '2023-05-14', '2024-05-12', '2025-05-11', '2026-05-10', '2027-05-09', '2028-05-14']);
    const fathers = [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028].map((y) => holidayDay('fathers_day', y));
    expect(fathers).toEqual(['2020-06-21', '2021-06-20', '2022-06-19', '2023-06-18', '2024-06-16', '2025-06-15', '2026-06-21', '2027-06-20', '2028-06-18']);
  });

  it('keeps the fixed ones on their days', () => {
    expect(['new_year', 'womens_day', 'national_day'].map((k) => holidayDay(k as HolidayKey, 2027))).toEqual(['2027-01-01', '2027-03-08', '2027-10-01']);
  });

  it('lists every holiday of a window in order of day, across a new year', () => {
    expect(holidaysBetween('2026-12-15', '2027-02-25')).toEqual([
      { key: 'new_year', day: '2027-01-01' },
      { key: 'spring_festival', day: '2027-02-06' },
      { key: 'lantern', day: '2027-02-20' },
    ]);
    expect(holidaysBetween('2027-01-01', '2027-12-31').map((h) => h.key).sort()).toEqual([...HOLIDAYS].sort());
    // 2023: the Dragon Boat Festival (06-22) after Father's Day (06-18); 2020: Mid-Autumn on National Day.
    expect(holidaysBetween('2023-06-01', '2023-06-30').map((h) => h.key)).toEqual(['fathers_day', 'dragon_boat']);
    expect(holidaysBetween('2020-10-01', '2020-10-01').map((h) => h.key)).toEqual(['mid_autumn', 'national_day']);
    expect(holidaysBetween('2027-02-07', '2027-02-19')).toEqual([]);
  });

  it('has a name for each in both languages', () => {
    expect(HOLIDAYS.map((k) => translate('zh', `holiday.${k}`))).toEqual(['元旦', '春节', '元宵节', '妇女节', '母亲节', '端午节', '父亲节', '七夕', '中秋节', '国庆节', '重阳节']);
    expect(translate('en', 'holiday.mid_autumn')).toBe('Mid-Autumn Festival');
  });
});

describe('lunar dates', () => {
  it('finds the leap months of the published tables (2023 leap 2nd, 2025 leap 6th, 2028 leap 5th)', () => {
    expect([2023, 2024, 2025, 2026, 2027, 2028].map(leapMonthOf)).toEqual([2, 0, 6, 0, 0, 5]);
    expect(toLunar('2023-03-22')).toEqual({ year: 2023, month: 2, day: 1, leap: true });
    expect(toLunar('2025-07-25')).toEqual({ year: 2025, month: 6, day: 1, leap: true });
    expect(toLunar('2028-06-23')).toEqual({ year: 2028, month: 5, day: 1, leap: true });
    expect(toLunar('2027-02-05')).toEqual({ year: 2026, month: 12, day: 29, leap: false });
  });

  it('agrees with lunar-javascript day by day, 2019 to 2032', () => {
    const wrong = days('2019-01-01', '2032-12-31').filter((d) => {
      const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
      const l = Solar.fromYmd(y, m, dd).getLunar();
      const mine = toLunar(d);
      return mine.year !== l.getYear() || (mine.leap ? -mine.month : mine.month) !== l.getMonth() || mine.day !== l.getDay();
    });
    expect(wrong).toEqual([]);
  });

  it('turns a lunar date back into its solar day, or null when it does not exist', () => {
    expect(fromLunar(2025, 6, 1, true)).toBe('2025-07-25');
    expect(fromLunar(2025, 6, 1)).toBe('2025-06-25');
    expect(fromLunar(2025, 12, 29)).toBe('2026-02-16');
    expect(fromLunar(2026, 6, 1, true)).toBeNull(); // no leap 6th month in 2026
    expect(fromLunar(2025, 6, 30, true)).toBeNull(); // the leap 6th month of 2025 has 29 days
    expect(fromLunar(2025, 12, 30)).toBeNull(); // so has its 12th
    expect(fromLunar(2025, 13, 1)).toBeNull();
    expect(fromLunar(2025, 1, 0)).toBeNull();
    for (const d of days('2025-01-01', '2026-12-31')) {
      const l = toLunar(d);
      expect(fromLunar(l.year, l.month, l.day, l.leap)).toBe(d);
    }
  });

  it('refuses a day that is not one', () => {
    const e = errorOf(() => toLunar('2027-13-01'));
    expect([e.id, e.exitCode]).toEqual(['err.date', 2]);
  });
});

describe('lunar birthdays', () => {
  it('keeps a leap-6 birthday in the leap month when the year has it, else in the 6th month', () => {
    expect(lunarBirthdayIn(2025, 6, 15, true)).toBe('2025-08-08');
    expect(formatLunar('2025-08-08', 'zh')).toBe('闰六月十五');
    expect(lunarBirthdayIn(2026, 6, 15, true)).toBe('2026-07-28');
    expect(formatLunar('2026-07-28', 'zh')).toBe('六月十五');
    expect(lunarBirthdayIn(2025, 6, 15, false)).toBe('2025-07-09'); // an ordinary 6th-month birthday stays in the 6th month
    expect(lunarBirthdayIn(2023, 2, 10, true)).toBe('2023-03-31');
    expect(lunarBirthdayIn(2028, 5, 5, true)).toBe('2028-06-27');
    expect(lunarBirthdayIn(2028, 5, 5, false)).toBe('2028-05-28');
  });

  it('keeps day 30 on the 29th in a month of 29 days', () => {
    expect(lunarBirthdayIn(2025, 12, 30, false)).toBe('2026-02-16'); // 2025's 12th month has 29 days: New Year's Eve
    expect(lunarBirthdayIn(2023, 12, 30, false)).toBe('2024-02-09'); // 2023's has 30
    expect(lunarBirthdayIn(2025, 6, 30, true)).toBe('2025-08-22');
  });

  it('keeps a 12th-month birthday in January or February of the next solar year', () => {
    const years = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030];
    const kept = years.map((y) => lunarBirthdayIn(y, 12, 15, false));
    expect(kept.filter((d, i) => !/^\d{4}-0[12]-/.test(d) || !d.startsWith(String(years[i]! + 1)))).toEqual([]);
    expect(kept.slice(7, 10)).toEqual(['2027-01-22', '2028-01-11', '2029-01-29']);
    expect(lunarBirthdayIn(2026, 12, 8, false)).toBe('2027-01-15'); // 腊八 of lunar 2026
    expect(lunarBirthdayIn(2022, 12, 8, false)).toBe('2022-12-30'); // an early day of the month can still be in December
  });

  it('finds whose birthdays fall on a day', () => {
    expect(lunarBirthdayKeysOn('2025-08-22')).toEqual([{ month: 6, day: 29, leap: true }, { month: 6, day: 30, leap: true }]);
    expect(lunarBirthdayKeysOn('2025-06-25')).toEqual([{ month: 6, day: 1, leap: false }]);
    expect(lunarBirthdayKeysOn('2026-07-14')).toEqual([{ month: 6, day: 1, leap: false }, { month: 6, day: 1, leap: true }]);
    expect(lunarBirthdayKeysOn('2026-02-16')).toEqual([
      { month: 12, day: 29, leap: false },
      { month: 12, day: 30, leap: false },
      { month: 12, day: 29, leap: true },
      { month: 12, day: 30, leap: true },
    ]);
  });

  it('agrees with lunarBirthdayIn on every day and every birthday of several years', () => {
    for (const year of [2023, 2025, 2026, 2028]) {
      const first = lunarBirthdayIn(year, 1, 1, false);
      const last = lunarBirthdayIn(year, 12, 30, false);
      const seen = new Map<string, string>();
      for (const d of days(first, last)) {
        for (const k of lunarBirthdayKeysOn(d)) {
          expect(lunarBirthdayIn(year, k.month, k.day, k.leap)).toBe(d);
          seen.set(`${k.month}/${k.day}/${k.leap}`, d);
        }
      }
      // Every birthday there can be (12 months, 30 days, leap or not) is found on exactly its day.
      expect(seen.size).toBe(12 * 30 * 2);
      for (let month = 1; month <= 12; month++) {
        for (let day = 1; day <= 30; day++) {
          for (const leap of [false, true]) expect(seen.get(`${month}/${day}/${leap}`)).toBe(lunarBirthdayIn(year, month, day, leap));
        }
      }
    }
  });
});

describe('solar birthdays', () => {
  it('keeps 02-29 on 02-28 in a common year', () => {
    expect(solarBirthdayKeysOn('2027-02-28')).toEqual(['02-28', '02-29']);
    expect(solarBirthdayKeysOn('2100-02-28')).toEqual(['02-28', '02-29']);
    expect(solarBirthdayKeysOn('2028-02-28')).toEqual(['02-28']);
    expect(solarBirthdayKeysOn('2028-02-29')).toEqual(['02-29']);
    expect(solarBirthdayKeysOn('2027-03-01')).toEqual(['03-01']);
    expect(solarBirthdayIn(2027, 2, 29)).toBe('2027-02-28');
    expect(solarBirthdayIn(2028, 2, 29)).toBe('2028-02-29');
  });
});

describe('the next birthday', () => {
  it('of a solar birthday, with or without its year', () => {
    expect(nextBirthday('1992-02-29', false, false, '2027-01-10')).toBe('2027-02-28');
    expect(nextBirthday('1992-02-29', false, false, '2027-03-01')).toBe('2028-02-29');
    expect(nextBirthday('--12-25', false, false, '2026-12-25')).toBe('2026-12-25');
    expect(nextBirthday('--12-25', false, false, '2026-12-26')).toBe('2027-12-25');
  });

  it('of a lunar birthday, leap months and short months included', () => {
    expect(nextBirthday('--06-15', true, true, '2025-08-01')).toBe('2025-08-08');
    expect(nextBirthday('--06-15', true, true, '2025-08-09')).toBe('2026-07-28');
    expect(nextBirthday('1988-12-30', true, false, '2026-01-01')).toBe('2026-02-16');
    expect(nextBirthday('--01-01', true, false, '2026-02-18')).toBe('2027-02-06');
    expect(nextBirthday('--12-08', true, false, '2027-01-16')).toBe('2028-01-04');
  });

  it('refuses a birthday that is not stored as one', () => {
    expect(errorOf(() => nextBirthday('Dec 25', false, false, '2027-01-01')).id).toBe('err.birthday');
    expect(errorOf(() => nextBirthday('--13-01', true, false, '2027-01-01')).id).toBe('err.birthday.lunar');
  });
});

describe('dates for people', () => {
  it('writes a solar day in both languages, long and short', () => {
    expect(formatDay('2027-02-06', 'zh')).toBe('2027年2月6日');
    expect(formatDay('2027-02-06', 'zh', 'short')).toBe('2月6日');
    expect(formatDay('2027-02-06', 'en')).toBe('February 6, 2027');
    expect(formatDay('2027-02-06', 'en', 'short')).toBe('Feb 6');
    expect(formatDay('2026-12-25', 'en', 'short')).toBe('Dec 25');
  });

  it('writes a lunar date as people say it', () => {
    expect(formatLunar('2027-02-15', 'zh')).toBe('正月初十');
    expect(formatLunar('2027-02-15', 'en')).toBe('1st lunar month, day 10');
    expect(formatLunar('2025-08-08', 'en')).toBe('leap 6th lunar month, day 15');
    expect(formatLunar('2024-02-09', 'zh')).toBe('腊月三十');
    expect(formatLunar('2024-02-09', 'en')).toBe('12th lunar month, day 30');
    expect(formatLunar('2026-12-09', 'zh')).toBe('冬月初一');
    expect(formatLunar('2026-11-10', 'en')).toBe('10th lunar month, day 2');
    const names = Array.from({ length: 30 }, (_, i) => formatLunarDate({ month: 2, day: i + 1, leap: false }, 'zh').slice(2));
    expect(names.join(' ')).toBe(
      '初一 初二 初三 初四 初五 初六 初七 初八 初九 初十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 廿一 廿二 廿三 廿四 廿五 廿六 廿七 廿八 廿九 三十',
    );
    expect([1, 2, 3, 11].map((m) => formatLunarDate({ month: m, day: 1, leap: false }, 'en'))).toEqual([
      '1st lunar month, day 1',
      '2nd lunar month, day 1',
      '3rd lunar month, day 1',
      '11th lunar month, day 1',
    ]);
  });
});
