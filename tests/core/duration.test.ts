// Lengths of time: one parser for every option that takes one, calendar steps where calendar units
// are said, clock steps for minutes and hours, and one clear line for what is not a length.
import { describe, expect, it } from 'vitest';
import { daysBetween } from '../../src/core/dates.js';
import { backFrom, dayBack, monthsIn, parseDayLength, parseDuration, parseMonthLength, parsePeriod, readMonths, sinceDay, sinceWhen, type Duration } from '../../src/core/duration.js';
import type { CrmError } from '../../src/errors.js';
import { errorOf } from '../helpers/errors.js';
import { translate } from '../../src/messages/index.js';


const text = (e: CrmError, lang: 'en' | 'zh' = 'en') => translate(lang, e.id, e.params);

describe('parseDuration', () => {
  const read: [string, Duration][] = [
    ['30min', { count: 30, unit: 'minute' }],
    ['1 minute', { count: 1, unit: 'minute' }],
    ['45 minutes', { count: 45, unit: 'minute' }],
    ['30分钟', { count: 30, unit: 'minute' }],
    ['2h', { count: 2, unit: 'hour' }],
    ['2 hours', { count: 2, unit: 'hour' }],
    ['1hour', { count: 1, unit: 'hour' }],
    ['2小时', { count: 2, unit: 'hour' }],
    ['2个小时', { count: 2, unit: 'hour' }],
    ['7d', { count: 7, unit: 'day' }],
    ['365d', { count: 365, unit: 'day' }],
    ['7 days', { count: 7, unit: 'day' }],
    ['1 day', { count: 1, unit: 'day' }],
    ['7天', { count: 7, unit: 'day' }],
    ['7日', { count: 7, unit: 'day' }],
    ['12w', { count: 12, unit: 'week' }],
    ['12 weeks', { count: 12, unit: 'week' }],
    ['2周', { count: 2, unit: 'week' }],
    ['2星期', { count: 2, unit: 'week' }],
    ['2个星期', { count: 2, unit: 'week' }],
    ['6mo', { count: 6, unit: 'month' }],
    ['6 months', { count: 6, unit: 'month' }],
    ['1month', { count: 1, unit: 'month' }],
    ['6个月', { count: 6, unit: 'month' }],
    ['1q', { count: 1, unit: 'quarter' }],
    ['2 quarters', { count: 2, unit: 'quarter' }],
    ['1季度', { count: 1, unit: 'quarter' }],
    ['1个季度', { count: 1, unit: 'quarter' }],
    ['1y', { count: 1, unit: 'year' }],
    ['2 years', { count: 2, unit: 'year' }],
    ['1年', { count: 1, unit: 'year' }],
    // Case, spaces around, full-width digits and letters (NFKC).
    [' 6MO ', { count: 6, unit: 'month' }],
    ['１２ｗ', { count: 12, unit: 'week' }],
    ['６个月', { count: 6, unit: 'month' }],
    ['100y', { count: 100, unit: 'year' }],
  ];
  it.each(read)('reads %j', (raw, want) => {
    expect(parseDuration(raw, '--since')).toEqual(want);
  });

  it.each(['6m', '12m', '6 m', '12M', '１２m'])('refuses %j as months or minutes, with the two spellings to write', (raw) => {
    const e = errorOf(() => parseDuration(raw, '--since'));
    expect(e.exitCode).toBe(2);
    expect(e.id).toBe('err.length.minutesOrMonths');
    const n = /\d+/.exec(raw.normalize('NFKC'))![0];
    expect(text(e)).toBe(`--since "${raw}": is that months or minutes? Write ${n}mo (months) or ${n}min (minutes).`);
    expect(text(e, 'zh')).toContain(`${n}mo（月）`);
  });

  it('suggests only months for a bare m where minutes are not taken', () => {
    for (const [option, parse] of [['--window', parseDayLength], ['--holdout', parseDayLength], ['--horizon', parseMonthLength]] as const) {
      const e = errorOf(() => parse('12m', option));
      expect(e.exitCode).toBe(2);
      expect(text(e)).toBe(`${option} "12m": m alone is not a unit here; write 12mo for months.`);
      expect(text(e)).not.toContain('min');
      expect(text(e, 'zh')).toContain('12mo');
    }
  });

  const notLengths = ['', 'soon', '0d', '-1d', '1.5h', 'd', '7', '7x', '6mon', '6 月', '6月', 'a year', '3 fortnights', '2026-01-01'];
  it.each(notLengths)('refuses %j with the accepted forms', (raw) => {
    const e = errorOf(() => parseDuration(raw, '--since'));
    expect(e.exitCode).toBe(2);
    expect(text(e)).toBe(`--since "${raw}" is not a length of time: use 30min, 2h, 7d, 12w, 6mo, 1q, 1y`);
  });

  it('refuses lengths over 100 years', () => {
    expect(errorOf(() => parseDayLength('101y', '--window')).id).toBe('err.length.tooLong');
    expect(errorOf(() => parseDayLength('36526d', '--window')).id).toBe('err.length.tooLong');
    expect(parseDuration('36525d').count).toBe(36525);
  });

  it('refuses minutes and hours where whole days are needed', () => {
    expect(parseDayLength('12w', '--window')).toEqual({ count: 12, unit: 'week' });
    const e = errorOf(() => parseDayLength('48h', '--window'));
    expect(e.exitCode).toBe(2);
    expect(text(e)).toBe('--window "48h" is not a length of whole days or more: use 7d, 12w, 6mo, 1q, 1y');
  });

  it('lists only the forms the option takes', () => {
    // Days or more (--window, --holdout): no minutes or hours in the hint.
    for (const raw of ['forever', '0w', '2h', '30min']) {
      expect(text(errorOf(() => parseDayLength(raw, '--window')))).toBe(`--window "${raw}" is not a length of whole days or more: use 7d, 12w, 6mo, 1q, 1y`);
      expect(text(errorOf(() => parseDayLength(raw, '--holdout')))).toBe(`--holdout "${raw}" is not a length of whole days or more: use 7d, 12w, 6mo, 1q, 1y`);
    }
    // Months only (--horizon): neither days nor the clock.
    for (const raw of ['soon', '7d', '26w', '2h']) {
      const e = errorOf(() => parseMonthLength(raw, '--horizon'));
      expect(e.exitCode).toBe(2);
      expect(text(e)).toBe(`--horizon "${raw}": use months, quarters or years, such as 12mo, 4q or 2y`);
      expect(text(e, 'zh')).toBe(`--horizon "${raw}"：请用月、季度或年，如 12mo、4q 或 2y`);
    }
    expect(parseMonthLength('4q', '--horizon')).toBe(12);
    expect(parseDayLength('6mo', '--holdout')).toEqual({ count: 6, unit: 'month' });
  });
});

