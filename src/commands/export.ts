// crm export customers|orders|interactions: every matching record, as CSV (for Excel and for
// `crm import`) or JSON, streamed to stdout or to a file that is written whole or not at all.
import { once } from 'node:events';
import path from 'node:path';
import type { Command } from 'commander';
import { customerFilterOf } from '../app/customer.js';
import { readOnly, type Context } from '../context.js';
import { maskCustomer, maskInteraction, maskOrder } from '../core/mask.js';
import { parseEncoding, textEncoder, type TextEncoder } from '../io/csv-out.js';
import { atomicFile, checkReplaceable, exists } from '../io/files.js';
import { dataText } from '../io/width.js';
import { badInput } from '../errors.js';
import { offerFormats, parseFormat, textWriter, type Column, type Format } from '../io/output.js';
import { customerBatches } from '../store/export.js';
import { iterateInteractions } from '../store/interaction.js';
import { iterateOrders } from '../store/order.js';
import { filteredCustomerColumns, interactionColumns, orderColumns } from './columns.js';
import {
  addCustomerFilterOptions,
  addInteractionFilterOptions,
  addOrderFilterOptions,
  example,
  interactionFilterOf,
  orderFilterOf,
  parsePositiveInt,
} from './common.js';

interface ExportFlags {
  out?: string;
  force?: boolean;
  format: string;
  excel?: boolean;
  encoding: string;
  mask?: boolean;
  since?: string;
  limit?: string;
}

/** What an export writes: CSV (Excel, `crm import`), JSON, or NDJSON (one record a line: exports are long listings). */
const EXPORT_FORMATS: readonly Format[] = ['csv', 'json', 'ndjson'];

interface Target {
  format: 'csv' | 'json' | 'ndjson';
  encoder: TextEncoder;
  newline: string;
  /** Written for Excel: BOM, CRLF, numbers Excel would mangle kept as text. */
  excel: boolean;
  encoding: string;
  /** The file to write; undefined for stdout. */
  out: string | undefined;
  force: boolean;
}

/** Reads the output options and refuses what cannot work, before any data is read. */
function target(ctx: Context, o: ExportFlags): Target {
  const format = o.format as Target['format'];
  const encoding = parseEncoding(o.encoding);
  // JSON is UTF-8 by definition (RFC 8259); a BOM or another encoding would only break its readers.
  if (format !== 'csv' && (o.excel || encoding !== 'utf-8')) throw badInput('err.export.jsonEncoding');
  const out = o.out === undefined || o.out === '-' ? undefined : o.out;
  // Never write an export over the database it reads (or its WAL).
  if (out !== undefined && path.resolve(out).startsWith(path.resolve(ctx.dbPath))) throw badInput('err.export.database', { path: out });
  // Only a regular file is ever replaced: never a device (/dev/full), a link, a folder or a pipe.
  if (out !== undefined) checkReplaceable(out);
  if (out !== undefined && !o.force && exists(out)) throw badInput('err.export.exists', { path: out }, { id: 'hint.export.force' });
  return { format, encoder: textEncoder(encoding, Boolean(o.excel)), newline: o.excel ? '\r\n' : '\n', excel: Boolean(o.excel), encoding, out, force: Boolean(o.force) };
}

interface Sink {
  /** The text as this sink is given it: at a terminal, control characters written out (dataText); a file or a pipe, exactly. */
  shown(text: string): string;
  write(bytes: Buffer): Promise<void>;
  /** Everything is written: make it visible. */
  commit(): void;
  /** Something failed: leave nothing behind. */
  abort(): void;
}

/** Standard output, waiting for the reader when the pipe is full. */
function stdoutSink(ctx: Context): Sink {
  const stream = ctx.io.stdout;
  return {
    shown: (text) => dataText(text, stream.isTTY),
    async write(bytes) {
      if (!stream.write(bytes)) await once(stream, 'drain');
    },
    commit() {},
    abort() {},
  };
}

/** The --out file, written whole or not at all (io/files.ts); an existing one is replaced only with --force. */
function fileSink(out: string, force: boolean): Sink {
  const file = atomicFile(out, force ? 'replace' : 'refuse');
  return {
    shown: (text) => text,
    async write(bytes) {
      file.write(bytes);
    },
    commit() {
      file.commit();
    },
    abort() {
      file.abort();
    },
  };
}

const CHUNK = 64 * 1024;
const PROGRESS_EVERY = 10_000;

/** Writes the rows in the chosen format and encoding; returns how many. */
async function write<T>(ctx: Context, t: Target, columns: Column<T>[], rows: Iterable<T>, sink: Sink): Promise<number> {
  let pending = '';
  let count = 0;
  let lossy = 0;
  const progress = Boolean(ctx.io.stderr.isTTY);
  const flush = async () => {
    if (pending) await sink.write(t.encoder.encode(sink.shown(pending)));
    pending = '';
  };
  const add = async (text: string) => {
    if (t.encoder.loses(text)) lossy++;
    pending += text;
    if (pending.length >= CHUNK) await flush();
  };
  if (t.encoder.bom.length) await sink.write(t.encoder.bom);
  // The same text as `--format csv|json|ndjson` of a listing.
  const text = textWriter(t.format, columns, { newline: t.newline, excel: t.excel });
  await add(text.head());
  for (const row of rows) {
    await add(text.row(row, count));
    count++;
    if (progress && count % PROGRESS_EVERY === 0) ctx.io.stderr.write(`\r${ctx.t('msg.exportProgress', { count: count.toLocaleString('en-US') })}`);
  }
  await add(text.tail(count));
  await flush();
  if (progress && count >= PROGRESS_EVERY) ctx.io.stderr.write('\r\x1b[K');
  if (lossy > 0) ctx.err(ctx.t('warn.export.lossy', { count: lossy, encoding: t.encoding }));
  return count;
}

