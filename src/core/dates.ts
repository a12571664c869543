// Dates and times. Instants are stored as UTC ISO 8601 strings; calendar days (order days,
// birthdays) as YYYY-MM-DD in the shop's time zone. luxon does the zone arithmetic.
import { DateTime, IANAZone } from 'luxon';
import { badInput } from '../errors.js';

export function isZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Days in a month of the proleptic Gregorian calendar (what Date.UTC counts in). */
const daysInMonth = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
const TWO = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** YYYY-MM-DD when the year (100-9999), month and day make a real date, else null. */
export function isoDay(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d) || y < 100 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return `${y >= 1000 ? y : String(y).padStart(4, '0')}-${TWO[m]}-${TWO[d]}`;
}


// The calendar-day forms spreadsheets and people produce.
const DAY_FORMS: RegExp[] = [
  /^(\d{4})-(\d{1,2})-(\d{1,2})$/,
  /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/,
  /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/u,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/** A calendar day in one of the usual forms -> YYYY-MM-DD, or null when it is not one. */
export function tryParseDay(raw: string): string | null {
  const s = raw.normalize('NFKC').trim();
  for (const re of DAY_FORMS) {
    const m = re.exec(s);
    if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  return null;
}

export function parseDay(raw: string): string {
  const d = tryParseDay(raw);
  if (!d) throw badInput('err.date', { value: raw });
  return d;
}

export interface When {
  /** UTC instant, ISO 8601 with Z. */
  at: string;
  /** The calendar day in the shop's zone. */
  day: string;
}

function toWhen(dt: DateTime, zone: string): When {
  return { at: dt.toUTC().toISO()!, day: dt.setZone(zone).toISODate()! };
}

/**
 * When something happened, as typed: now, today, yesterday, a day (its start in the shop's zone),
 * or a date and time (in the shop's zone unless an offset is given).
 */
export function parseWhen(raw: string, zone: string, now: Date): When {
  const s = raw.normalize('NFKC').trim().toLowerCase();
  const current = DateTime.fromJSDate(now).setZone(zone);
  if (s === 'now') return toWhen(current, zone);
  if (s === 'today' || s === '今天') return toWhen(current.startOf('day'), zone);
  if (s === 'yesterday' || s === '昨天') return toWhen(current.minus({ days: 1 }).startOf('day'), zone);
  const day = tryParseDay(s);
  if (day) return toWhen(DateTime.fromISO(day, { zone }), zone);
  const dt = DateTime.fromISO(s.replace(' ', 'T'), { zone, setZone: true });
  if (!dt.isValid || !/^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}/.test(s)) throw badInput('err.datetime', { value: raw });
  return toWhen(dt, zone);
}

const MONTH_DAY: RegExp[] = [/^--(\d{1,2})-(\d{1,2})$/, /^(\d{1,2})-(\d{1,2})$/, /^(\d{1,2})\/(\d{1,2})$/, /^(\d{1,2})月(\d{1,2})[日号]?$/u];

/**
 * A birthday: a full date (YYYY-MM-DD) or a month and day without year (stored --MM-DD).
 * A lunar birthday is a lunar month 1-12 and day 1-30, so it is checked against those bounds
 * rather than the Gregorian calendar.
 */
export function parseBirthday(raw: string, lunar: boolean): string {
  const s = raw.normalize('NFKC').trim();
  const pad = (n: number) => String(n).padStart(2, '0');
  let y: number | null = null;
  let mo: number | null = null;
  let d: number | null = null;
  for (const re of DAY_FORMS) {
    const m = re.exec(s);
    if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (mo === null) {
    for (const re of MONTH_DAY) {
      const m = re.exec(s);
      if (m) [mo, d] = [Number(m[1]), Number(m[2])];
    }
  }
  if (mo === null || d === null) throw badInput('err.birthday', { value: raw });
  if (y !== null && (y < 1900 || y > 2100)) throw badInput('err.birthday', { value: raw });
  if (lunar) {
    if (mo < 1 || mo > 12 || d < 1 || d > 30) throw badInput('err.birthday.lunar', { value: raw });
  } else if (!isoDay(y ?? 2000, mo, d)) {
    throw badInput('err.birthday', { value: raw });
  }
  return y === null ? `--${pad(mo)}-${pad(d)}` : `${y}-${pad(mo)}-${pad(d)}`;
}

/**
 * A birthday for people: with its year as stored (1990-03-05); without one, the stored ISO form
 * (--07-19) reads as 07-19, or 7月19日 in Chinese. Machine formats keep the ISO form.
 */
export function displayBirthday(birthday: string, lang: string): string {
  const m = /^--(\d{2})-(\d{2})$/.exec(birthday);
  if (!m) return birthday;
  return lang === 'zh' ? `${Number(m[1])}月${Number(m[2])}日` : `${m[1]}-${m[2]}`;
}

/** The calendar day of an instant in a zone. */
export function localDay(at: Date | string, zone: string): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at);
  return dt.setZone(zone).toISODate()!;
}

/** An instant for people: YYYY-MM-DD HH:mm in the shop's zone. */
export function formatLocal(at: string, zone: string): string {
  return DateTime.fromISO(at).setZone(zone).toFormat('yyyy-MM-dd HH:mm');
}

