// crm backup [--to] [--keep] | backup list, and crm restore <file>: a checked copy of the book made
// while others use it, the folder of dated backups, and the way back from one. The use cases are in
// src/app/backup.ts, the SQLite work in src/store/backup.ts.
import type { Command } from 'commander';
import { listBackups, makeBackup, stageRestore, type BackupListed, type BackupMade } from '../app/backup.js';
import { readOnly, type Context } from '../context.js';
import { formatLocal } from '../core/dates.js';
import { sizeText } from '../core/backup.js';
import { badInput } from '../errors.js';
import { renderList, renderOne, type Column } from '../io/output.js';
import { addFormatOption, example, formatOf, parsePositiveInt, prompts } from './common.js';

const madeColumns: Column<BackupMade>[] = [
  { key: 'file', header: 'col.file', value: (r) => r.file },
  { key: 'size', header: 'col.size', value: (r) => r.size, display: (r) => sizeText(r.size), align: 'right' },
  { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
  { key: 'seconds', header: 'col.seconds', value: (r) => Number(r.seconds.toFixed(2)), align: 'right' },
];

function listedColumns(zone: string): Column<BackupListed>[] {
  return [
    { key: 'file', header: 'col.file', value: (r) => r.file },
    { key: 'taken', header: 'col.taken', value: (r) => r.taken, display: (r) => formatLocal(r.taken, zone) },
    { key: 'size', header: 'col.size', value: (r) => r.size, display: (r) => sizeText(r.size), align: 'right' },
    { key: 'path', header: 'col.path', value: (r) => r.path },
  ];
}

/** What --keep removed, on stdout after the table: news, not a problem (cron's `> /dev/null` keeps it quiet). */
function noteRotation(ctx: Context, made: BackupMade, format: string): void {
  if (format === 'table' && made.rotated && made.rotated.removed.length > 0) ctx.out(ctx.t('msg.backupRemoved', { count: made.rotated.removed.length, kept: made.rotated.kept, dir: made.rotated.dir }));
}

async function backup(ctx: Context, o: { to?: string; force?: boolean; keep?: string; format?: string }): Promise<void> {
  const keep = o.keep === undefined ? undefined : parsePositiveInt(o.keep, '--keep');
  const made = await makeBackup(ctx, { to: o.to, force: o.force, keep });
  renderOne(ctx, formatOf(o), madeColumns, made);
  noteRotation(ctx, made, formatOf(o));
}

async function list(ctx: Context, o: { format?: string }): Promise<void> {
  const { dir, backups } = await listBackups(ctx);
  const { timezone } = await ctx.settings();
  if (backups.length === 0 && formatOf(o) === 'table') return ctx.err(ctx.t('msg.backupNone', { dir }));
  renderList(ctx, formatOf(o), listedColumns(timezone), backups);
}

export function register(cmd: Command, ctx: Context): void {
  addFormatOption(cmd, ctx)
    .option('--to <file>', ctx.t('opt.backupTo'))
    .option('--force', ctx.t('opt.backupForce'))
    .option('--keep <n>', ctx.t('opt.backupKeep'))
    .option('--list', ctx.t('opt.backupList'))
    .action((o) => (o.list ? list(ctx, o) : backup(ctx, o)));
  example(cmd, ctx, 'crm backup', 'crm backup --keep 14', 'crm backup --to /mnt/usb/shop.db', '0 3 * * * crm backup --keep 14   # crontab: every night at 3');

  // `crm backup list --format json`: commander gives the --format to `crm backup`, which has one too.
  const listCmd = addFormatOption(cmd.command('list').description(ctx.t('cmd.backup.list')), ctx).action((o: { format?: string }, c: Command) =>
    list(ctx, { format: c.getOptionValueSource('format') === 'cli' ? o.format : (c.parent?.opts().format as string | undefined) }),
  );
  example(listCmd, ctx, 'crm backup list', 'crm backup list --format json');
  readOnly(cmd, listCmd);
}

const restoredColumns: Column<{ book: string; file: string; keptAs: string | null; customers: number }>[] = [
  { key: 'book', header: 'col.book', value: (r) => r.book },
  { key: 'restored_from', header: 'col.restoredFrom', value: (r) => r.file },
  { key: 'kept_as', header: 'col.keptAs', value: (r) => r.keptAs, display: (r) => r.keptAs ?? '—' },
  { key: 'customers', header: 'col.customers', value: (r) => r.customers, align: 'right' },
];

async function restore(ctx: Context, file: string, o: { yes?: boolean; format?: string }): Promise<void> {
  const staged = await stageRestore(ctx, file);
  try {
    if (!o.yes) {
      if (!ctx.interactive) throw badInput('err.restore.confirm', { book: staged.book }, { id: 'hint.restore.yes' });
      const ok = await (await prompts(ctx)).confirm({ message: ctx.t('prompt.restore', { book: staged.book, file: staged.file, customers: staged.customers }), default: false });
      if (!ok) return ctx.err(ctx.t('msg.cancelled'));
    }
    const keptAs = await staged.apply();
    const format = formatOf(o);
    if (format !== 'table') return renderOne(ctx, format, restoredColumns, { book: staged.book, file: staged.file, keptAs, customers: staged.customers });
    ctx.out(ctx.t('msg.restored', { file: staged.file, book: staged.book }));
    if (keptAs) ctx.out(ctx.t('msg.restoreKept', { path: keptAs }));
  } finally {
    staged.discard();
  }
}

/** Registers `crm restore` (src/cli.ts loads it from this file, beside `crm backup`). */
export function registerRestore(cmd: Command, ctx: Context): void {
  addFormatOption(cmd.argument('<file>', ctx.t('arg.backupFile')), ctx)
    .option('--yes', ctx.t('opt.restoreYes'))
    .action((file: string, o) => restore(ctx, file, o));
  example(cmd, ctx, 'crm restore ~/.local/share/crm/backups/crm-2026-12-01T030000.db', 'crm restore shop-copy.db --yes');
}