/**
 * Runs one export: the rows are read only while they are written, and the file appears whole or
 * not at all. The query starts (`rows()`) only once the file is open: a file that cannot be made
 * leaves no read under way.
 */
async function exportRows<T>(ctx: Context, t: Target, columns: Column<T>[], rows: () => Iterable<T>): Promise<void> {
  const sink = t.out === undefined ? stdoutSink(ctx) : fileSink(t.out, t.force);
  let count: number;
  try {
    count = await write(ctx, t, columns, rows(), sink);
    sink.commit();
  } catch (e) {
    sink.abort();
    throw e;
  }
  if (t.out !== undefined) ctx.err(ctx.t('msg.exported', { count: count.toLocaleString('en-US'), path: t.out }));
}

function* mapped<T>(rows: Iterable<T>, f: ((row: T) => T) | undefined): Generator<T> {
  for (const row of rows) yield f ? f(row) : row;
}

function* flat<T>(batches: Iterable<T[]>): Generator<T> {
  for (const batch of batches) yield* batch;
}

interface CustomerExportFlags extends ExportFlags {
  tag?: string[];
  city?: string;
  sort?: string;
  columns?: string;
}

/** An export has no default limit: everything that matches. */
function exportLimit(o: { limit?: string }): number | null {
  return o.limit === undefined ? null : parsePositiveInt(o.limit, '--limit');
}

async function customers(ctx: Context, o: CustomerExportFlags): Promise<void> {
  const t = target(ctx, o);
  const { filter } = await customerFilterOf(ctx, o, exportLimit(o));
  const db = await ctx.db();
  // The columns of `crm customer list --format csv`.
  const columns = await filteredCustomerColumns(ctx, filter, o.columns);
  await exportRows(ctx, t, columns, () => mapped(flat(customerBatches(db, filter)), o.mask ? maskCustomer : undefined));
}

async function orders(ctx: Context, ref: string | undefined, o: ExportFlags): Promise<void> {
  const t = target(ctx, o);
  const db = await ctx.db();
  const filter = await orderFilterOf(ctx, ref, o, exportLimit(o));
  await exportRows(ctx, t, await orderColumns(ctx), () => mapped(iterateOrders(db, filter), o.mask ? maskOrder : undefined));
}

async function interactions(ctx: Context, ref: string | undefined, o: ExportFlags & { type?: string }): Promise<void> {
  const t = target(ctx, o);
  const db = await ctx.db();
  const filter = await interactionFilterOf(ctx, ref, o, exportLimit(o));
  await exportRows(ctx, t, await interactionColumns(ctx), () => mapped(iterateInteractions(db, filter), o.mask ? maskInteraction : undefined));
}

/** The options every export shares: where, in which format and encoding, masked or not. */
function addOutputOptions(cmd: Command, ctx: Context): Command {
  const formats = EXPORT_FORMATS;
  offerFormats(cmd, formats);
  return cmd
    .option('--out <file>', ctx.t('opt.out'))
    .option('--force', ctx.t('opt.exportForce'))
    .option('--format <format>', `${ctx.t('opt.exportFormat')} (${formats.join('|')})`, (v: string) => parseFormat(v, formats), 'csv')
    .option('--excel', ctx.t('opt.excel'))
    .option('--encoding <name>', ctx.t('opt.encoding'), 'utf-8')
    .option('--mask', ctx.t('opt.mask'));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm export customers --out customers.csv', 'crm export customers --excel --out 客户.csv', 'crm export orders --since 2026-01-01 --format json > orders.json');

  const customersCmd = addOutputOptions(
    addCustomerFilterOptions(cmd.command('customers').description(ctx.t('cmd.export.customers')), ctx),
    ctx,
  ).action((o) => customers(ctx, o));
  example(
    customersCmd,
    ctx,
    'crm export customers --out customers.csv',
    'crm export customers --tag VIP --city 上海 --excel --out vip.csv',
    'crm export customers --encoding gb18030 --out 客户-旧版Excel.csv',
    'crm export customers --mask --columns name,phone,city --out 分享.csv',
  );

  const ordersCmd = addOutputOptions(
    addOrderFilterOptions(cmd.command('orders').description(ctx.t('cmd.export.orders')), ctx),
    ctx,
  ).action((ref, o) => orders(ctx, ref, o));
  example(ordersCmd, ctx, 'crm export orders --since 2026-01-01 --excel --out orders.csv', 'crm export orders 13800138000 --format json');

  const interactionsCmd = addOutputOptions(
    addInteractionFilterOptions(cmd.command('interactions').description(ctx.t('cmd.export.interactions')), ctx),
    ctx,
  ).action((ref, o) => interactions(ctx, ref, o));
  example(interactionsCmd, ctx, 'crm export interactions --since 30d --out followups.csv', 'crm export interactions 张伟 --type call --format json');
  readOnly(customersCmd, ordersCmd, interactionsCmd);
}
