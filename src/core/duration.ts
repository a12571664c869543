// Lengths of time, one way for every option that takes one (--since, --window, --holdout,
// --horizon, stats --period, tier --months): minutes, hours, days, weeks, months, quarters, years,
// each with one short spelling (30min 2h 7d 12w 6mo 1q 1y), the English words and the Chinese ones.
// A bare `m` is refused (six months or six minutes?). Calendar units step the calendar: months,
// quarters and years step calendar months (03-31 minus 1mo is 02-28 or 02-29), days and weeks step
// calendar days in the shop's zone; minutes and hours step the clock.
import { DateTime } from 'luxon';
import { badInput } from '../errors.js';
import { addDays, addMonths, daysBetween, parseWhen, type When } from './dates.js';

export const DURATION_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  count: number;
  unit: DurationUnit;
}

/** Every spelling of each unit (matched after NFKC and lower-casing). */
export const UNIT_SPELLINGS: Record<DurationUnit, readonly string[]> = {
  minute: ['min', 'minute', 'minutes', '分钟'],
  hour: ['h', 'hour', 'hours', '小时', '个小时'],
  day: ['d', 'day', 'days', '天', '日'],
  week: ['w', 'week', 'weeks', '周', '星期', '个星期'],
  month: ['mo', 'month', 'months', '个月'],
  quarter: ['q', 'quarter', 'quarters', '季度', '个季度'],
  year: ['y', 'year', 'years', '年'],
};

const BY_SPELLING = new Map<string, DurationUnit>(DURATION_UNITS.flatMap((u) => UNIT_SPELLINGS[u].map((s) => [s, u] as const)));

/** Names a period may also go by without a count (月 alone is a month; with a count, 6月 is June). */
const PERIOD_ONLY = new Map<string, DurationUnit>([
  ['月', 'month'],
  ['季', 'quarter'],
]);

/** Calendar months in a unit, for the calendar units. */
const MONTHS: Partial<Record<DurationUnit, number>> = { month: 1, quarter: 3, year: 12 };
/** Days in a unit, for the day units. */
const DAYS: Partial<Record<DurationUnit, number>> = { day: 1, week: 7 };
/** Minutes in a unit, for the clock units. */
const MINUTES: Partial<Record<DurationUnit, number>> = { minute: 1, hour: 60 };

/** About how many days a unit is (only to bound lengths). */
const ROUGH_DAYS: Record<DurationUnit, number> = { minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 365.25 / 12, quarter: 365.25 / 4, year: 365.25 };

/** The longest length accepted, in years. */
export const MAX_YEARS = 100;

export type DurationProblem = 'minutesOrMonths' | 'notALength' | 'tooLong';

const LENGTH = /^(\d+)\s*(\p{L}+)$/u;

/** A length as typed -> the length, or why it is not one. */
export function readDuration(raw: string): { duration: Duration } | { problem: DurationProblem } {
  const m = LENGTH.exec(raw.normalize('NFKC').trim().toLowerCase());
  if (!m) return { problem: 'notALength' };
  if (m[2] === 'm') return { problem: 'minutesOrMonths' };
  const unit = BY_SPELLING.get(m[2]!);
  const count = Number(m[1]);
  if (!unit || count < 1) return { problem: 'notALength' };
  if (count * ROUGH_DAYS[unit] > MAX_YEARS * 365.25) return { problem: 'tooLong' };
  return { duration: { count, unit } };
}

/** A length as typed, or null when it is not one. */
export function tryParseDuration(raw: string): Duration | null {
  const r = readDuration(raw);
  return 'duration' in r ? r.duration : null;
}

/** The count a typed `Nm` carried, for the hint (12m -> 12). */
function countOf(raw: string): string {
  return /\d+/.exec(raw.normalize('NFKC'))?.[0] ?? '1';
}

function refuse(problem: DurationProblem, raw: string, option: string, orDate = false): never {
  if (problem === 'minutesOrMonths') {
    const n = countOf(raw);
    throw badInput('err.length.minutesOrMonths', { option, value: raw, months: `${n}mo`, minutes: `${n}min` });
  }
  if (problem === 'tooLong') throw badInput('err.length.tooLong', { option, value: raw, years: MAX_YEARS });
  throw badInput(orDate ? 'err.length.orDate' : 'err.length', { option, value: raw });
}

