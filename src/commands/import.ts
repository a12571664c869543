// crm import customers|orders <file>: spreadsheets in, every row imported or refused with a reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import type { Context } from '../context.js';
import {
  CONFLICT_MODES,
  RepeatedOrders,
  RowError,
  checkMapping,
  looksLikeHeader,
  dateOrderOf,
  decideCustomer,
  decideOrder,
  mapColumns,
  newDateScan,
  parseConflictMode,
  parseDateFormat,
  scanDate,
  type ColumnMap,
  type DateOrder,
  type DateScan,
  type ImportKind,
  type RowContext,
  type Target,
} from '../core/import/index.js';
import { openCsv, readRecords, spoolToFile, type CsvFile } from '../io/csv-in.js';
import { readRows, type RowResult } from '../app/import-rows.js';
import { csvLine } from '../io/csv-out.js';
import { badInput } from '../errors.js';
import { renderList } from '../io/output.js';
import { bulkLoadLookups, countCustomers, findCustomerIds, getCustomer, indexedLookups, insertCustomer, updateCustomer } from '../store/customers.js';
import { beginWrite, deferIndexes, LISTING_INDEXES, LOOKUP_INDEXES } from '../store/db.js';
import { countSameOrders, findOrderByExternalId, insertOrder, maxOrderId } from '../store/orders.js';
import { addFormatOption, collect, example, formatOf } from './common.js';

const DATE_TARGETS: ReadonlySet<Target> = new Set(['birthday', 'lunar_birthday', 'created_at', 'ordered_at', 'day']);
const REJECT_COLUMN = 'crm_reject_reason';
/** From this many rows, an import into an empty book builds the listing indexes after the rows. */
const BULK_ROWS = 50_000;
/** From this many rows, the file is read on a worker thread beside the writes. */
const WORKER_ROWS = 10_000;

interface ImportFlags {
  map?: string[];
  encoding?: string;
  dateFormat?: string;
  /** Customers only: orders are matched by their order number. */
  onConflict?: string;
  createCustomers?: boolean;
  dryRun?: boolean;
  strict?: boolean;
  rejects?: string;
  format?: string;
}

interface Stats {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  customersCreated: number;
  /** Rows whose differing values were kept as stored (update). */
  keptDifferences: number;
}


function reasonOf(ctx: Context, line: number, e: RowError): string {
  const what = ctx.t(e.id, e.params);
  return e.column ? ctx.t('import.reasonAt', { line, column: e.column, what }) : ctx.t('import.reasonLine', { line, what });
}

/** Pass 1: how many rows, and which day/month order each date column settles. */
async function scanFile(csv: CsvFile, map: ColumnMap[], fixed: DateOrder | null): Promise<{ total: number; dateOrders: Map<number, DateOrder> }> {
  const dateColumns = map.filter((c) => DATE_TARGETS.has(c.target));
  const scans = new Map<number, DateScan>(dateColumns.map((c) => [c.index, newDateScan()]));
  let total = 0;
  for await (const r of readRecords(csv.path, csv.encoding, csv.delimiter)) {
    if (r.line <= csv.headerLine) continue;
    total++;
    for (const c of dateColumns) scanDate(scans.get(c.index)!, r.fields[c.index] ?? '');
  }
  const dateOrders = new Map<number, DateOrder>();
  for (const c of dateColumns) {
    if (fixed) {
      dateOrders.set(c.index, fixed);
      continue;
    }
    const scan = scans.get(c.index)!;
    const order = dateOrderOf(scan);
    if (order === 'ambiguous') throw badInput('err.import.ambiguousDate', { column: c.header, sample: scan.sample ?? '' }, { id: 'hint.import.dateFormat' });
    if (order) dateOrders.set(c.index, order);
  }
  return { total, dateOrders };
}

