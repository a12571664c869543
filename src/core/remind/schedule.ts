// When reminders fire: cron expressions in the shop's zone (cron-parser), a day rule's send time,
// the window a run covers and how far back it catches up, quiet hours, and the two things decided
// once per occurrence from its key alone (its delivery id, whether it is held out). Pure: the time
// is passed in.
import { createHash } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
import { DateTime } from 'luxon';
import { badInput } from '../../errors.js';

/** Most fire times one recurring reminder yields in one window (a minute cron over a month is refused as a flood). */
export const MAX_FIRES = 1000;

/** Checks a cron expression (five fields, or six with seconds); throws one line naming what is wrong. */
export function checkCron(expr: string, zone: string): void {
  const fields = expr.trim().split(/\s+/);
  if (fields.length < 5 || fields.length > 6) throw badInput('err.remind.cronFields', { value: expr, count: fields.length });
  try {
    CronExpressionParser.parse(expr.trim(), { tz: zone, strict: false }).next();
  } catch (e) {
    throw badInput('err.remind.cron', { value: expr, reason: (e as Error).message });
  }
}

/**
 * The fire times of a cron expression in (from, to], in the zone, oldest first: at most `max`, the
 * oldest ones unless `newest` (a run that catches up sends the latest, and the older are not sent).
 */
export function cronTimes(expr: string, zone: string, from: Date, to: Date, o: { max?: number; newest?: boolean } = {}): Date[] {
  if (to <= from) return [];
  const max = o.max ?? MAX_FIRES;
  const it = CronExpressionParser.parse(expr.trim(), { tz: zone, currentDate: from, endDate: to });
  const out: Date[] = [];
  while (it.hasNext()) {
    out.push(it.next().toDate());
    if (out.length > max) {
      if (!o.newest) return out.slice(0, max);
      out.shift();
    }
  }
  return out;
}

/** The shortest gap between fire times, in minutes, over the next few of them (a schedule that fires every minute is refused for reminders). */
export function shortestGap(expr: string, zone: string, after: Date): number {
  const it = CronExpressionParser.parse(expr.trim(), { tz: zone, currentDate: after });
  const t = [0, 1, 2, 3, 4].map(() => it.next().getTime());
  return Math.min(...t.slice(1).map((x, i) => (x - t[i]!) / 60_000));
}

/** The next fire time after `after` (for listings). */
export function nextCronTime(expr: string, zone: string, after: Date): Date | null {
  try {
    return CronExpressionParser.parse(expr.trim(), { tz: zone, currentDate: after }).next().toDate();
  } catch {
    return null;
  }
}

/** The instant of a shop-local day at HH:MM (a time skipped by a DST change moves forward). */
export function atLocal(day: string, clock: string, zone: string): Date {
  return DateTime.fromISO(`${day}T${clock}`, { zone }).toJSDate();
}

/** Shop-local days from `from` to `to` inclusive. */
export function daysFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from, { zone: 'UTC' }); d.toISODate()! <= to; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  return out;
}

export function shiftDay(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/**
 * What one run covers: occasions due in (start, now] are made; those due before `late` (more than
 * the catch-up length ago, after the last run) are recorded as skipped, not sent: a machine that was
 * off for a month does not send a month of birthdays. The first run looks back the catch-up length.
 */
export interface RunWindow {
  start: Date;
  late: Date;
  now: Date;
}

export function runWindow(now: Date, lastRun: Date | null, catchUpMs: number): RunWindow {
  const late = new Date(now.getTime() - catchUpMs);
  const start = lastRun && lastRun < late ? lastRun : late;
  return { start, late, now };
}

/** Quiet hours as minutes of the day [from, to), which may pass midnight. */
export interface Quiet {
  from: number;
  to: number;
}

/** Whether an instant falls in the quiet hours, shop time. */
export function isQuiet(at: Date, zone: string, quiet: Quiet | null): boolean {
  if (!quiet) return false;
  const t = DateTime.fromJSDate(at, { zone });
  const m = t.hour * 60 + t.minute;
  return quiet.from < quiet.to ? m >= quiet.from && m < quiet.to : m >= quiet.from || m < quiet.to;
}

/** When the quiet hours that hold at `at` end. */
export function quietEnd(at: Date, zone: string, quiet: Quiet): Date {
  const t = DateTime.fromJSDate(at, { zone });
  let end = t.startOf('day').plus({ minutes: quiet.to });
  if (end <= t) end = end.plus({ days: 1 });
  return end.toJSDate();
}

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** An occurrence's delivery id: 16 characters from its key (rule, customer, occasion), the same every time it is worked out. */
export function deliveryId(rule: string, customerId: number, occasion: string): string {
  const h = createHash('sha256').update(`${rule}\u0000${customerId}\u0000${occasion}`).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[h[i]! % ALPHABET.length];
  return out;
}

/**
 * Whether a customer is in a rule's holdout: a fair coin of the given weight, decided by the rule and
 * the customer alone, so the same customers are kept back every time (a control group that got last
 * week's message would not be one). The occasion does not enter.
 */
export function heldOut(rule: string, customerId: number, share: number): boolean {
  if (share <= 0) return false;
  const h = createHash('sha256').update(`holdout\u0000${rule}\u0000${customerId}`).digest();
  return h.readUInt32BE(0) / 2 ** 32 < share;
}