/** A length given to an option: one line naming the option and the accepted forms when it is not one (exit 2). */
export function parseDuration(raw: string, option = 'length'): Duration {
  const r = readDuration(raw);
  if ('problem' in r) refuse(r.problem, raw, option);
  return r.duration;
}

/** A length of whole days or more (a window of days): minutes and hours are refused. */
export function parseDayLength(raw: string, option: string): Duration {
  const d = parseDuration(raw, option);
  if (isClockUnit(d.unit)) throw badInput('err.length.days', { option, value: raw });
  return d;
}

/** Minutes and hours step the clock; the other units the calendar. */
export function isClockUnit(unit: DurationUnit): boolean {
  return MINUTES[unit] !== undefined;
}

/** Whole calendar months in a length (12mo, 4q, 1y), or null for minutes, hours, days and weeks. */
export function monthsIn(d: Duration): number | null {
  const m = MONTHS[d.unit];
  return m === undefined ? null : m * d.count;
}

function step(dt: DateTime, d: Duration, sign: 1 | -1): DateTime {
  const months = MONTHS[d.unit];
  if (months !== undefined) return dt.plus({ months: sign * months * d.count });
  const days = DAYS[d.unit];
  if (days !== undefined) return dt.plus({ days: sign * days * d.count });
  return dt.plus({ minutes: sign * MINUTES[d.unit]! * d.count });
}

/** The instant a length before `at` (in the shop's zone for calendar units), UTC ISO 8601. */
export function backFrom(at: Date | string, d: Duration, zone: string): string {
  const dt = (typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(zone);
  return step(dt, d, -1).toUTC().toISO()!;
}

/** The instant a length after `at` (in the shop's zone for calendar units), UTC ISO 8601. */
export function forwardFrom(at: Date | string, d: Duration, zone: string): string {
  const dt = (typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at)).setZone(zone);
  return step(dt, d, 1).toUTC().toISO()!;
}

function dayStep(day: string, d: Duration, sign: 1 | -1): string {
  const months = MONTHS[d.unit];
  if (months !== undefined) return addMonths(day, sign * months * d.count);
  const days = DAYS[d.unit];
  if (days !== undefined) return addDays(day, sign * days * d.count);
  throw new RangeError(`a day cannot step by ${d.count} ${d.unit}(s)`);
}

/** The day a length before a day (YYYY-MM-DD); days, weeks, months, quarters and years only. */
export function dayBack(day: string, d: Duration): string {
  return dayStep(day, d, -1);
}

/** The day a length after a day (YYYY-MM-DD); days, weeks, months, quarters and years only. */
export function dayForward(day: string, d: Duration): string {
  return dayStep(day, d, 1);
}

/** Days in the span of this length that ends on `day` (12mo ending 2024-03-31: 366). */
export function daysEnding(day: string, d: Duration): number {
  return daysBetween(dayBack(day, d), day);
}

/** Days in the span of this length that starts on `day`. */
export function daysStarting(day: string, d: Duration): number {
  return daysBetween(day, dayForward(day, d));
}

/**
 * A period named by its unit (month, 月, quarter, 季度, q, year, 年, y; `1q` too), or null. The
 * caller says which units it has periods for.
 */
export function parsePeriod(raw: string): DurationUnit | null {
  const s = raw.normalize('NFKC').trim().toLowerCase().replace(/^1\s*/, '');
  return BY_SPELLING.get(s) ?? PERIOD_ONLY.get(s) ?? null;
}

/**
 * A lower time bound, as --since takes it: a length back from now (30min, 2h, 7d, 12w, 6mo, 1q,
 * 1y) or a date or time (parseWhen: 2026-01-01, "2026-01-01 09:00", today, yesterday).
 */
export function sinceWhen(raw: string, zone: string, now: Date, option = '--since'): When {
  const r = readDuration(raw);
  if ('duration' in r) {
    const at = backFrom(now, r.duration, zone);
    return { at, day: DateTime.fromISO(at).setZone(zone).toISODate()! };
  }
  if (r.problem !== 'notALength') refuse(r.problem, raw, option);
  try {
    return parseWhen(raw, zone, now);
  } catch (e) {
    // Something that starts like a date is a date that is wrong: say so; else neither a length nor a date.
    if (/^\s*\d{4}(\D|\d{4})/.test(raw.normalize('NFKC'))) throw e;
    refuse('notALength', raw, option, true);
  }
}
