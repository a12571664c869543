// crm holidays list|import: the public holidays and make-up working days (调休) that deadlines in
// business hours count with, shipped per year and imported from a new year's notice.
import type { Command } from 'commander';
import { holidayCalendar, importHolidayFile, type CalendarDay } from '../app/holiday.js';
import { readOnly, type Context } from '../context.js';
import { WEEKDAY_WORDS } from '../core/business-hours.js';
import { badInput } from '../errors.js';
import { renderList, type Column } from '../io/output.js';
import { addFormatOption, example, formatOf } from './common.js';

const weekdayOf = (date: string) => WEEKDAY_WORDS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

function holidayColumns(ctx: Context): Column<CalendarDay>[] {
  return [
    { key: 'day', header: 'col.day', value: (d) => d.date },
    { key: 'weekday', header: 'col.weekday', value: (d) => weekdayOf(d.date), display: (d) => ctx.t(`weekday.${weekdayOf(d.date)}`) },
    { key: 'name', header: 'col.holidayName', value: (d) => d.name },
    { key: 'off', header: 'col.holidayKind', value: (d) => d.isOffDay, display: (d) => ctx.t(d.isOffDay ? 'holidays.off' : 'holidays.working') },
    { key: 'source', header: 'col.source', value: (d) => d.source, display: (d) => ctx.t(`holidays.${d.source}`) },
  ];
}

/** --year as typed, else this year in the shop's zone. */
async function yearOf(ctx: Context, raw: string | undefined): Promise<number> {
  if (raw === undefined) return Number((await ctx.today()).slice(0, 4));
  if (!/^\d{4}$/.test(raw.trim())) throw badInput('err.holidays.yearOption', { value: raw });
  return Number(raw.trim());
}

async function list(ctx: Context, o: { year?: string; format?: string }): Promise<void> {
  const format = formatOf(o);
  const year = await yearOf(ctx, o.year);
  const calendar = holidayCalendar(await ctx.db());
  renderList(ctx, format, holidayColumns(ctx), calendar.days.filter((d) => d.date.startsWith(`${year}-`)));
  if (!calendar.years.has(year)) ctx.err(ctx.t('msg.holidays.noData', { year }));
}

async function importFile(ctx: Context, file: string): Promise<void> {
  const s = await importHolidayFile(ctx, file);
  ctx.out(ctx.t('msg.holidays.imported', { year: s.year, file, days: s.days, off: s.off, working: s.days - s.off }));
  if (s.replaced?.source === 'shipped') ctx.out(ctx.t('msg.holidays.replacedShipped', { year: s.year, days: s.replaced.days }));
  if (s.replaced?.source === 'imported') ctx.out(ctx.t('msg.holidays.replacedImported', { year: s.year, days: s.replaced.days }));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm holidays list --year 2026', 'crm holidays import 2027.json');

  const listCmd = addFormatOption(cmd.command('list').description(ctx.t('cmd.holidays.list')).option('--year <year>', ctx.t('opt.holidayYear')), ctx).action((o) =>
    list(ctx, o),
  );
  example(listCmd, ctx, 'crm holidays list', 'crm holidays list --year 2026 --format csv');

  const importCmd = cmd
    .command('import')
    .description(ctx.t('cmd.holidays.import'))
    .argument('<file>', ctx.t('arg.holidayFile'))
    .action((file) => importFile(ctx, file));
  example(importCmd, ctx, 'crm holidays import 2027.json');
  readOnly(listCmd);
}
