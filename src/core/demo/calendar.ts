// The demo shop's calendar: the three years up to its today in the shop's time zone, how busy
// each day is (weekends, Spring Festival, Double 11, the summer lull), and shop-local times turned
// into UTC instants, through daylight-saving changes and days a zone skipped.
import { DateTime, IANAZone } from 'luxon';
import type { Rng } from '../random.js';

export const DAY_MS = 86_400_000;
const SHOP_OPEN = 9 * 3600;
const SHOP_CLOSE = 21 * 3600;

export interface Calendar {
  readonly zone: string;
  /** Epoch day numbers (days since 1970-01-01 of the local date). */
  readonly start: number;
  readonly today: number;
  readonly todayYear: number;
  readonly iso: string[];
  readonly compact: string[];
  /** UTC offset in minutes during shop hours; NaN when it changes during the day (then luxon decides). */
  readonly offset: Float64Array;
  /** Relative chance of an order on the day (weekends, Spring Festival, Double 11, summer lull). */
  readonly busy: Float64Array;
  /** For local dates the zone skipped (Pacific/Apia, 2011-12-30): the next date that exists; else null. */
  readonly skipped: Int32Array | null;
}

const MONTH_FACTOR = [1.3, 1.25, 0.9, 0.95, 1.0, 0.95, 0.85, 0.85, 1.0, 1.05, 1.25, 1.2];
const WEEKDAY_FACTOR = [1.0, 0.75, 0.75, 0.75, 0.8, 0.9, 1.0]; // Sunday first

export function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The zone's UTC offset in minutes at an instant. */
function offsetOf(zone: string, utcMs: number): number {
  return DateTime.fromMillis(utcMs, { zone }).offset;
}

/**
 * UTC millis of a wall-clock time in the zone, the wall time given as if it were UTC millis. In an
 * overlap, the earlier instant; in a gap, the instant the clocks show just after it. (Built on
 * instant-to-offset lookups only, which stay right where local-to-instant guessing can go wrong.)
 */
function wallToUtc(zone: string, wallMs: number): number {
  const o1 = offsetOf(zone, wallMs);
  const o2 = offsetOf(zone, wallMs - o1 * 60_000);
  if (o2 === o1) return wallMs - o1 * 60_000;
  const o3 = offsetOf(zone, wallMs - o2 * 60_000);
  if (o3 === o2) return wallMs - o2 * 60_000;
  return wallMs - Math.min(o2, o3) * 60_000;
}

/** The offset that puts a wall-clock time (as UTC millis) on the instant wallToUtc gives. */
function wallOffset(zone: string, wallMs: number): number {
  return (wallMs - wallToUtc(zone, wallMs)) / 60_000;
}

export function buildCalendar(today: string, zone: string): Calendar {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const y = Number(m?.[1]);
  const mo = Number(m?.[2]);
  const d = Number(m?.[3]);
  const todayMs = Date.UTC(y, mo - 1, d);
  const check = new Date(todayMs);
  if (!m || check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`demo: today must be a date YYYY-MM-DD, got ${JSON.stringify(today)}`);
  }
  if (!IANAZone.isValidZone(zone)) throw new RangeError(`demo: unknown time zone ${JSON.stringify(zone)}`);
  const todayDay = todayMs / DAY_MS;
  const start = Date.UTC(y - 3, mo - 1, d) / DAY_MS;
  const length = todayDay - start + 1;
  const iso: string[] = [];
  const compact: string[] = [];
  const offset = new Float64Array(length);
  const busy = new Float64Array(length);
  let maxBusy = 0;
  for (let k = 0; k < length; k++) {
    const date = new Date((start + k) * DAY_MS);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    const ymd = `${year}-${pad2(month)}-${pad2(day)}`;
    iso.push(ymd);
    compact.push(ymd.replace(/-/g, ''));
    offset[k] = wallOffset(zone, (start + k) * DAY_MS + 12 * 3_600_000);
    let f = (MONTH_FACTOR[month - 1] as number) * (WEEKDAY_FACTOR[date.getUTCDay()] as number);
    if (month === 11 && day >= 9 && day <= 11) f *= 1.8; // Double 11
    busy[k] = f;
    if (f > maxBusy) maxBusy = f;
  }
  for (let k = 0; k < length; k++) busy[k] = (busy[k] as number) / maxBusy;
  // Where the offset at noon changes between days, look closer: if it changes during shop hours
  // (08:00–22:00, with a margin), convert those days' times one by one.
  const noon = Float64Array.from(offset);
  let skipped: Int32Array | null = null;
  for (let k = 0; k < length; k++) {
    const here = noon[k] as number;
    if ((k === 0 || noon[k - 1] === here) && (k === length - 1 || noon[k + 1] === here)) continue;
    const midnight = (start + k) * DAY_MS;
    const steady = [8, 21, 22].every((hour) => wallOffset(zone, midnight + hour * 3_600_000) === here);
    if (!steady) offset[k] = Number.NaN;
    // A date the zone skipped altogether: noon of it lands on another date.
    const noonUtc = wallToUtc(zone, midnight + 12 * 3_600_000);
    if (Math.floor((noonUtc + offsetOf(zone, noonUtc) * 60_000) / DAY_MS) !== start + k) {
      skipped ??= new Int32Array(length);
      skipped[k] = 1;
    }
  }
  if (skipped) {
    // Replace each flag with the next date that exists (today always does: it is the shop's today).
    let next = todayDay;
    for (let k = length - 1; k >= 0; k--) {
      if (skipped[k] === 0) next = start + k;
      skipped[k] = next;
    }
  }
  return { zone, start, today: todayDay, todayYear: y, iso, compact, offset, busy, skipped };
}

/** The day itself, or the next one when the zone skipped it. */
export function realDay(cal: Calendar, day: number): number {
  return cal.skipped === null ? day : (cal.skipped[day - cal.start] as number);
}

/** UTC millis of a shop-local day (epoch day number) and second of that day. */
export function utcMillis(cal: Calendar, day: number, second: number): number {
  const off = cal.offset[day - cal.start] as number;
  if (!Number.isNaN(off)) return (day * 86_400 + second) * 1000 - off * 60_000;
  return wallToUtc(cal.zone, (day * 86_400 + second) * 1000);
}

/** A second of the day within shop hours, busiest around lunch and after work. */
export function shopSecond(r: Rng): number {
  const u = r.float();
  let minute: number;
  if (u < 0.4) minute = 540 + r.float() * 720;
  else if (u < 0.7) minute = 735 + r.normal() * 70;
  else minute = 1125 + r.normal() * 80;
  const second = Math.floor(minute * 60);
  return Math.min(SHOP_CLOSE - 1, Math.max(SHOP_OPEN, second));
}

/** A day in [from, to], weighted by how busy the shop is that day. */
export function orderDay(r: Rng, cal: Calendar, from: number, to: number): number {
  if (to <= from) return from;
  for (let tries = 0; tries < 16; tries++) {
    const day = r.range(from, to);
    if (r.float() < (cal.busy[day - cal.start] as number)) return realDay(cal, day);
  }
  return realDay(cal, r.range(from, to));
}
