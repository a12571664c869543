// The business-hours clock complaint deadlines count with: the shop's opening hours per weekday,
// the public holidays (closed all day) and China's make-up working days (调休: a listed day that is
// not off, usually a Saturday or Sunday, open with the hours of an ordinary working day: those of
// the first of Monday to Friday that has any). Working time is real elapsed time inside the
// opening hours, each opening and closing time read on the wall clock of the shop's zone (so a day
// open 00:00-24:00 counts 23 or 25 hours when the clocks change). A year with no holiday data is
// counted on the weekly hours alone and reported, never silently. Each day's opening times are
// worked out once per calendar and zone and kept, so a deadline costs a few look-ups per day it
// spans. Also reads and checks a holiday file (the holiday-cn project's format) with line numbers.
import { DateTime } from 'luxon';
import { badInput } from '../errors.js';
import { offsetMinutes } from './dates.js';
import { parseJsonWithLines, JsonSyntaxError, type JsonNode } from './json-lines.js';

export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** Per weekday (0 = Sunday), [startMinute, endMinute) from the day's midnight; an end past 1440 runs into the next day. */
export type OpeningHours = Record<Weekday, [number, number][]>;
export interface HolidayDay {
  date: string;
  name: string;
  isOffDay: boolean;
}
export interface WorkCalendar {
  hours: OpeningHours;
  days: Map<string, HolidayDay>;
  /** years that have holiday data */
  years: Set<number>;
}

/** The weekday words of the business_hours setting, Sunday first (as Date.getDay counts). */
export const WEEKDAY_WORDS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Closed this many days running and a deadline would never come (no weekly hours, or a year of days off). */
const MAX_CLOSED_RUN = 400;

// --- The setting -------------------------------------------------------------------------------

const SPAN = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/;

/** One "09:00-18:00" as minutes; an end before the start passes midnight ("18:00-02:00" is 1080-1560). */
function parseSpan(text: string, raw: string): [number, number] {
  const m = SPAN.exec(text.replace(/\s+/g, ''));
  const bad = () => badInput('err.setting.businessHours', { value: raw });
  if (!m) throw bad();
  const [h1, m1, h2, m2] = [m[1], m[2], m[3], m[4]].map(Number) as [number, number, number, number];
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  if (m1 > 59 || m2 > 59 || start >= 1440 || end > 1440 || start === end) throw bad();
  return [start, end < start ? end + 1440 : end];
}

