// The business-hours clock on hand-worked deadlines: a weekend, the 2026 Spring Festival with its
// make-up working Saturdays and New Year's make-up Sunday (from the shipped 2026 notice), the night,
// a lunch break, hours that pass midnight, a DST zone, a year without holiday data, all-hours mode,
// a shop that never opens; the opening-hours setting; and a holiday file checked with its lines.
import fs from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addWorkingTime,
  makeUpDayHours,
  parseHolidayFile,
  parseOpeningHours,
  workingMinutesBetween,
  type HolidayDay,
  type WorkCalendar,
} from '../../src/core/business-hours.js';
import { ROOT } from '../helpers/crm.js';
import { errorOf } from '../helpers/errors.js';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';
const OFFICE = 'mon-fri 09:00-18:00; sat-sun closed';

const at = (local: string, zone = SHANGHAI) => DateTime.fromISO(local.replace(' ', 'T'), { zone }).toJSDate();
const local = (d: Date, zone = SHANGHAI) => DateTime.fromJSDate(d).setZone(zone).toFormat('yyyy-MM-dd HH:mm');

function shipped(year: number): { year: number; days: HolidayDay[] } {
  const file = path.join(ROOT, 'data', 'holidays', `${year}.json`);
  return parseHolidayFile(fs.readFileSync(file, 'utf8'), file);
}

/** A calendar of these opening hours and these shipped years' notices. */
function calendar(hours: string, years: number[] = [2026], extra: HolidayDay[] = []): WorkCalendar {
  const days = years.flatMap((y) => shipped(y).days).concat(extra);
  return { hours: parseOpeningHours(hours), days: new Map(days.map((d) => [d.date, d])), years: new Set(years) };
}

/** The deadline `minutes` after a local time, as a local time (and the years without data). */
function deadline(start: string, minutes: number, cal: WorkCalendar | null, zone = SHANGHAI): [string, number[]] {
  const r = addWorkingTime(at(start, zone), minutes, cal, zone);
  return [local(r.at, zone), r.missingYears];
}

function between(from: string, to: string, cal: WorkCalendar | null, zone = SHANGHAI): [number, number[]] {
  const r = workingMinutesBetween(at(from, zone), at(to, zone), cal, zone);
  return [r.minutes, r.missingYears];
}

describe('opening hours (the business_hours setting)', () => {
  it('reads days, ranges, several spans, closed days and 24:00', () => {
    expect(parseOpeningHours('mon-fri 09:00-18:00; sat 10:00-16:00; sun closed')).toEqual({
      0: [],
      1: [[540, 1080]],
      2: [[540, 1080]],
      3: [[540, 1080]],
      4: [[540, 1080]],
      5: [[540, 1080]],
      6: [[600, 960]],
    });
    expect(parseOpeningHours('mon-fri 09:00-12:00,13:30-18:00')[3]).toEqual([[540, 720], [810, 1080]]);
    expect(parseOpeningHours('sat-sun 00:00-24:00')[0]).toEqual([[0, 1440]]);
    expect(parseOpeningHours('Mon-Sun 09:00-21:00; sun closed')[0]).toEqual([]);
    expect(parseOpeningHours('Mon-Sun 09:00-21:00; sun closed')[6]).toEqual([[540, 1260]]);
    // A range that wraps past Sunday, and a span that passes midnight.
    expect(parseOpeningHours('fri-mon 18:00-02:00')).toMatchObject({ 5: [[1080, 1560]], 6: [[1080, 1560]], 0: [[1080, 1560]], 1: [[1080, 1560]], 2: [] });
  });

  it('refuses what the setting pattern lets through but is no time', () => {
    for (const bad of ['mon 24:30-25:00', 'mon 09:00-09:00', 'mon 09:60-10:00', 'xyz 09:00-10:00', '']) {
      expect(errorOf(() => parseOpeningHours(bad)).id, bad).toBe('err.setting.businessHours');
    }
  });

  it("gives a make-up working day Monday's hours, or the first weekday's that has any", () => {
    expect(makeUpDayHours(parseOpeningHours('mon-fri 09:00-18:00; sat 10:00-16:00'))).toEqual([[540, 1080]]);
    expect(makeUpDayHours(parseOpeningHours('mon closed; tue-sun 10:00-22:00'))).toEqual([[600, 1320]]);
    expect(makeUpDayHours(parseOpeningHours('sat-sun 10:00-16:00; mon-fri closed'))).toEqual([[600, 960]]);
  });
});

