// The calendar the shop counts complaint deadlines with: each year's holiday notice, from the
// database when one was imported (`crm holidays import`, which replaces that year's shipped file),
// else from the files shipped in data/holidays/; and the weekly opening hours of the setting
// business_hours. Built once per command run.
import type { Context } from '../context.js';
import { parseHolidayFile, parseOpeningHours, type HolidayDay, type WorkCalendar } from '../core/business-hours.js';
import { readHolidayFile, shippedHolidayFiles } from '../io/holiday.js';
import { transaction, type Db } from '../store/db.js';
import { importedDayCount, importedHolidays, replaceHolidayYear } from '../store/holiday.js';

export type HolidaySource = 'shipped' | 'imported';

export interface CalendarDay extends HolidayDay {
  /** The year of the notice the day comes from. */
  year: number;
  source: HolidaySource;
}

export interface HolidayCalendar {
  /** Every day of every notice, by date (a day two notices list is the later notice's). */
  days: CalendarDay[];
  /** The years that have a notice. */
  years: Set<number>;
}

let shipped: Map<number, HolidayDay[]> | undefined;

/** The shipped notices by year (checked as an imported one is: a broken file is a bug, said plainly). */
function shippedNotices(): Map<number, HolidayDay[]> {
  if (!shipped) {
    shipped = new Map();
    for (const { file, text } of shippedHolidayFiles()) {
      const notice = parseHolidayFile(text, file);
      shipped.set(notice.year, notice.days);
    }
  }
  return shipped;
}

/** The notices the shop counts with: the imported years over the shipped ones. */
export function holidayCalendar(db: Db): HolidayCalendar {
  const notices = new Map<number, { source: HolidaySource; days: HolidayDay[] }>();
  for (const [year, days] of shippedNotices()) notices.set(year, { source: 'shipped', days });
  const imported = new Map<number, HolidayDay[]>();
  for (const { year, ...day } of importedHolidays(db)) imported.set(year, [...(imported.get(year) ?? []), day]);
  for (const [year, days] of imported) notices.set(year, { source: 'imported', days });
  const byDate = new Map<string, CalendarDay>();
  for (const year of [...notices.keys()].sort((a, b) => a - b)) {
    const { source, days } = notices.get(year)!;
    for (const d of days) byDate.set(d.date, { ...d, year, source });
  }
  const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  return { days, years: new Set(notices.keys()) };
}

const calendars = new WeakMap<Context, Promise<WorkCalendar | null>>();

/** The calendar deadlines count with: null when the setting sla_hours is 'all' (every hour counts), else business_hours and the holidays. */
export function workCalendar(ctx: Context): Promise<WorkCalendar | null> {
  let cal = calendars.get(ctx);
  if (!cal) {
    cal = (async () => {
      const settings = await ctx.settings();
      if (settings.sla_hours === 'all') return null;
      const { days, years } = holidayCalendar(await ctx.db());
      return { hours: parseOpeningHours(settings.business_hours), days: new Map(days.map((d) => [d.date, d])), years };
    })();
    calendars.set(ctx, cal);
  }
  return cal;
}

export interface HolidayImport {
  year: number;
  days: number;
  off: number;
  /** What the notice replaced: days imported before, or the shipped file's; null when the year had no data. */
  replaced: { source: HolidaySource; days: number } | null;
}

/** Imports a year's notice from a file: checked whole first, then that year's days replaced in one transaction. */
export async function importHolidayFile(ctx: Context, file: string): Promise<HolidayImport> {
  const notice = parseHolidayFile(readHolidayFile(file), file);
  const db = await ctx.db();
  const replaced = transaction(db, () => {
    const before = importedDayCount(db, notice.year);
    replaceHolidayYear(db, notice.year, notice.days);
    return before;
  });
  const shippedDays = shippedNotices().get(notice.year);
  const off = notice.days.filter((d) => d.isOffDay).length;
  return {
    year: notice.year,
    days: notice.days.length,
    off,
    replaced: replaced > 0 ? { source: 'imported', days: replaced } : shippedDays ? { source: 'shipped', days: shippedDays.length } : null,
  };
}