/** Spans sorted by start, overlapping or touching ones joined. */
function joinSpans(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The weekdays of "mon", "mon-fri" or "fri-mon" (a range may wrap past Sunday). */
function dayRange(from: string, to: string | undefined, raw: string): Weekday[] {
  const a = WEEKDAY_WORDS.indexOf(from as (typeof WEEKDAY_WORDS)[number]);
  const b = to === undefined ? a : WEEKDAY_WORDS.indexOf(to as (typeof WEEKDAY_WORDS)[number]);
  if (a < 0 || b < 0) throw badInput('err.setting.businessHours', { value: raw });
  const out: Weekday[] = [];
  for (let d = a; ; d = (d + 1) % 7) {
    out.push(d as Weekday);
    if (d === b) return out;
  }
}

/**
 * The setting business_hours ("mon-fri 09:00-18:00; sat 10:00-16:00; sun closed", already validated by src/core/settings.ts; 24:00 allowed as an end).
 * Several spans on a day are separated by commas (a lunch break: "mon-fri 09:00-12:00,13:30-18:00");
 * a later clause replaces an earlier one for the days it names; a day not named is closed; a span
 * whose end is before its start passes midnight ("fri 18:00-02:00").
 */
export function parseOpeningHours(raw: string): OpeningHours {
  const hours: OpeningHours = { 0: [], 1: [], 2: [], 3: [], 4: [], 5: [], 6: [] };
  const clauses = raw.normalize('NFKC').trim().toLowerCase().split(';').map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 0) throw badInput('err.setting.businessHours', { value: raw });
  for (const clause of clauses) {
    const m = /^([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(.+)$/.exec(clause);
    if (!m) throw badInput('err.setting.businessHours', { value: raw });
    const spans = m[3]!.trim() === 'closed' ? [] : joinSpans(m[3]!.split(',').map((s) => parseSpan(s.trim(), raw)));
    for (const d of dayRange(m[1]!, m[2], raw)) hours[d] = spans.map(([s, e]) => [s, e]);
  }
  return hours;
}

/** The hours of a make-up working day (调休): those of the first of Monday to Friday that has any, else of the first day of the week that has any. */
export function makeUpDayHours(hours: OpeningHours): [number, number][] {
  for (const d of [1, 2, 3, 4, 5, 6, 0] as const) if (hours[d].length > 0) return hours[d];
  return [];
}

// --- Days --------------------------------------------------------------------------------------

/** One local day's opening times as UTC milliseconds [start, end, start, end, ...], and whether its year lacks holiday data. */
interface DayPlan {
  spans: number[];
  year: number;
  missing: boolean;
}

const plans = new WeakMap<WorkCalendar, Map<string, Map<number, DayPlan>>>();

/** Days since 1970-01-01 as a date. */
function dateOf(dayNum: number): { year: number; month: number; day: number; iso: string } {
  const d = new Date(dayNum * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), iso: d.toISOString().slice(0, 10) };
}

/** The weekday of a day (days since 1970-01-01, a Thursday). */
function weekdayOf(dayNum: number): Weekday {
  return ((((dayNum + 4) % 7) + 7) % 7) as Weekday;
}

/** The local day (days since 1970-01-01) an instant falls on in the zone. */
function dayNumOf(ms: number, zone: string): number {
  return Math.floor((ms + offsetMinutes(ms, zone) * MINUTE_MS) / DAY_MS);
}

/** The instant of a wall-clock minute of a local day (1440 and later: the next day's); a time the clocks skip is read as luxon does, after the gap. */
function instantOf(dayNum: number, minute: number, zone: string): number {
  const { year, month, day } = dateOf(dayNum + Math.floor(minute / 1440));
  const m = minute % 1440;
  return DateTime.fromObject({ year, month, day, hour: Math.floor(m / 60), minute: m % 60 }, { zone }).toMillis();
}

function planOf(cal: WorkCalendar, zone: string, dayNum: number): DayPlan {
  let byZone = plans.get(cal);
  if (!byZone) plans.set(cal, (byZone = new Map()));
  let byDay = byZone.get(zone);
  if (!byDay) byZone.set(zone, (byDay = new Map()));
  let plan = byDay.get(dayNum);
  if (!plan) {
    const { year, iso } = dateOf(dayNum);
    const listed = cal.days.get(iso);
    const local = listed === undefined ? cal.hours[weekdayOf(dayNum)] : listed.isOffDay ? [] : makeUpDayHours(cal.hours);
    const spans: number[] = [];
    for (const [s, e] of local) {
      const from = instantOf(dayNum, s, zone);
      const to = instantOf(dayNum, e, zone);
      if (to > from) spans.push(from, to);
    }
    plan = { spans, year, missing: !cal.years.has(year) };
    byDay.set(dayNum, plan);
  }
  return plan;
}

function sorted(years: Set<number>): number[] {
  return [...years].sort((a, b) => a - b);
}

// --- The clock ---------------------------------------------------------------------------------

/** The instant `minutes` of working time after `start`, in the shop's zone; cal null = every hour counts (plain clock minutes). */
export function addWorkingTime(start: Date, minutes: number, cal: WorkCalendar | null, zone: string): { at: Date; missingYears: number[] } {
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError(`addWorkingTime: ${minutes} minutes`);
  const from = start.getTime();
  if (cal === null || minutes === 0) return { at: new Date(from + minutes * MINUTE_MS), missingYears: [] };
  if (makeUpDayHours(cal.hours).length === 0) throw badInput('err.hours.neverOpen');
  let left = minutes * MINUTE_MS;
  let cursor = from;
  const missing = new Set<number>();
  const firstDay = dayNumOf(from, zone);
  // The day before may have opening hours that run past midnight into the start's day.
  for (let day = firstDay - 1, closedRun = 0; ; day++) {
    const plan = planOf(cal, zone, day);
    let used = false;
    for (let k = 0; k < plan.spans.length; k += 2) {
      const s = Math.max(plan.spans[k]!, cursor);
      const e = plan.spans[k + 1]!;
      if (e <= s) continue;
      used = true;
      if (e - s >= left) {
        if (plan.missing) missing.add(plan.year);
        return { at: new Date(s + left), missingYears: sorted(missing) };
      }
      left -= e - s;
      cursor = e;
    }
    if (plan.missing && (used || day >= firstDay)) missing.add(plan.year);
    closedRun = plan.spans.length > 0 ? 0 : closedRun + 1;
    if (closedRun > MAX_CLOSED_RUN) throw badInput('err.hours.neverOpen');
  }
}

/** Working minutes in [from, to) (with a fraction when either is not on a whole minute); cal null = every minute counts. */
export function workingMinutesBetween(from: Date, to: Date, cal: WorkCalendar | null, zone: string): { minutes: number; missingYears: number[] } {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return { minutes: 0, missingYears: [] };
  if (cal === null) return { minutes: (b - a) / MINUTE_MS, missingYears: [] };
  const missing = new Set<number>();
  const firstDay = dayNumOf(a, zone);
  const lastDay = dayNumOf(b - 1, zone);
  let cursor = a;
  let total = 0;
  for (let day = firstDay - 1; day <= lastDay; day++) {
    const plan = planOf(cal, zone, day);
    let used = false;
    for (let k = 0; k < plan.spans.length; k += 2) {
      const s = Math.max(plan.spans[k]!, cursor);
      const e = Math.min(plan.spans[k + 1]!, b);
      if (e <= s) continue;
      used = true;
      total += e - s;
      cursor = e;
    }
    if (plan.missing && (used || day >= firstDay)) missing.add(plan.year);
  }
  return { minutes: total / MINUTE_MS, missingYears: sorted(missing) };
}

// --- Holiday files -----------------------------------------------------------------------------

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real date written YYYY-MM-DD, or null. */
function realDay(text: string): { year: number; month: number } | null {
  const m = ISO_DAY.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? { year: y, month: mo } : null;
}

/**
 * Checks a holiday file in the holiday-cn format ({"year": 2026, "days": [{"name": "春节", "date": "2026-02-15", "isOffDay": true}, ...]}): throws badInput naming the file, the line and the field (a date in the wrong year, a bad date, a missing field, JSON syntax with its line).
 * A notice may list the last days of the December before its year (the 2023 notice has 2022-12-31);
 * other fields ($schema, papers) are allowed and ignored; a notice with no days is refused (holiday-cn
 * keeps an empty file for a year whose notice is not out yet).
 */
export function parseHolidayFile(text: string, file: string): { year: number; days: HolidayDay[] } {
  let root: JsonNode;
  try {
    root = parseJsonWithLines(text);
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    if (e.found === null) throw badInput('err.holidays.jsonEnd', { file, line: e.line });
    throw badInput('err.holidays.json', { file, line: e.line, found: e.found });
  }
  if (root.kind !== 'object') throw badInput('err.holidays.notObject', { file, line: root.line });
  const field = (node: { kind: 'object'; line: number; entries: Map<string, JsonNode> }, key: string, path: string): JsonNode => {
    const v = node.entries.get(key);
    if (v === undefined) throw badInput('err.holidays.missing', { file, line: node.line, field: path });
    return v;
  };
  const yearNode = field(root, 'year', 'year');
  if (yearNode.kind !== 'number' || !Number.isInteger(yearNode.value) || yearNode.value < 1900 || yearNode.value > 9999) {
    throw badInput('err.holidays.year', { file, line: yearNode.line, field: 'year' });
  }
  const year = yearNode.value;
  const list = field(root, 'days', 'days');
  if (list.kind !== 'array') throw badInput('err.holidays.notList', { file, line: list.line, field: 'days' });
  if (list.items.length === 0) throw badInput('err.holidays.noDays', { file, line: list.line, year });
  const seen = new Map<string, number>();
  const days = list.items.map((item, n): HolidayDay => {
    const at = `days[${n}]`;
    if (item.kind !== 'object') throw badInput('err.holidays.notDay', { file, line: item.line, field: at });
    const name = field(item, 'name', `${at}.name`);
    if (name.kind !== 'string' || name.value.trim() === '') throw badInput('err.holidays.name', { file, line: name.line, field: `${at}.name` });
    const date = field(item, 'date', `${at}.date`);
    const day = date.kind === 'string' ? realDay(date.value) : null;
    if (date.kind !== 'string' || day === null) throw badInput('err.holidays.date', { file, line: date.line, field: `${at}.date`, value: date.kind === 'string' ? date.value : '' });
    if (day.year !== year && !(day.year === year - 1 && day.month === 12)) {
      throw badInput('err.holidays.wrongYear', { file, line: date.line, field: `${at}.date`, value: date.value, year });
    }
    const first = seen.get(date.value);
    if (first !== undefined) throw badInput('err.holidays.twice', { file, line: date.line, field: `${at}.date`, value: date.value, first });
    seen.set(date.value, date.line);
    const off = field(item, 'isOffDay', `${at}.isOffDay`);
    if (off.kind !== 'boolean') throw badInput('err.holidays.off', { file, line: off.line, field: `${at}.isOffDay` });
    return { date: date.value, name: name.value.trim(), isOffDay: off.value };
  });
  return { year, days: days.sort((a, b) => (a.date < b.date ? -1 : 1)) };
}
