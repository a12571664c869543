// crm db init <postgres://…> | db copy <from> <to>: the book on a PostgreSQL server. init makes a
// database a crm book; copy moves a whole book between a file and a server, either way, and
// verifies it row for row. The SQL is in src/store/postgres.ts and src/store/copy.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import { badInput, failure } from '../errors.js';
import { renderList, type Column } from '../io/output.js';
import type { Store, TableCheck } from '../store/copy.js';
import { addFormatOption, example, formatOf } from './common.js';

async function init(ctx: Context, url: string): Promise<void> {
  const { connectPg, displayUrl, initPg, isPostgresUrl } = await import('../store/postgres.js');
  if (!isPostgresUrl(url)) throw badInput('err.pg.notUrl', { url });
  const client = await connectPg(url);
  try {
    const r = await initPg(client, url);
    ctx.err(ctx.t(r.created ? 'msg.pgCreated' : 'msg.pgThere', { url: displayUrl(url), version: r.version }));
  } finally {
    await client.end();
  }
}

/** Opens one side of a copy: the source must be a crm book, the target a new file or an empty book. */
async function open(side: 'from' | 'to', where: string): Promise<{ store: Store; close: () => Promise<void>; name: string; drop?: () => void }> {
  const pgs = await import('../store/postgres.js');
  if (pgs.isPostgresUrl(where)) {
    const client = await pgs.connectPg(where);
    try {
      if (side === 'from') {
        if ((await pgs.pgSchemaVersion(client, where)) === null) throw failure('err.copy.sourceMissing', { path: pgs.displayUrl(where) });
      } else {
        await pgs.initPg(client, where);
        const { nonEmptyTables } = await import('../store/copy.js');
        const full = await nonEmptyTables({ kind: 'pg', client });
        if (full.length > 0) throw failure('err.copy.targetNotEmpty', { url: pgs.displayUrl(where), tables: full.join(', ') });
      }
    } catch (e) {
      await client.end();
      throw e;
    }
    return { store: { kind: 'pg', client }, close: () => client.end(), name: pgs.displayUrl(where) };
  }
  const { openDatabase } = await import('../store/db.js');
  const file = path.resolve(where);
  if (side === 'from' && !fs.existsSync(file)) throw failure('err.copy.sourceMissing', { path: file });
  if (side === 'to' && fs.existsSync(file)) throw failure('err.copy.targetExists', { path: file });
  const db = openDatabase(file);
  const drop = () => {
    for (const ext of ['', '-wal', '-shm']) fs.rmSync(file + ext, { force: true });
  };
  return { store: { kind: 'sqlite', db }, close: async () => void db.close(), name: file, drop: side === 'to' ? drop : undefined };
}

async function copy(ctx: Context, from: string, to: string, o: { format?: string }): Promise<void> {
  const format = formatOf(o);
  if (path.resolve(from) === path.resolve(to)) throw badInput('err.copy.same', { path: from });
  const { copyBook } = await import('../store/copy.js');
  const started = Date.now();
  const source = await open('from', from);
  let target: Awaited<ReturnType<typeof open>> | null = null;
  let checks: TableCheck[];
  let targetName = to;
  try {
    target = await open('to', to);
    targetName = target.name;
    try {
      checks = await copyBook(source.store, target.store);
    } catch (e) {
      // A file that was made for the copy goes with it: nothing half-written is left.
      await target.close();
      target.drop?.();
      target = null;
      throw e;
    }
  } finally {
    await source.close();
    await target?.close();
  }
  const yes = ctx.t('word.yes');
  const no = ctx.t('word.no');
  const same = (c: TableCheck) => c.source === c.target && c.sourceSum === c.targetSum;
  const columns: Column<TableCheck>[] = [
    { key: 'table', header: 'col.table', value: (c) => c.table },
    { key: 'source_rows', header: 'col.sourceRows', value: (c) => c.source, align: 'right' },
    { key: 'target_rows', header: 'col.targetRows', value: (c) => c.target, align: 'right' },
    { key: 'checksum', header: 'col.checksum', value: (c) => c.sourceSum },
    { key: 'same', header: 'col.same', value: (c) => same(c), display: (c) => (same(c) ? yes : no) },
  ];
  renderList(ctx, format, columns, checks);
  const differ = checks.filter((c) => !same(c)).map((c) => c.table);
  if (differ.length > 0) throw failure('err.copy.differs', { tables: differ.join(', ') });
  const rows = checks.reduce((n, c) => n + c.source, 0);
  ctx.err(ctx.t('msg.copied', { rows, tables: checks.length, from: source.name, to: targetName, seconds: ((Date.now() - started) / 1000).toFixed(1) }));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm db init postgres://owner:secret@127.0.0.1:5432/shop', 'crm db copy shop.db postgres://owner:secret@127.0.0.1:5432/shop');
  cmd.command('init').description(ctx.t('cmd.db.init')).argument('<url>', ctx.t('arg.pgUrl')).action((url: string) => init(ctx, url));
  example(cmd.commands.at(-1)!, ctx, 'crm db init postgres://owner:secret@127.0.0.1:5432/shop');
  addFormatOption(cmd.command('copy').description(ctx.t('cmd.db.copy')).argument('<from>', ctx.t('arg.copyFrom')).argument('<to>', ctx.t('arg.copyTo')), ctx).action((from: string, to: string, o: { format?: string }) => copy(ctx, from, to, o));
  example(cmd.commands.at(-1)!, ctx, 'crm db copy shop.db postgres://owner:secret@127.0.0.1:5432/shop', 'crm db copy postgres://owner:secret@127.0.0.1:5432/shop back.db');
}