describe('deadlines in business hours', () => {
  const office = calendar(OFFICE);

  it('skips the weekend: Friday 16:00 + 4 h is Monday 11:00', () => {
    expect(deadline('2026-03-06 16:00', 240, office)).toEqual(['2026-03-09 11:00', []]);
    expect(between('2026-03-06 16:00', '2026-03-09 11:00', office)).toEqual([240, []]);
    // Started on a Saturday: the clock starts on Monday at opening.
    expect(deadline('2026-03-07 10:00', 60, office)).toEqual(['2026-03-09 10:00', []]);
  });

  it('runs overnight: Tuesday 17:30 + 1 h is Wednesday 09:30; one that ends at closing ends at 18:00', () => {
    expect(deadline('2026-03-10 17:30', 60, office)).toEqual(['2026-03-11 09:30', []]);
    expect(deadline('2026-03-10 17:00', 60, office)).toEqual(['2026-03-10 18:00', []]);
    expect(between('2026-03-10 17:30', '2026-03-11 09:30', office)).toEqual([60, []]);
  });

  it('stops for a lunch break', () => {
    const lunch = calendar('mon-fri 09:00-12:00,13:30-18:00');
    expect(deadline('2026-03-09 11:00', 120, lunch)).toEqual(['2026-03-09 14:30', []]);
    expect(between('2026-03-09 09:00', '2026-03-09 18:00', lunch)).toEqual([450, []]);
    expect(between('2026-03-09 12:15', '2026-03-09 13:00', lunch)).toEqual([0, []]);
  });

  it('counts the 2026 Spring Festival closed and its make-up Saturdays open', () => {
    // Fri 02-13 15:00-18:00 3 h; Sat 02-14 (调休) 09:00-18:00 9 h; 02-15..02-23 off; Tue 02-24 9 h; Wed 02-25 09:00 + 3 h.
    expect(deadline('2026-02-13 15:00', 24 * 60, office)).toEqual(['2026-02-25 12:00', []]);
    expect(between('2026-02-13 15:00', '2026-02-25 12:00', office)).toEqual([24 * 60, []]);
    expect(between('2026-02-15 00:00', '2026-02-24 00:00', office)).toEqual([0, []]);
    // Fri 02-27 17:00 + 2 h: one hour on Friday, one on the make-up Saturday 02-28.
    expect(deadline('2026-02-27 17:00', 120, office)).toEqual(['2026-02-28 10:00', []]);
    // Without the notice the same deadline is on Monday.
    expect(deadline('2026-02-27 17:00', 120, { ...office, days: new Map(), years: new Set([2026]) })).toEqual(['2026-03-02 10:00', []]);
  });

  it("opens a make-up Sunday (2026-01-04) after New Year's days off", () => {
    // Thu 01-01 to Sat 01-03 off, Sun 01-04 a working day.
    expect(deadline('2025-12-31 17:00', 120, calendar(OFFICE, [2025, 2026]))).toEqual(['2026-01-04 10:00', []]);
  });

  it("gives a make-up Saturday Monday's hours, not Saturday's", () => {
    const withSaturday = calendar('mon-fri 09:00-18:00; sat 10:00-16:00; sun closed');
    expect(deadline('2026-02-14 08:00', 60, withSaturday)).toEqual(['2026-02-14 10:00', []]);
    expect(deadline('2026-03-07 08:00', 60, withSaturday)).toEqual(['2026-03-07 11:00', []]);
    expect(deadline('2026-03-07 15:30', 60, withSaturday)).toEqual(['2026-03-09 09:30', []]);
  });

  it('counts hours that pass midnight with the day they start on', () => {
    const bar = calendar('fri 18:00-02:00');
    expect(deadline('2026-03-06 23:00', 120, bar)).toEqual(['2026-03-07 01:00', []]);
    expect(deadline('2026-03-07 01:00', 30, bar)).toEqual(['2026-03-07 01:30', []]);
    expect(deadline('2026-03-07 01:30', 60, bar)).toEqual(['2026-03-13 18:30', []]);
    expect(between('2026-03-06 17:00', '2026-03-07 12:00', bar)).toEqual([480, []]);
  });

  it('counts real minutes across a DST change (Europe/Berlin, 2026-03-29 and 2026-10-25)', () => {
    const always: WorkCalendar = { hours: parseOpeningHours('mon-sun 00:00-24:00'), days: new Map(), years: new Set([2026]) };
    // 12 h + 23 h (02:00-03:00 does not exist) + 12 h.
    expect(between('2026-03-28 12:00', '2026-03-30 12:00', always, BERLIN)).toEqual([47 * 60, []]);
    expect(deadline('2026-03-29 00:00', 180, always, BERLIN)).toEqual(['2026-03-29 04:00', []]);
    // The autumn day has 25 hours.
    expect(between('2026-10-25 00:00', '2026-10-26 00:00', always, BERLIN)).toEqual([25 * 60, []]);
    expect(deadline('2026-10-25 00:00', 180, always, BERLIN)).toEqual(['2026-10-25 02:00', []]);
    // Office hours across the spring weekend: Friday 17:00 + 2 h is Monday 10:00, now UTC+2.
    const office: WorkCalendar = { ...always, hours: parseOpeningHours(OFFICE) };
    const r = addWorkingTime(at('2026-03-27 17:00', BERLIN), 120, office, BERLIN);
    expect(r.at.toISOString()).toBe('2026-03-30T08:00:00.000Z');
  });

  it('counts a year without holiday data on weekly hours and says which year', () => {
    // 2026-12-31 17:00 + 2 h: 1 h on Thursday, then Friday 2027-01-01 (no 2027 notice) counts as a weekday.
    expect(deadline('2026-12-31 17:00', 120, office)).toEqual(['2027-01-01 10:00', [2027]]);
    expect(between('2026-12-31 17:00', '2027-01-04 12:00', office)).toEqual([60 + 540 + 180, [2027]]);
    expect(deadline('2026-12-30 17:30', 60, office)).toEqual(['2026-12-31 09:30', []]);
    expect(deadline('2025-06-02 09:00', 60, office)).toEqual(['2025-06-02 10:00', [2025]]);
  });

  it('counts every minute in all-hours mode', () => {
    expect(deadline('2026-02-13 15:00', 24 * 60, null)).toEqual(['2026-02-14 15:00', []]);
    expect(between('2026-02-13 15:00', '2026-02-14 15:00', null)).toEqual([24 * 60, []]);
    expect(between('2026-02-14 15:00', '2026-02-13 15:00', office)).toEqual([0, []]);
    expect(deadline('2026-02-15 12:00', 0, office)).toEqual(['2026-02-15 12:00', []]);
  });

  it('refuses a calendar that never opens instead of looping', () => {
    const closed = { ...office, hours: parseOpeningHours('mon-sun closed') };
    const e = errorOf(() => addWorkingTime(at('2026-03-09 09:00'), 60, closed, SHANGHAI));
    expect([e.id, e.exitCode]).toEqual(['err.hours.neverOpen', 2]);
    const everyDayOff: HolidayDay[] = [];
    for (let d = DateTime.fromISO('2026-01-01'); d.year < 2028; d = d.plus({ days: 1 })) everyDayOff.push({ date: d.toISODate()!, name: 'x', isOffDay: true });
    const offForTwoYears: WorkCalendar = { ...office, days: new Map(everyDayOff.map((d) => [d.date, d])), years: new Set([2026, 2027]) };
    expect(errorOf(() => addWorkingTime(at('2026-03-09 09:00'), 60, offForTwoYears, SHANGHAI)).id).toBe('err.hours.neverOpen');
  });

  it('works out 100,000 deadlines of 24 business hours, at least three days on and two halves making the whole', () => {
    const cal = calendar('mon-fri 09:00-12:00,13:30-18:00; sat 10:00-16:00', [2025, 2026]);
    const start = Date.parse('2025-01-01T00:00:00+08:00');
    let wrong = 0;
    for (let i = 0; i < 100_000; i++) {
      const from = start + ((i * 7_919_000) % (600 * 86_400_000));
      const at = addWorkingTime(new Date(from), 24 * 60, cal, SHANGHAI).at.getTime();
      // 24 business hours are at least 3 days away (at most 7.5 h a day), and two halves make the whole.
      if (at - from < 3 * 86_400_000) wrong++;
      if (i % 100 === 0) {
        const half = addWorkingTime(new Date(from), 12 * 60, cal, SHANGHAI).at;
        if (addWorkingTime(half, 12 * 60, cal, SHANGHAI).at.getTime() !== at) wrong++;
      }
    }
    expect(wrong).toBe(0);
  });
});

