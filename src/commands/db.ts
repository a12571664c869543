// crm db init <postgres://…> | db copy <from> <to>: the book on a PostgreSQL server. init makes a
// database a crm book; copy moves a whole book between a file and a server, either way, and
// verifies it row for row. The use cases are in src/app/db.ts.
import type { Command } from 'commander';
import { copyBooks, initServerBook, sameTable } from '../app/db.js';
import type { Context } from '../context.js';
import { failure } from '../errors.js';
import { renderList, type Column } from '../io/output.js';
import type { TableCheck } from '../store/copy.js';
import { addFormatOption, example, formatOf } from './common.js';

async function init(ctx: Context, url: string): Promise<void> {
  const r = await initServerBook(url);
  ctx.err(ctx.t(r.created ? 'msg.pgCreated' : 'msg.pgThere', { url: r.shown, version: r.version }));
}

async function copy(ctx: Context, from: string, to: string, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  const done = await copyBooks(from, to);
  const [yes, no] = [ctx.t('word.yes'), ctx.t('word.no')];
  const columns: Column<TableCheck>[] = [
    { key: 'table', header: 'col.table', value: (c) => c.table },
    { key: 'source_rows', header: 'col.sourceRows', value: (c) => c.source, align: 'right' },
    { key: 'target_rows', header: 'col.targetRows', value: (c) => c.target, align: 'right' },
    { key: 'checksum', header: 'col.checksum', value: (c) => c.sourceSum },
    { key: 'same', header: 'col.same', value: sameTable, display: (c) => (sameTable(c) ? yes : no) },
  ];
  renderList(ctx, format, columns, done.checks);
  const differ = done.checks.filter((c) => !sameTable(c)).map((c) => c.table);
  if (differ.length > 0) throw failure('err.copy.differs', { tables: differ.join(', ') });
  const rows = done.checks.reduce((n, c) => n + c.source, 0);
  ctx.err(ctx.t('msg.copied', { rows, tables: done.checks.length, from: done.from, to: done.to, seconds: done.seconds.toFixed(1) }));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm db init postgres://owner:secret@127.0.0.1:5432/shop', 'crm db copy shop.db postgres://owner:secret@127.0.0.1:5432/shop');
  cmd.command('init').description(ctx.t('cmd.db.init')).argument('<url>', ctx.t('arg.pgUrl')).action((url: string) => init(ctx, url));
  example(cmd.commands.at(-1)!, ctx, 'crm db init postgres://owner:secret@127.0.0.1:5432/shop');
  addFormatOption(cmd.command('copy').description(ctx.t('cmd.db.copy')).argument('<from>', ctx.t('arg.copyFrom')).argument('<to>', ctx.t('arg.copyTo')), ctx).action((from: string, to: string, o: { format?: string }) => copy(ctx, from, to, o));
  example(cmd.commands.at(-1)!, ctx, 'crm db copy shop.db postgres://owner:secret@127.0.0.1:5432/shop', 'crm db copy postgres://owner:secret@127.0.0.1:5432/shop back.db');
}