function rejectsPath(file: string, given: string | undefined): string {
  if (given) return given;
  if (file === '-') return path.resolve('crm-import.rejects.csv');
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.rejects.csv`);
}

/**
 * The refused rows as a CSV a spreadsheet opens (UTF-8 with BOM): the original columns plus the
 * reason. Written as they come (memory stays flat), to a temporary file renamed into place at the
 * end. A row refused without its cells at hand (the reader thread keeps only those of rows it
 * refuses itself) is noted by line and copied from the file at the end.
 */
class RejectsFile {
  private fd: number | null = null;
  private readonly tmp: string;
  private readonly later = new Map<number, string>();
  count = 0;

  constructor(
    readonly file: string,
    private readonly header: string[],
  ) {
    this.tmp = `${file}.tmp-${process.pid}`;
  }

  add(line: number, fields: string[] | undefined, reason: string): void {
    this.count++;
    if (fields) this.write(fields, reason);
    else this.later.set(line, reason);
  }

  private write(fields: string[], reason: string): void {
    if (this.fd === null) {
      this.fd = fs.openSync(this.tmp, 'w');
      fs.writeSync(this.fd, '\uFEFF' + csvLine([...this.header, REJECT_COLUMN], '\r\n'));
    }
    fs.writeSync(this.fd, csvLine([...this.header.map((_, i) => fields[i] ?? ''), reason], '\r\n'));
  }

  /** Copies the rows noted by line from the file. */
  async fill(csv: CsvFile): Promise<void> {
    if (this.later.size === 0) return;
    for await (const r of readRecords(csv.path, csv.encoding, csv.delimiter)) {
      const reason = this.later.get(r.line);
      if (reason === undefined) continue;
      this.write(r.fields, reason);
      this.later.delete(r.line);
      if (this.later.size === 0) break;
    }
  }

  /** Puts the file in place; returns its path, or null when no row was refused. */
  finish(): string | null {
    if (this.fd === null) return null;
    fs.closeSync(this.fd);
    this.fd = null;
    fs.renameSync(this.tmp, this.file);
    return this.file;
  }

  discard(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.tmp, { force: true });
  }
}

async function progressBar(ctx: Context, total: number) {
  if (!ctx.io.stderr.isTTY || total < 5000) return null;
  const { SingleBar } = (await import('cli-progress')).default;
  const bar = new SingleBar({
    stream: ctx.io.stderr as NodeJS.WriteStream,
    format: ctx.t('import.progress'),
    etaBuffer: 5000,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0, { rate: '0' });
  return bar;
}

async function runImport(ctx: Context, kind: ImportKind, file: string, o: ImportFlags): Promise<void> {
  const started = performance.now();
  const settings = await ctx.settings();
  const mode = parseConflictMode(o.onConflict ?? 'update');
  const fixedOrder = o.dateFormat ? parseDateFormat(o.dateFormat) : null;
  const format = formatOf(o);
  let spool: string | null = null;
  try {
    let source = file;
    if (file === '-') {
      spool = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-import-'));
      source = await spoolToFile(ctx.io.stdin, spool);
    }
    const csv = await openCsv(source, o.encoding, (cells) => looksLikeHeader(kind, cells));
    const map = mapColumns(kind, csv.header, o.map);
    checkMapping(kind, map);
    const { total, dateOrders } = await scanFile(csv, map, fixedOrder);
    const rowCtx: RowContext = { country: settings.country, currency: settings.currency, zone: settings.timezone, dateOrders };
    if (o.dryRun) {
      await dryRun(ctx, kind, csv, map, rowCtx, total, format);
      return;
    }
    const rejects = new RejectsFile(rejectsPath(file, o.rejects), csv.header);
    let stats: Awaited<ReturnType<typeof importRows>>;
    try {
      stats = await importRows(ctx, kind, csv, map, rowCtx, mode, o, total, rejects);
      await rejects.fill(csv);
    } catch (e) {
      rejects.discard();
      throw e;
    }
    const rejectsFile = rejects.finish();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    printSummary(ctx, format, kind, file, csv, stats.stats, seconds, rejectsFile);
    if (stats.strictFailure) throw badInput('err.import.strict', { count: stats.stats.rejected, file: rejectsFile ?? '' });
    if (stats.stats.rejected > 0) throw badInput('err.import.rejected', { count: stats.stats.rejected, file: rejectsFile ?? '' });
  } finally {
    if (spool) fs.rmSync(spool, { recursive: true, force: true });
  }
}

async function importRows(
  ctx: Context,
  kind: ImportKind,
  csv: CsvFile,
  map: ColumnMap[],
  rowCtx: RowContext,
  mode: ReturnType<typeof parseConflictMode>,
  o: ImportFlags,
  total: number,
  rejects: RejectsFile,
): Promise<{ stats: Stats; strictFailure: boolean }> {
  const db = await ctx.db();
  const now = ctx.nowIso();
  const stats: Stats = { rows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, customersCreated: 0, keptDifferences: 0 };
  const exists = (id: number) => findCustomerIds(db, { kind: 'id', id }).length > 0;
  const indexed = indexedLookups(db);
  const orderLookups = {
    customerById: exists,
    customersByExternalId: indexed.byExternalId,
    customersByPhone: indexed.byPhone,
    customersByEmail: indexed.byEmail,
    customersByName: (name: string) => findCustomerIds(db, { kind: 'name', name }),
    orderByNumber: (no: string) => findOrderByExternalId(db, no),
  };
  const ordersBefore = kind === 'orders' ? maxOrderId(db) : 0;
  const repeats = new RepeatedOrders();
  const bar = await progressBar(ctx, total);
  const startedAt = performance.now();
  const tx = beginWrite(db);
  try {
    // A large load into an empty book builds its indexes once, after the rows: the listing indexes,
    // and for customers the look-up indexes too, whose work an in-memory key table does meanwhile.
    const bulk = total >= BULK_ROWS && countCustomers(db) === 0;
    const rebuild = !bulk ? null : kind === 'customers' ? deferIndexes(db, [...LISTING_INDEXES, ...LOOKUP_INDEXES], { appendOnly: true }) : deferIndexes(db, LISTING_INDEXES);
    const keys = bulk && kind === 'customers' ? bulkLoadLookups(db, total) : indexed;
    const customerLookups = { ...keys, exists, load: (id: number) => getCustomer(db, id) };
    const job = { csv, map, rowCtx };
    const onWorker = total >= WORKER_ROWS;
    const refuse = (r: { line: number; fields?: string[] }, e: RowError) => {
      stats.rejected++;
      const reason = reasonOf(ctx, r.line, e);
      rejects.add(r.line, r.fields, reason);
      if (rejects.count <= 5) ctx.err(reason);
    };
    const progress = () => bar?.update(stats.rows, { rate: Math.round(stats.rows / Math.max(0.001, (performance.now() - startedAt) / 1000)) });
    /** Every row read: a row refused while reading goes to the rejects file, the others to `each`. */
    const eachRow = async <T>(rows: AsyncGenerator<RowResult<T>[]>, each: (r: RowResult<T>, value: T) => void) => {
      for await (const batch of rows) {
        for (const r of batch) {
          stats.rows++;
          if (r.error) refuse(r, r.error);
          else each(r, r.value);
        }
        progress();
      }
    };
    if (kind === 'customers') {
      await eachRow(readRows({ ...job, kind }, onWorker), (r, { customer, doc }) => {
        const decision = decideCustomer(customer, mode, customerLookups);
        switch (decision.action) {
          case 'insert':
            keys.remember(insertCustomer(db, decision.row.fields, decision.row.createdAt ?? now, decision.id, doc), decision.row.fields);
            stats.inserted++;
            break;
          case 'update':
            updateCustomer(db, decision.id, decision.fields, now);
            keys.remember(decision.id, decision.fields);
            stats.updated++;
            if (decision.kept.length) stats.keptDifferences++;
            break;
          case 'unchanged':
            stats.unchanged++;
            if (decision.kept.length) stats.keptDifferences++;
            break;
          case 'skip':
            stats.skipped++;
            break;
          case 'reject':
            refuse(r, decision.error);
            break;
        }
      });
    } else {
      await eachRow(readRows({ ...job, kind }, onWorker), (r, order) => {
        const decision = decideOrder(order, o.createCustomers ?? false, orderLookups);
        if (decision.action === 'reject') return refuse(r, decision.error);
        if (decision.action === 'unchanged') {
          stats.unchanged++;
          return;
        }
        let customerId: number;
        if (decision.action === 'insertWithCustomer') {
          customerId = insertCustomer(db, decision.customer, now);
          stats.customersCreated++;
        } else customerId = decision.customerId;
        const values = { customerId, amount: order.amount, orderedAt: order.at, note: order.note };
        if (!order.orderNo && repeats.isRepeat(JSON.stringify(values), () => countSameOrders(db, values, ordersBefore))) {
          stats.unchanged++;
          return;
        }
        insertOrder(db, { ...values, externalId: order.orderNo, day: order.day }, now);
        stats.inserted++;
      });
    }
    rebuild?.();
    bar?.stop();
    if (o.strict && stats.rejected > 0) {
      tx.rollback();
      return { stats, strictFailure: true };
    }
    tx.commit();
  } catch (e) {
    bar?.stop();
    tx.rollback();
    throw e;
  }
  return { stats, strictFailure: false };
}

function printSummary(ctx: Context, format: string, kind: ImportKind, file: string, csv: CsvFile, s: Stats, seconds: string, rejects: string | null): void {
  if (format === 'json') {
    ctx.out(JSON.stringify({ kind, file, encoding: csv.encoding, delimiter: csv.delimiter, ...s, seconds: Number(seconds), rejects_file: rejects }, null, 2));
    return;
  }
  const n = (x: number) => x.toLocaleString(ctx.lang === 'zh' ? 'zh-CN' : 'en-US');
  ctx.out(ctx.t(kind === 'customers' ? 'import.summaryCustomers' : 'import.summaryOrders', { file, rows: n(s.rows), encoding: csv.encoding, delimiter: JSON.stringify(csv.delimiter) }));
  ctx.out(
    ctx.t('import.summaryCounts', { inserted: n(s.inserted), updated: n(s.updated), unchanged: n(s.unchanged), skipped: n(s.skipped), rejected: n(s.rejected), seconds }),
  );
  if (s.customersCreated) ctx.out(ctx.t('import.customersCreated', { count: n(s.customersCreated) }));
  if (s.keptDifferences) ctx.out(ctx.t('import.keptDifferences', { count: n(s.keptDifferences) }));
  if (rejects) ctx.out(ctx.t('import.rejectsWritten', { file: rejects }));
}

async function dryRun(ctx: Context, kind: ImportKind, csv: CsvFile, map: ColumnMap[], rowCtx: RowContext, total: number, format: string): Promise<void> {
  const problems: string[] = [];
  let bad = 0;
  for await (const batch of readRows({ kind, csv, map, rowCtx }, total >= WORKER_ROWS)) {
    for (const r of batch) {
      if (!r.error) continue;
      bad++;
      if (problems.length < 10) problems.push(reasonOf(ctx, r.line, r.error));
    }
  }
  const describe = (c: ColumnMap) =>
    c.target === 'custom' ? ctx.t('import.toCustom', { key: c.key }) : c.target === 'ignore' ? ctx.t('import.ignored') : c.target === 'address_part' ? ctx.t('import.addressPart') : c.target;
  if (format === 'json') {
    ctx.out(JSON.stringify({ kind, file: csv.path, encoding: csv.encoding, delimiter: csv.delimiter, rows: total, valid: total - bad, rejected: bad, columns: map.map((c) => ({ column: c.header, field: c.target === 'custom' ? `field:${c.key}` : c.target, how: c.how })), problems }, null, 2));
    return;
  }
  ctx.out(ctx.t('import.dryRunHead', { file: csv.path, encoding: csv.encoding, delimiter: JSON.stringify(csv.delimiter) }));
  renderList(
    ctx,
    'table',
    [
      { key: 'column', header: 'col.column', value: (c: ColumnMap) => c.header },
      { key: 'field', header: 'col.field', value: (c: ColumnMap) => describe(c) },
      { key: 'how', header: 'col.how', value: (c: ColumnMap) => ctx.t(`import.how.${c.how}`) },
    ],
    map,
  );
  ctx.out(ctx.t('import.dryRunCounts', { rows: total, valid: total - bad, rejected: bad }));
  for (const p of problems) ctx.out(`  ${p}`);
  ctx.out(ctx.t('import.dryRunNothing'));
}

export function register(cmd: Command, ctx: Context): void {
  example(cmd, ctx, 'crm import customers 客户.csv', 'crm import orders sales.csv --create-customers', 'crm import customers list.csv --dry-run');
  for (const kind of ['customers', 'orders'] as const) {
    const sub = addFormatOption(
      cmd
        .command(kind)
        .description(ctx.t(kind === 'customers' ? 'cmd.import.customers' : 'cmd.import.orders'))
        .argument('<file>', ctx.t('arg.importFile'))
        .option('--map <column=field>', ctx.t('opt.importMap'), collect)
        .option('--encoding <name>', ctx.t('opt.importEncoding'))
        .option('--date-format <order>', ctx.t('opt.dateFormat'))
        .option('--dry-run', ctx.t('opt.dryRun'))
        .option('--strict', ctx.t('opt.strict'))
        .option('--rejects <file>', ctx.t('opt.rejects')),
      ctx,
    );
    if (kind === 'customers') sub.option('--on-conflict <mode>', ctx.t('opt.onConflict', { modes: CONFLICT_MODES.join('|') }), 'update');
    else sub.option('--create-customers', ctx.t('opt.createCustomers'));
    sub.action((file: string, o: ImportFlags) => runImport(ctx, kind, file, o));
    if (kind === 'customers') {
      example(
        sub,
        ctx,
        'crm import customers 会员.csv',
        'crm import customers export.csv --on-conflict merge',
        'crm import customers old.csv --map "联系人=name" --map "微信号=field:微信" --date-format dd/mm/yyyy',
        'cat list.csv | crm import customers - --strict',
      );
    } else {
      example(sub, ctx, 'crm import orders 销售记录.csv', 'crm import orders pos-export.csv --create-customers --dry-run');
    }
  }
}
