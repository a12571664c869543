// Lengths of time, one way for every option that takes one (--since, --window, --holdout,
// --horizon, stats --period, tier --months): minutes, hours, days, weeks, months, quarters, years,
// each with one short spelling (30min 2h 7d 12w 6mo 1q 1y), the English words and the Chinese ones.
// A bare `m` is refused (six months or six minutes?). Calendar units step the calendar: months,
// quarters and years step calendar months (03-31 minus 1mo is 02-28 or 02-29), days and weeks step
// calendar days in the shop's zone; minutes and hours step the clock. Each option says which kinds
// of unit it takes, and a refusal suggests only those.
import { DateTime } from 'luxon';
import { badInput } from '../errors.js';
import type { MessageId } from '../messages/index.js';
import { addDays, addMonths, localDay, parseWhen, type When } from './dates.js';

const DURATION_UNITS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export interface Duration {
  count: number;
  unit: DurationUnit;
}

/** Every spelling of each unit (matched after NFKC and lower-casing). */
const UNIT_SPELLINGS: Record<DurationUnit, readonly string[]> = {
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

/** Calendar months in a unit, for the month units. */
const MONTHS: Partial<Record<DurationUnit, number>> = { month: 1, quarter: 3, year: 12 };
/** Days in a unit, for the day units. */
const DAYS: Partial<Record<DurationUnit, number>> = { day: 1, week: 7 };
/** Minutes in a unit, for the clock units. */
const MINUTES: Partial<Record<DurationUnit, number>> = { minute: 1, hour: 60 };

/** The kinds of unit an option may take: the clock (min, h), days (d, w), months (mo, q, y). */
type Kinds = 'all' | 'days' | 'months';
const KIND_OF = (u: DurationUnit): 'clock' | 'day' | 'month' => (MINUTES[u] !== undefined ? 'clock' : DAYS[u] !== undefined ? 'day' : 'month');
const TAKES_KIND: Record<Kinds, ReadonlySet<string>> = { all: new Set(['clock', 'day', 'month']), days: new Set(['day', 'month']), months: new Set(['month']) };

/** About how many days a unit is (only to bound lengths). */
const ROUGH_DAYS: Record<DurationUnit, number> = { minute: 1 / 1440, hour: 1 / 24, day: 1, week: 7, month: 365.25 / 12, quarter: 365.25 / 4, year: 365.25 };

/** The longest length accepted, in years. */
const MAX_YEARS = 100;

type DurationProblem = 'minutesOrMonths' | 'notALength' | 'tooLong';

const LENGTH = /^(\d+)\s*(\p{L}+)$/u;

/** A length as typed -> the length, or why it is not one. */
function readDuration(raw: string): { duration: Duration } | { problem: DurationProblem } {
  const m = LENGTH.exec(raw.normalize('NFKC').trim().toLowerCase());
  if (!m) return { problem: 'notALength' };
  if (m[2] === 'm') return { problem: 'minutesOrMonths' };
  const unit = BY_SPELLING.get(m[2]!);
  const count = Number(m[1]);
  if (!unit || count < 1) return { problem: 'notALength' };
  if (count * ROUGH_DAYS[unit] > MAX_YEARS * 365.25) return { problem: 'tooLong' };
  return { duration: { count, unit } };
}

/** The count a typed `Nm` carried, for the hint (12m -> 12). */
function countOf(raw: string): string {
  return /\d+/.exec(raw.normalize('NFKC'))?.[0] ?? '1';
}

/** The line for a value that is not a length this option takes; `orDate` when a date would also do. */
function refuse(problem: DurationProblem | 'wrongUnit', raw: string, option: string, kinds: Kinds, orDate = false): never {
  const params = { option, value: raw };
  if (problem === 'tooLong') throw badInput('err.length.tooLong', { ...params, years: MAX_YEARS });
  if (problem === 'minutesOrMonths') {
    const n = countOf(raw);
    if (kinds === 'all') throw badInput('err.length.minutesOrMonths', { ...params, months: `${n}mo`, minutes: `${n}min` });
    throw badInput('err.length.bareM', { ...params, months: `${n}mo` });
  }
  const id: Record<Kinds, MessageId> = orDate
    ? { all: 'err.length.orDate', days: 'err.length.daysOrDate', months: 'err.length.months' }
    : { all: 'err.length', days: 'err.length.days', months: 'err.length.months' };
  throw badInput(id[kinds], params);
}

/** A length given to an option, of the units it takes: one line naming the option and its forms when it is not one (exit 2). */
/** About how many minutes a length is (to bound lengths; months as 30.4 days). */
export function roughMinutes(d: Duration): number {
  return d.count * ROUGH_DAYS[d.unit] * 1440;
}

export function parseDuration(raw: string, option = 'length', kinds: Kinds = 'all'): Duration {
  const r = readDuration(raw);
  if ('problem' in r) refuse(r.problem, raw, option, kinds);
  if (!TAKES_KIND[kinds].has(KIND_OF(r.duration.unit))) refuse('wrongUnit', raw, option, kinds);
  return r.duration;
}

/** A length of whole days or more (a window of days): minutes and hours are refused. */
export function parseDayLength(raw: string, option: string): Duration {
  return parseDuration(raw, option, 'days');
}

/** A length of whole months (a horizon): 12mo, 4q, 2y; anything shorter is refused. Returns the months. */
export function parseMonthLength(raw: string, option: string): number {
  return monthsIn(parseDuration(raw, option, 'months'))!;
}

/** Whole calendar months in a length (12mo, 4q, 1y), or null for minutes, hours, days and weeks. */
export function monthsIn(d: Duration): number | null {
  const m = MONTHS[d.unit];
  return m === undefined ? null : m * d.count;
}

/** A count of months as typed (12, １２, 12mo, 4q, 1y; a bare whole number is months), or null. */
export function readMonths(raw: string): number | null {
  const s = raw.normalize('NFKC').trim();
  const r = readDuration(/^\d+$/.test(s) ? `${s}mo` : s);
  return 'duration' in r ? monthsIn(r.duration) : null;
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

/** The day a length before a day (YYYY-MM-DD); days, weeks, months, quarters and years only. */
export function dayBack(day: string, d: Duration): string {
  const months = MONTHS[d.unit];
  if (months !== undefined) return addMonths(day, -months * d.count);
  const days = DAYS[d.unit];
  if (days !== undefined) return addDays(day, -days * d.count);
  throw new RangeError(`a day cannot step by ${d.count} ${d.unit}(s)`);
}

/**
 * A period named by its unit (month, 月, quarter, 季度, q, year, 年, y; `1q` too), or null. The
 * caller says which units it has periods for.
 */
export function parsePeriod(raw: string): DurationUnit | null {
  const s = raw.normalize('NFKC').trim().toLowerCase().replace(/^1\s*/, '');
  return BY_SPELLING.get(s) ?? PERIOD_ONLY.get(s) ?? null;
}

/** A date or time given to a --since option; a wrong date names the option. */
function sinceDate(raw: string, zone: string, now: Date, option: string, kinds: Kinds): When {
  try {
    return parseWhen(raw, zone, now);
  } catch {
    // Something that starts like a date is a date that is wrong: say so; else neither a length nor a date.
    if (/^\s*\d{4}(\D|\d{4})/.test(raw.normalize('NFKC'))) throw badInput('err.length.badDate', { option, value: raw });
    refuse('notALength', raw, option, kinds, true);
  }
}

/**
 * A lower time bound, as --since takes it where the time of day counts: a length back from now
 * (30min, 2h, 7d, 12w, 6mo, 1q, 1y) or a date or time (parseWhen: 2026-01-01, "2026-01-01 09:00",
 * today, yesterday).
 */
export function sinceWhen(raw: string, zone: string, now: Date, option = '--since'): When {
  const r = readDuration(raw);
  if ('duration' in r) {
    const at = backFrom(now, r.duration, zone);
    return { at, day: localDay(at, zone) };
  }
  if (r.problem !== 'notALength') refuse(r.problem, raw, option, 'all');
  return sinceDate(raw, zone, now, option, 'all');
}

/**
 * The first day, as --since takes it on a filter by day (order days, tier change days): a length
 * of days or more back from today (7d, 12w, 6mo, 1q, 1y) or a date. Minutes and hours are refused:
 * a day has no time of day to cut at.
 */
export function sinceDay(raw: string, zone: string, now: Date, option = '--since'): string {
  const r = readDuration(raw);
  if ('duration' in r) {
    if (KIND_OF(r.duration.unit) === 'clock') throw badInput('err.length.sinceDays', { option, value: raw });
    return dayBack(localDay(now, zone), r.duration);
  }
  if (r.problem !== 'notALength') refuse(r.problem, raw, option, 'days');
  return sinceDate(raw, zone, now, option, 'days').day;
}

/** A length of minutes for people, in the units the options take: 45min, 3h 20min, 2d 4h (at most two units). */
export function formatMinutes(minutes: number): string {
  const m = Math.round(Math.abs(minutes));
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const min = m % 60;
  const parts = d > 0 ? [`${d}d`, h > 0 ? `${h}h` : ''] : h > 0 ? [`${h}h`, min > 0 ? `${min}min` : ''] : [`${min}min`];
  return parts.filter(Boolean).join(' ');
}
