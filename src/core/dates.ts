// Dates and times. Instants are stored as UTC ISO 8601 strings; calendar days (order days,
// birthdays) as YYYY-MM-DD in the shop's time zone. luxon does the zone arithmetic.
import { DateTime, IANAZone } from 'luxon';
import { badInput } from '../errors.js';

export function isZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** YYYY-MM-DD when the year, month and day make a real date, else null. */
export function isoDay(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1 || y > 9999 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
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

/** The zone's offset from UTC in minutes at an instant (memoized per zone and UTC quarter hour: exports call it a million times). */
export function offsetMinutes(ms: number, zone: string): number {
  let byZone = offsetCache.get(zone);
  if (!byZone) offsetCache.set(zone, (byZone = new Map()));
  const bucket = Math.floor(ms / 900_000);
  let offset = byZone.get(bucket);
  if (offset === undefined) {
    offset = DateTime.fromMillis(ms, { zone }).offset;
    if (byZone.size > 100_000) byZone.clear();
    byZone.set(bucket, offset);
  }
  return offset;
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
