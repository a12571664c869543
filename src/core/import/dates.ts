// Importing spreadsheets, the dates: reading dates and times as spreadsheets write them, and
// settling the day/month order of a column whose values need one (05/03/2024).
import { DateTime } from 'luxon';
import { badInput } from '../../errors.js';
import { isoDay, isoUtc, localInstant, localInstantOf, offsetMinutes, tryParseDay } from '../dates.js';

export type DateOrder = 'dmy' | 'mdy';
export const TIME_ONLY = /^\d{1,2}:\d{2}(:\d{2})?$/;

/** A day and month without year, written with / or . (05/03, 5.3): its order needs settling like a full date's. */
export const DAY_MONTH = /^(\d{1,2})[/.](\d{1,2})$/;
const NUMERIC_DATE = /^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/** The commonest local time: a day, a space, a 24-hour time (the seconds may be left out). */
const TILL_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/;
const TIME_SUFFIX = /^(.+?)[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

export interface DateScan {
  dayFirst: boolean;
  monthFirst: boolean;
  ambiguous: number;
  sample: string | null;
}

export function newDateScan(): DateScan {
  return { dayFirst: false, monthFirst: false, ambiguous: 0, sample: null };
}

/** Notes one value of a date column: does it settle whether 05/03/2024 is the 5th of March or May 3rd? */
export function scanDate(scan: DateScan, raw: string): void {
  const m = NUMERIC_DATE.exec(raw.trim()) ?? DAY_MONTH.exec(raw.trim());
  if (!m) return;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if (a > 12 && b <= 12) scan.dayFirst = true;
  else if (b > 12 && a <= 12) scan.monthFirst = true;
  else if (a <= 12 && b <= 12 && a !== b) {
    scan.ambiguous++;
    scan.sample ??= raw.trim();
  }
}

/** Whether a value tells scanDate anything: a date whose day and month could be read either way round. */
export function scanMatters(raw: string): boolean {
  const t = raw.trim();
  if (!NUMERIC_DATE.test(t) && !DAY_MONTH.test(t)) return false;
  const scan = newDateScan();
  scanDate(scan, t);
  return scan.dayFirst || scan.monthFirst || scan.ambiguous > 0;
}

/** The order a column's values settle: null when they need none; 'ambiguous' when they need one but do not settle it. */
export function dateOrderOf(scan: DateScan): DateOrder | null | 'ambiguous' {
  if (scan.dayFirst && !scan.monthFirst) return 'dmy';
  if (scan.monthFirst && !scan.dayFirst) return 'mdy';
  if (scan.dayFirst && scan.monthFirst) return null; // mixed: each value is judged alone, and the impossible ones refused
  return scan.ambiguous > 0 ? 'ambiguous' : null;
}

export function parseDateFormat(raw: string): DateOrder {
  const f = raw.trim().toLowerCase().replace(/[^dmy]/g, '');
  if (f === 'ddmmyyyy' || f === 'dmy') return 'dmy';
  if (f === 'mmddyyyy' || f === 'mdy') return 'mdy';
  throw badInput('err.import.dateFormat', { value: raw });
}

export interface LocalDate {
  day: string;
  /** HH:mm:ss local time, or null for a bare day. */
  time: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

// Morning and afternoon as spreadsheets write them: 2024/3/5 上午 9:05, 2024-03-05 9:05 PM.
const HALF_DAY = /\s*(上午|早上|凌晨|中午|下午|晚上|a\.?m\.?|p\.?m\.?)\s*/iu;

/** A date and time with 上午/下午 or AM/PM as a 24-hour time, or the text unchanged. */
function twentyFourHour(s: string): string | null {
  const m = HALF_DAY.exec(s);
  if (!m) return s;
  const rest = (s.slice(0, m.index) + ' ' + s.slice(m.index + m[0].length)).trim().replace(/\s+/g, ' ');
  const t = /^(.+?) (\d{1,2}):(\d{2})(:\d{2})?$/.exec(rest);
  if (!t) return null;
  let h = Number(t[2]);
  if (h < 1 || h > 12) return null;
  const pm = /^(下午|晚上|p)/i.test(m[1]!) || (m[1] === '中午' && h < 11);
  if (pm && h < 12) h += 12;
  if (!pm && h === 12) h = 0;
  return `${t[1]} ${pad(h)}:${t[3]}${t[4] ?? ''}`;
}

/**
 * A date (and time) as spreadsheets write it: 2024-03-05, 2024/3/5, 2024年3月5日, 20240305, an Excel
 * serial number (45356, 45356.5 with a time), or 05/03/2024 read in the column's order.
 */
export function parseLocalDate(raw: string, order: DateOrder | null): LocalDate | null {
  const s = twentyFourHour(raw.normalize('NFKC').trim());
  if (s === null) return null;
  // Excel serial numbers: five digits are 1927-05-18 to 2173-10-14; fewer would be years or codes (1990, 0305, 12.25).
  if (/^\d{5}(\.\d+)?$/.test(s)) {
    // Excel's 1900 date system: day 1 is 1900-01-01, and day 60 is the 29 February 1900 Excel believes in.
    const serial = Number(s);
    if (serial < 1 || serial === 60) return null;
    const days = Math.floor(serial) - (serial > 60 ? 1 : 0);
    const base = DateTime.fromObject({ year: 1899, month: 12, day: 31 }, { zone: 'UTC' }).plus({ days });
    const seconds = Math.round((serial - Math.floor(serial)) * 86400);
    return { day: base.toISODate()!, time: seconds ? `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}` : null };
  }
  const dm = DAY_MONTH.exec(s);
  if (dm) {
    // A birthday without year: --MM-DD, in the column's order, never guessed.
    const [a, b] = [Number(dm[1]), Number(dm[2])];
    const dmy = order ?? (a > 12 ? 'dmy' : b > 12 ? 'mdy' : a === b ? 'dmy' : null);
    if (!dmy) return null;
    const [month, day] = dmy === 'dmy' ? [b, a] : [a, b];
    return isoDay(2000, month, day) ? { day: `--${pad(month)}-${pad(day)}`, time: null } : null;
  }
  const numeric = NUMERIC_DATE.exec(s);
  if (numeric) {
    const [a, b, y] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    let dmy = order;
    if (!dmy) {
      if (a > 12) dmy = 'dmy';
      else if (b > 12) dmy = 'mdy';
      else if (a === b) dmy = 'dmy';
      else return null; // never guessed
    }
    const day = dmy === 'dmy' ? isoDay(y, b, a) : isoDay(y, a, b);
    if (!day) return null;
    const time = numeric[4] ? `${pad(Number(numeric[4]))}:${numeric[5]}:${numeric[6] ?? '00'}` : null;
    return { day, time };
  }
  const t = TIME_SUFFIX.exec(s);
  const day = tryParseDay(t ? t[1]! : s);
  if (!day) return null;
  if (!t) return { day, time: null };
  const [h, mi, se] = [Number(t[2]), Number(t[3]), Number(t[4] ?? 0)];
  if (h > 23 || mi > 59 || se > 59) return null;
  return { day, time: `${pad(h)}:${pad(mi)}:${pad(se)}` };
}

const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const OFFSET_ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d{3})?([+-])(\d{2}):(\d{2})$/;

/**
 * crm's own export writes instants in the shop's zone with their offset (isoInZone): read without
 * luxon (a million rows), checked by writing the instant back in that offset. Null for anything else.
 */
function exportedInstant(s: string, zone: string): { at: string; day: string } | null {
  const m = OFFSET_ISO.exec(s);
  if (!m) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) return null;
  const offset = (m[3] === '-' ? -1 : 1) * (Number(m[4]) * 60 + Number(m[5]));
  const written = isoUtc(ms + offset * 60_000);
  if (written.slice(0, 10) !== m[1] || written.slice(11, 19) !== m[2]) return null;
  const at = isoUtc(ms);
  // The day in the shop's zone: the written day when the offset is the zone's, else worked out.
  const zoneOffset = offsetMinutes(ms, zone);
  const day = zoneOffset === offset ? m[1]! : isoUtc(ms + zoneOffset * 60_000).slice(0, 10);
  return { at, day };
}