describe('stepping from a day', () => {
  const d = (raw: string) => parseDuration(raw);
  const steps: [string, string, string][] = [
    // day, length, back
    ['2026-03-31', '1mo', '2026-02-28'],
    ['2024-03-31', '1mo', '2024-02-29'],
    ['2026-05-31', '1q', '2026-02-28'],
    ['2024-02-29', '1y', '2023-02-28'],
    ['2026-11-22', '6mo', '2026-05-22'],
    ['2026-11-22', '6个月', '2026-05-22'],
    ['2026-11-22', '12w', '2026-08-30'],
    ['2026-03-01', '1d', '2026-02-28'],
    ['2026-11-22', '365d', '2025-11-22'],
  ];
  it.each(steps)('%s back by %s: %s', (day, raw, back) => {
    expect(dayBack(day, d(raw))).toBe(back);
  });

  it('steps calendar months, not 30 days', () => {
    const daysEnding = (day: string, raw: string) => daysBetween(dayBack(day, d(raw)), day);
    expect(daysEnding('2026-06-30', '12mo')).toBe(365);
    expect(daysEnding('2024-06-30', '12mo')).toBe(366);
    expect(daysEnding('2024-06-30', '1y')).toBe(366);
    expect(daysEnding('2026-06-30', '365d')).toBe(365);
    expect(daysEnding('2026-03-31', '1mo')).toBe(31);
    expect(daysEnding('2026-11-22', '2w')).toBe(14);
  });

  it('refuses to step a day by the clock', () => {
    expect(() => dayBack('2026-11-22', d('2h'))).toThrow(RangeError);
  });

  it('says the whole months in calendar lengths only', () => {
    expect(monthsIn(d('12mo'))).toBe(12);
    expect(monthsIn(d('1y'))).toBe(12);
    expect(monthsIn(d('4q'))).toBe(12);
    expect(monthsIn(d('30d'))).toBeNull();
    expect(monthsIn(d('2h'))).toBeNull();
  });
});

