// The calendar of a shop's year: lunar dates (from lunar-javascript, never the runtime's ICU
// `chinese` calendar, which is a day off in 2027 and 2030), the day a solar or lunar birthday is
// kept on in a given year and, the other way round, whose birthdays fall on a day, the holidays
// greetings go out for, and dates written for people. Days are YYYY-MM-DD in the shop's zone; the
// months of each lunar year are worked out once and kept, so asking about every day of a month
// costs a few array lookups a day.
import { LunarYear, Solar } from 'lunar-javascript';
import { badInput } from '../errors.js';
import { isoDay as toIsoDay } from './dates.js';

export interface LunarDate { year: number; month: number; day: number; leap: boolean }
/** A lunar birthday as stored: a month, a day and whether the month is a leap month. */
export interface LunarKey { month: number; day: number; leap: boolean }

interface MonthSpan { month: number; leap: boolean; days: number; first: number }

const DAY_MS = 86_400_000;
const spans = new Map<number, MonthSpan[]>();

/** Days since 1970-01-01 of a YYYY-MM-DD day (a malformed one is bad input). */
function dayNumber(day: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms)) throw badInput('err.date', { value: day });
  return ms / DAY_MS;
}

function dayOf(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The months of lunar year `year` in order, each with its first day (lunar-javascript computes them once per year). */
function monthsOf(year: number): MonthSpan[] {
  let months = spans.get(year);
  if (!months) {
    months = LunarYear.fromYear(year).getMonthsInYear().map((m) => ({
      month: Math.abs(m.getMonth()),
      leap: m.isLeap(),
      days: m.getDayCount(),
      first: dayNumber(Solar.fromJulianDay(m.getFirstJulianDay()).toYmd()),
    }));
    spans.set(year, months);
  }
  return months;
}

function monthIn(year: number, month: number, leap: boolean): MonthSpan | undefined {
  return monthsOf(year).find((m) => m.month === month && m.leap === leap);
}

/** The number of lunar year `year`'s leap month, or 0 when it has none. */
export function leapMonthOf(year: number): number {
  return monthsOf(year).find((m) => m.leap)?.month ?? 0;
}

/** The lunar month holding day number n, and its lunar year. */
function spanOf(n: number): { year: number; span: MonthSpan } {
  const solarYear = new Date(n * DAY_MS).getUTCFullYear();
  // A lunar year starts between late January and late February, so a solar day is in lunar year y or y - 1.
  for (const year of [solarYear, solarYear - 1]) {
    const span = monthsOf(year).find((m) => n >= m.first && n < m.first + m.days);
    if (span) return { year, span };
  }
  throw badInput('err.date', { value: dayOf(n) });
}

/** The lunar date of a solar day. */
export function toLunar(isoDay: string): LunarDate {
  const n = dayNumber(isoDay);
  const { year, span } = spanOf(n);
  return { year, month: span.month, day: n - span.first + 1, leap: span.leap };
}

/** The solar day of a lunar date, or null when it does not exist (no such leap month that year, day 30 of a 29-day month). */
export function fromLunar(year: number, month: number, day: number, leap = false): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(day)) return null;
  const span = monthIn(year, month, leap);
  return span && day >= 1 && day <= span.days ? dayOf(span.first + day - 1) : null;
}

/**
 * The solar day a lunar birthday (month, day, leap) is kept on in lunar year `year`: a leap-month
 * birthday falls in the leap month when that year has it, else in the ordinary month of that
 * number; day 30 in a month of 29 days falls on the 29th.
 */