/** An instant (UTC ISO) from a cell, when its calendar day is not needed (created_at). */
export function parseAt(raw: string, order: DateOrder | null, zone: string): string | null {
  const s = raw.trim();
  // crm's own export writes instants exactly as they are stored.
  if (CANONICAL_UTC.test(s) && !Number.isNaN(Date.parse(s))) return s;
  return exportedInstant(s, zone)?.at ?? parseInstant(s, order, zone)?.at ?? null;
}

/** An instant from a cell: ISO 8601 with an offset (crm's own export), or a local date/time in the shop's zone. */
export function parseInstant(raw: string, order: DateOrder | null, zone: string): { at: string; day: string } | null {
  const s = raw.trim();
  // A till's export (2024-03-05 10:39:05), read as below would read it, without trying every other form.
  const till = TILL_TIME.exec(s);
  if (till) {
    const y = Number(till[1]);
    const mo = Number(till[2]);
    const d = Number(till[3]);
    const day = isoDay(y, mo, d);
    if (!day) return null;
    const at = localInstantOf(y, mo, d, Number(till[4]), Number(till[5]), Number(till[6] ?? 0), zone);
    return at ? { at, day } : null;
  }
  const exported = exportedInstant(s, zone);
  if (exported) return exported;
  // With an offset, as ISO 8601 or as Shopify writes it (2026-04-05 21:06:21 +0400): that instant.
  if (/\d{2}:\d{2}(:\d{2}(\.\d+)?)? ?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const dt = DateTime.fromISO(s.replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T').replace(/ ([+-]\d{2}:?\d{2}|Z)$/, '$1'), { setZone: true });
    if (dt.isValid) return { at: dt.toUTC().toISO()!, day: dt.setZone(zone).toISODate()! };
  }
  const local = parseLocalDate(s, order);
  if (!local) return null;
  const at = localInstant(local.day, local.time ?? '00:00:00', zone);
  return at ? { at, day: local.day } : null;
}