describe('holiday files (the holiday-cn format)', () => {
  it('reads the shipped 2026 notice', () => {
    const n = shipped(2026);
    expect(n.year).toBe(2026);
    expect(n.days).toHaveLength(39);
    expect(n.days.filter((d) => !d.isOffDay).map((d) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    // The 2023 notice moves a day of December 2022.
    expect(shipped(2023).days[0]).toEqual({ name: '元旦', date: '2022-12-31', isOffDay: true });
  });

  const file = (days: string, year = '2027') => `{\n  "year": ${year},\n  "days": [\n${days}\n  ]\n}\n`;
  const day = (date: string, extra = '"isOffDay": true') => `    { "name": "春节", "date": "${date}", ${extra} }`;
  const refused = (text: string) => {
    const e = errorOf(() => parseHolidayFile(text, '2027.json'));
    expect(e.exitCode).toBe(2);
    return [e.id, e.message];
  };

  it('names the file, the line and the field of what is wrong', () => {
    const ok = [day('2027-02-06'), day('2027-02-07')].join(',\n');
    expect(parseHolidayFile(file(ok), '2027.json').days).toHaveLength(2);
    expect(refused(file([day('2027-02-06'), day('2026-02-07')].join(',\n')))).toEqual([
      'err.holidays.wrongYear',
      '2027.json:5: days[1].date: 2026-02-07 is not in 2027 (a notice holds days of its year and of the December before)',
    ]);
    // The December before is allowed; the days come back in order.
    expect(parseHolidayFile(file([day('2027-02-06'), day('2026-12-31')].join(',\n')), '2027.json').days.map((d) => d.date)).toEqual(['2026-12-31', '2027-02-06']);
    expect(refused(file([day('2027-02-06'), day('2027-02-30')].join(',\n')))).toEqual(['err.holidays.date', '2027.json:5: days[1].date: "2027-02-30" is not a date written YYYY-MM-DD']);
    expect(refused(file(day('2027-02-06', '"off": true')))).toEqual(['err.holidays.missing', '2027.json:4: days[0].isOffDay is missing']);
    expect(refused(file(day('2027-02-06', '"isOffDay": "yes"')))[1]).toBe('2027.json:4: days[0].isOffDay must be true (a day off) or false (a make-up working day)');
    expect(refused(file([day('2027-02-06'), day('2027-02-06')].join(',\n')))[1]).toBe('2027.json:5: days[1].date: 2027-02-06 is listed twice (first on line 4)');
    expect(refused(file(day('2027-02-06'), '"2027"'))).toEqual(['err.holidays.year', '2027.json:2: year must be a year such as 2027']);
    expect(refused('{\n  "days": []\n}')).toEqual(['err.holidays.missing', '2027.json:1: year is missing']);
    expect(refused(file(''))).toEqual(['err.holidays.noDays', '2027.json:3: the 2027 notice lists no days (has it been published?)']);
    expect(refused('[]')[0]).toBe('err.holidays.notObject');
  });

  it('gives the line of a JSON syntax error', () => {
    // A trailing comma after the last day: the "]" on line 5 is unexpected.
    expect(refused(file(`${day('2027-02-06')},`))).toEqual(['err.holidays.json', '2027.json:5: not valid JSON: unexpected ]']);
    expect(refused(file(day('2027-02-06')).replace('"name"', 'name'))[1]).toBe('2027.json:4: not valid JSON: unexpected n');
    expect(refused('{\n  "year": 2027,\n  "days": [\n')).toEqual(['err.holidays.jsonEnd', '2027.json:4: not valid JSON: the file ends too early']);
  });
});