export function lunarBirthdayIn(year: number, month: number, day: number, leap: boolean): string {
  const span = (leap ? monthIn(year, month, true) : undefined) ?? monthIn(year, month, false);
  if (!span || !Number.isInteger(day) || day < 1 || day > 30) throw badInput('err.birthday.lunar', { value: `${month}-${day}` });
  return dayOf(span.first + Math.min(day, span.days) - 1);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The solar day a solar birthday (month, day) is kept on in `year`: 02-29 falls on 02-28 in a common year. */
export function solarBirthdayIn(year: number, month: number, day: number): string {
  const kept = month === 2 && day === 29 && !isLeapYear(year) ? 28 : day;
  const result = toIsoDay(year, month, kept);
  if (!result) throw badInput('err.birthday', { value: `${month}-${day}` });
  return result;
}

/** Stored birthdays (MM-DD solar keys) celebrated on this solar day: '02-28' in a common year also gives '02-29'. */
export function solarBirthdayKeysOn(isoDay: string): string[] {
  dayNumber(isoDay);
  const key = isoDay.slice(5);
  return key === '02-28' && !isLeapYear(Number(isoDay.slice(0, 4))) ? ['02-28', '02-29'] : [key];
}

/**
 * Stored lunar birthdays {month, day, leap} celebrated on this solar day (the inverse of
 * lunarBirthdayIn: e.g. on the last day of a 29-day month both day 29 and day 30; in a year
 * without leap month N, the leap-N birthdays fall on the ordinary month N days).
 */
export function lunarBirthdayKeysOn(isoDay: string): LunarKey[] {
  const n = dayNumber(isoDay);
  const { year, span } = spanOf(n);
  const day = n - span.first + 1;
  const days = span.days === 29 && day === 29 ? [29, 30] : [day];
  const leaps = span.leap ? [true] : leapMonthOf(year) === span.month ? [false] : [false, true];
  return leaps.flatMap((leap) => days.map((d) => ({ month: span.month, day: d, leap })));
}

const STORED_BIRTHDAY = /^(?:\d{4}|-)-(\d{2})-(\d{2})$/;

/**
 * The next day on or after `fromDay` that a stored birthday (YYYY-MM-DD or --MM-DD, solar or
 * lunar numbers) is kept, by the rules of solarBirthdayIn and lunarBirthdayIn.
 */
export function nextBirthday(birthday: string, lunar: boolean, leap: boolean, fromDay: string): string {
  const m = STORED_BIRTHDAY.exec(birthday);
  if (!m) throw badInput(lunar ? 'err.birthday.lunar' : 'err.birthday', { value: birthday });
  const [month, day] = [Number(m[1]), Number(m[2])];
  dayNumber(fromDay);
  const first = lunar ? toLunar(fromDay).year : Number(fromDay.slice(0, 4));
  for (const year of [first, first + 1]) {
    const kept = lunar ? lunarBirthdayIn(year, month, day, leap) : solarBirthdayIn(year, month, day);
    if (kept >= fromDay) return kept;
  }
  throw badInput('err.date', { value: fromDay });
}

export type HolidayKey =
  | 'new_year' | 'spring_festival' | 'lantern' | 'womens_day' | 'mothers_day' | 'dragon_boat'
  | 'fathers_day' | 'qixi' | 'mid_autumn' | 'double_ninth' | 'national_day';

/** The holidays in their usual order in a year (Dragon Boat can fall after Father's Day, Mid-Autumn on National Day: holidaysBetween sorts by day). */
export const HOLIDAYS: readonly HolidayKey[] = [
  'new_year', 'spring_festival', 'lantern', 'womens_day', 'mothers_day', 'dragon_boat',
  'fathers_day', 'qixi', 'mid_autumn', 'national_day', 'double_ninth',
];

type Rule = { solar: [number, number] } | { lunar: [number, number] } | { sunday: [number, number] };

// Each holiday's rule: a fixed solar day, a lunar day (month, day), or the nth Sunday of a month.
const RULES: Record<HolidayKey, Rule> = {
  new_year: { solar: [1, 1] },
  spring_festival: { lunar: [1, 1] },
  lantern: { lunar: [1, 15] },
  womens_day: { solar: [3, 8] },
  mothers_day: { sunday: [5, 2] },
  dragon_boat: { lunar: [5, 5] },
  fathers_day: { sunday: [6, 3] },
  qixi: { lunar: [7, 7] },
  mid_autumn: { lunar: [8, 15] },
  double_ninth: { lunar: [9, 9] },
  national_day: { solar: [10, 1] },
};

/** The nth Sunday of a month. */
function nthSunday(year: number, month: number, n: number): string {
  const weekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  return toIsoDay(year, month, 1 + ((7 - weekday) % 7) + 7 * (n - 1))!;
}

/** The day of a holiday in `year`, computed: the lunar ones (all in the lunar year of that number) from lunar-javascript, Mother's Day the second Sunday of May, Father's Day the third Sunday of June. */
export function holidayDay(key: HolidayKey, year: number): string {
  const rule = RULES[key];
  if ('solar' in rule) return toIsoDay(year, rule.solar[0], rule.solar[1])!;
  if ('sunday' in rule) return nthSunday(year, rule.sunday[0], rule.sunday[1]);
  return fromLunar(year, rule.lunar[0], rule.lunar[1])!;
}

/** Every holiday on a day from `from` to `to` inclusive, in order of day (holidays on one day in HOLIDAYS order). */
export function holidaysBetween(from: string, to: string): { key: HolidayKey; day: string }[] {
  dayNumber(from);
  dayNumber(to);
  const found: { key: HolidayKey; day: string }[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const key of HOLIDAYS) {
      const day = holidayDay(key, year);
      if (day >= from && day <= to) found.push({ key, day });
    }
  }
  return found.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A day for people: 2027年2月6日 / February 6, 2027 (long); 2月6日 / Feb 6 (short). */
export function formatDay(isoDay: string, lang: 'en' | 'zh', style: 'long' | 'short' = 'long'): string {
  dayNumber(isoDay);
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  if (lang === 'zh') return style === 'long' ? `${y}年${m}月${d}日` : `${m}月${d}日`;
  const month = MONTHS[m - 1]!;
  return style === 'long' ? `${month} ${d}, ${y}` : `${month.slice(0, 3)} ${d}`;
}

const ZH_MONTHS = ['正', '二', '三', '四', '五', '六', '七', '八', '九', '十', '冬', '腊'];
const ZH_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 初一 … 初十, 十一 … 二十, 廿一 … 三十. */
function zhLunarDay(day: number): string {
  if (day <= 10) return `初${ZH_DIGITS[day]}`;
  if (day === 20 || day === 30) return `${ZH_DIGITS[day / 10]}十`;
  return `${['十', '廿'][Math.floor(day / 10) - 1]}${ZH_DIGITS[day % 10]}`;
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

/** A lunar month and day for people: 正月初十, 闰六月十五, 腊月三十; "1st lunar month, day 10", "leap 6th lunar month, day 15". */
export function formatLunarDate(date: LunarKey, lang: 'en' | 'zh'): string {
  if (lang === 'zh') return `${date.leap ? '闰' : ''}${ZH_MONTHS[date.month - 1]}月${zhLunarDay(date.day)}`;
  return `${date.leap ? 'leap ' : ''}${ordinal(date.month)} lunar month, day ${date.day}`;
}

/** The lunar date of a solar day for people (formatLunarDate of toLunar). */
export function formatLunar(isoDay: string, lang: 'en' | 'zh'): string {
  return formatLunarDate(toLunar(isoDay), lang);
}