describe('stepping from an instant', () => {
  const at = '2026-11-22T02:00:00.000Z'; // 10:00 in Shanghai
  const d = (raw: string) => parseDuration(raw);
  const steps: [string, string, string, string][] = [
    // zone, length, back, forward
    ['Asia/Shanghai', '30min', '2026-11-22T01:30:00.000Z', '2026-11-22T02:30:00.000Z'],
    ['Asia/Shanghai', '2h', '2026-11-22T00:00:00.000Z', '2026-11-22T04:00:00.000Z'],
    ['Asia/Shanghai', '7d', '2026-11-15T02:00:00.000Z', '2026-11-29T02:00:00.000Z'],
    ['Asia/Shanghai', '6mo', '2026-05-22T02:00:00.000Z', '2027-05-22T02:00:00.000Z'],
    ['Asia/Shanghai', '1y', '2025-11-22T02:00:00.000Z', '2027-11-22T02:00:00.000Z'],
    // Days step the calendar in the zone (the same wall-clock time across a DST change); hours the clock.
    ['Europe/Berlin', '1d', '2026-11-21T02:00:00.000Z', '2026-11-23T02:00:00.000Z'],
  ];
  it.each(steps)('in %s by %s', (zone, raw, back, forward) => {
    expect(backFrom(at, d(raw), zone)).toBe(back);
    expect(backFrom(new Date(forward), d(raw), zone)).toBe(at);
  });

  it('steps days by the calendar and hours by the clock across a daylight saving change', () => {
    const afterChange = '2026-03-29T10:00:00.000Z'; // 12:00 in Berlin, summer time since 02:00
    expect(backFrom(afterChange, d('1d'), 'Europe/Berlin')).toBe('2026-03-28T11:00:00.000Z'); // 12:00 the day before
    expect(backFrom(afterChange, d('24h'), 'Europe/Berlin')).toBe('2026-03-28T10:00:00.000Z');
  });
});

describe('sinceWhen (--since)', () => {
  const now = new Date('2026-11-22T02:00:00Z');
  const zone = 'Asia/Shanghai';
  const since: [string, string][] = [
    ['30d', '2026-10-23'],
    ['12w', '2026-08-30'],
    ['6mo', '2026-05-22'],
    ['6 months', '2026-05-22'],
    ['1q', '2026-08-22'],
    ['1y', '2025-11-22'],
    ['365d', '2025-11-22'],
    ['2h', '2026-11-22'],
    ['11h', '2026-11-21'],
    ['2026-01-01', '2026-01-01'],
    ['today', '2026-11-22'],
  ];
  it.each(since)('%s -> %s', (raw, day) => {
    expect(sinceWhen(raw, zone, now).day).toBe(day);
  });

  it('a length gives the instant that long ago, a date its start in the shop zone', () => {
    expect(sinceWhen('2h', zone, now).at).toBe('2026-11-22T00:00:00.000Z');
    expect(sinceWhen('2026-01-01', zone, now).at).toBe('2025-12-31T16:00:00.000Z');
  });

  it('refuses 6m with the hint, garbage with the forms and "or a date", a wrong date as a date', () => {
    expect(text(errorOf(() => sinceWhen('6m', zone, now)))).toBe('--since "6m": is that months or minutes? Write 6mo (months) or 6min (minutes).');
    const soon = errorOf(() => sinceWhen('soon', zone, now));
    expect(soon.exitCode).toBe(2);
    expect(text(soon)).toBe('--since "soon" is not a length of time or a date: use 30min, 2h, 7d, 12w, 6mo, 1q, 1y (or a date)');
    const bad = errorOf(() => sinceWhen('2026-13-01', zone, now));
    expect(bad.exitCode).toBe(2);
    expect(text(bad)).toBe('--since "2026-13-01" is not a date such as 2026-03-05 or "2026-03-05 14:30"');
    expect(text(errorOf(() => sinceWhen('2026-02-30', zone, now)))).toContain('--since "2026-02-30" is not a date');
  });
});

