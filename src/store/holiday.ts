// All SQL about the holidays table: the public holidays and make-up working days of the notices
// imported with `crm holidays import`, each day with the year of the notice it comes from (a
// notice may hold the last days of the December before). The notices shipped with crm are files
// (data/holidays/, read by src/io/holiday.ts); src/app/holiday.ts puts the two together.
import type { HolidayDay } from '../core/business-hours.js';
import { stmt, type Db } from './db.js';

export interface HolidayRow extends HolidayDay {
  /** The year of the notice. */
  year: number;
}

/** Every imported day, by day. */
export function importedHolidays(db: Db): HolidayRow[] {
  const rows = stmt(db, 'SELECT day, name, off, year FROM holidays ORDER BY day').all() as { day: string; name: string; off: number; year: number }[];
  return rows.map((r) => ({ date: r.day, name: r.name, isOffDay: r.off === 1, year: r.year }));
}

/** How many days are imported for a notice's year. */
export function importedDayCount(db: Db, year: number): number {
  return stmt(db, 'SELECT count(*) FROM holidays WHERE year = ?').pluck().get(year) as number;
}

/**
 * Replaces the days of one year's notice with these (a day another notice also lists becomes this
 * notice's). Call inside a transaction.
 */
export function replaceHolidayYear(db: Db, year: number, days: readonly HolidayDay[]): void {
  stmt(db, 'DELETE FROM holidays WHERE year = ?').run(year);
  const insert = stmt(
    db,
    'INSERT INTO holidays (day, name, off, year) VALUES (?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET name = excluded.name, off = excluded.off, year = excluded.year',
  );
  for (const d of days) insert.run(d.date, d.name, d.isOffDay ? 1 : 0, year);
}