const offsetCache = new Map<string, Map<number, number>>();
const quarterCache = new Map<string, Map<number, number>>();
const DAY = 86_400_000;
const QUARTER_HOUR = 900_000;
const luxonOffset = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

/**
 * The zone's offset from UTC in minutes at an instant, as luxon gives it, memoized (exports and
 * imports ask millions of times): per zone and UTC day when the offset is the same at both ends of
 * the day (a zone changes its clock at most once a day), else per quarter hour when it is the same
 * at both ends of the quarter; a quarter in which it changes is worked out each time.
 */
export function offsetMinutes(ms: number, zone: string): number {
  let byZone = offsetCache.get(zone);
  if (!byZone) offsetCache.set(zone, (byZone = new Map()));
  const day = Math.floor(ms / DAY);
  let offset = byZone.get(day);
  if (offset === undefined) {
    const [start, end] = [luxonOffset(day * DAY, zone), luxonOffset(day * DAY + DAY - 1, zone)];
    offset = start === end ? start : Number.NaN;
    if (byZone.size > 100_000) byZone.clear();
    byZone.set(day, offset);
  }
  if (!Number.isNaN(offset)) return offset;
  // A day with a clock change: by quarter hour.
  let quarters = quarterCache.get(zone);
  if (!quarters) quarterCache.set(zone, (quarters = new Map()));
  const q = Math.floor(ms / QUARTER_HOUR);
  offset = quarters.get(q);
  if (offset === undefined) {
    const [start, end] = [luxonOffset(q * QUARTER_HOUR, zone), luxonOffset(q * QUARTER_HOUR + QUARTER_HOUR - 1, zone)];
    if (start !== end) return luxonOffset(ms, zone);
    offset = start;
    if (quarters.size > 100_000) quarters.clear();
    quarters.set(q, offset);
  }
  return offset;
}

/**
 * The UTC instant (ISO 8601, milliseconds, Z) of a local day and time (HH:mm:ss) in a zone: what
 * `DateTime.fromISO(`${day}T${time}`, { zone }).toUTC().toISO()` gives, by luxon's own rule for
 * times a clock change skips or repeats (its fixOffset, from the offset now), without building a
 * DateTime: an import reads millions. Null for a day or time that does not exist.
 */
export function localInstant(day: string, time: string, zone: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = /^(\d{2}):(\d{2}):(\d{2})$/.exec(time);
  // Years before 100, and 24:00 (luxon's midnight at the day's end), as luxon reads them.
  if (!d || !t || Number(d[1]) < 100 || t[1] === '24') {
    const dt = DateTime.fromISO(`${day}T${time}`, { zone });
    return dt.isValid ? dt.toUTC().toISO() : null;
  }
  return localInstantOf(Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2]), Number(t[3]), zone);
}

/** localInstant of a day and time given as numbers (a year from 100 on). */
export function localInstantOf(y: number, mo: number, da: number, h: number, mi: number, s: number, zone: string): string | null {
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59 || s > 59) return null;
  if (da > daysInMonth(y, mo)) return null; // 31 April
  const local = Date.UTC(y, mo - 1, da, h, mi, s);
  // luxon's fixOffset: a guess from the offset now, corrected once; in a gap, the later offset.
  const o = offsetMinutes(Date.now(), zone);
  let guess = local - o * 60_000;
  const o2 = offsetMinutes(guess, zone);
  if (o2 !== o) {
    guess -= (o2 - o) * 60_000;
    const o3 = offsetMinutes(guess, zone);
    if (o3 !== o2) guess = local - Math.min(o2, o3) * 60_000;
  }
  return isoUtc(guess);
}


/**
 * `new Date(ms).toISOString()` for years 1000-9999, by arithmetic (the civil calendar from a day
 * number, as in Howard Hinnant's date algorithms): a quarter of the time, for millions of orders.
 */
export function isoUtc(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  if (y < 1000 || y > 9999) return new Date(ms).toISOString();
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  return `${y}-${TWO[m]}-${TWO[d]}T${TWO[h]}:${TWO[mi]}:${TWO[s]}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

/**
 * An instant for machines, in the shop's zone: ISO 8601 with its offset, to the second
 * (2026-11-22T10:00:00+08:00; milliseconds only when there are any). CSV and JSON write times so.
 */
export function isoInZone(at: string, zone: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return at;
  const offset = offsetMinutes(ms, zone);
  const local = new Date(ms + offset * 60_000).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const zoneText = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local.endsWith('.000Z') ? local.slice(0, 19) : local.slice(0, 23)}${zoneText}`;
}

/** Whole days from day a to day b (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The same day `months` calendar months later (earlier when negative), kept inside short months: 03-31 minus 1 -> 02-28. */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return isoDay(year, month, Math.min(d, last))!;
}

/** The day `days` days after `day` (before, when negative). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The UTC instant a calendar day ends in a zone (the next day's start), ISO 8601. */
export function dayEndInstant(day: string, zone: string): string {
  return DateTime.fromISO(day, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO()!;
}