describe('sinceDay (--since on a filter by day)', () => {
  const zone = 'Asia/Shanghai';
  const justAfterMidnight = new Date('2026-11-21T16:10:00Z'); // 2026-11-22 00:10 in Shanghai
  it('counts days back from today, whatever the time of day', () => {
    expect(sinceDay('1d', zone, justAfterMidnight)).toBe('2026-11-21');
    expect(sinceDay('7d', zone, justAfterMidnight)).toBe('2026-11-15');
    expect(sinceDay('6mo', zone, justAfterMidnight)).toBe('2026-05-22');
    expect(sinceDay('1y', zone, new Date('2026-11-22T15:59:00Z'))).toBe('2025-11-22'); // 23:59
    expect(sinceDay('2026-01-01', zone, justAfterMidnight)).toBe('2026-01-01');
    expect(sinceDay('today', zone, justAfterMidnight)).toBe('2026-11-22');
  });

  it('refuses minutes and hours: a day has no time of day', () => {
    for (const raw of ['5min', '30min', '2h']) {
      const e = errorOf(() => sinceDay(raw, zone, justAfterMidnight));
      expect(e.exitCode).toBe(2);
      expect(text(e)).toBe(`--since "${raw}": this filters by day, and days have no time of day: use 1d, 7d, 12w, 6mo or a date`);
    }
  });

  it('hints only day forms, and names the option for a wrong date', () => {
    expect(text(errorOf(() => sinceDay('soon', zone, justAfterMidnight)))).toBe('--since "soon" is not a length of whole days or more or a date: use 7d, 12w, 6mo, 1q, 1y (or a date)');
    expect(text(errorOf(() => sinceDay('6m', zone, justAfterMidnight)))).toBe('--since "6m": m alone is not a unit here; write 6mo for months.');
    expect(text(errorOf(() => sinceDay('2026-13-01', zone, justAfterMidnight)))).toContain('--since "2026-13-01" is not a date');
  });
});

describe('readMonths (tier --months)', () => {
  const months: [string, number | null][] = [
    ['12', 12],
    ['１２', 12],
    [' 6 ', 6],
    ['12mo', 12],
    ['4q', 12],
    ['1y', 12],
    ['１ｙ', 12],
    ['6个月', 6],
    ['0', null],
    ['6w', null],
    ['30d', null],
    ['soon', null],
    ['1.5', null],
    ['12m', null],
    ['2h', null],
  ];
  it.each(months)('%j -> %j', (raw, want) => {
    expect(readMonths(raw)).toBe(want);
  });
});

describe('parsePeriod (stats --period)', () => {
  const periods: [string, string | null][] = [
    ['month', 'month'],
    ['months', 'month'],
    ['mo', 'month'],
    ['月', 'month'],
    ['个月', 'month'],
    ['quarter', 'quarter'],
    ['Q', 'quarter'],
    ['1q', 'quarter'],
    ['季度', 'quarter'],
    ['季', 'quarter'],
    ['year', 'year'],
    ['年', 'year'],
    ['week', 'week'],
    ['m', null],
    ['fortnight', null],
    ['2q', null],
  ];
  it.each(periods)('%j -> %j', (raw, want) => {
    expect(parsePeriod(raw)).toBe(want);
  });
});
