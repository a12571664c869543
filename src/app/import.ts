// The import use case: a CSV file of customers or orders read, matched and written in one
// transaction, every refused row kept with its reason in a rejects file, and a summary of counts.
// `crm import` parses the options and prints the summary; cron and other callers can run it too.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Context } from '../context.js';
import {
  RepeatedOrders,
  RowError,
  addLine,
  continuesOrder,
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
  type ImportedOrder,
  type ImportKind,
  type RowContext,
  type RowWarning,
  type Target,
  looksLikeData,
  mapsByNumber,
} from '../core/import/index.js';
import { countryCodeOf } from '../core/phone.js';
import { quoted } from '../core/text.js';
import { estimateRows, openCsv, readRecordRuns, spoolToFile, type CsvFile } from '../io/csv-in.js';
import { fileSize, isStandardInput, isStream, spoolFolder } from '../io/files.js';
import { badInput } from '../errors.js';
import { bulkLoadLookups, countCustomers, customerKeyLookups, memoryKeyLookups, findCustomerIds, getCustomer, indexedLookups, insertCustomer, updateCustomer } from '../store/customer.js';
import { beginWrite, deferIndexes, LISTING_INDEXES, LOOKUP_INDEXES } from '../store/db.js';
import { countSameOrders, findOrderByExternalId, insertOrder, maxOrderId, OrderLoad } from '../store/order.js';
import { ImportJournal } from '../store/import-runs.js';
import { insertRefund } from '../store/refund.js';
import { setTier } from '../store/tier.js';
import { reasonOf, RejectsFile, REJECT_COLUMN, rejectsTarget } from './import-rejects.js';
import { PhoneCountryCheck, readRows, Rescan, type ReadJob, type RowResult } from './import-rows.js';
import { currentLadder } from './tier.js';

const DATE_TARGETS: ReadonlySet<Target> = new Set(['birthday', 'lunar_birthday', 'created_at', 'ordered_at', 'day']);
/** From this many rows, an import into an empty book builds the listing indexes after the rows. */
const BULK_ROWS = 50_000;
/** From this many rows, the file is read on a worker thread beside the writes. */
const WORKER_ROWS = 10_000;

export interface ImportOptions {
  map?: string[];
  /** The file has no header row: its columns are named by number (--map "1=name"). */
  noHeader?: boolean;
  /** The country of phones written without a country code (TH); else the shop's. */
  country?: string;
  encoding?: string;
  dateFormat?: string;
  /** Customers only: orders are matched by their order number. */
  onConflict?: string;
  /** Orders: create the customers the book lacks from the buyer's columns; by default when the file has a buyer's name and phone or email. */
  createCustomers?: boolean;
  strict?: boolean;
  /** Where the refused rows go; by default <file>.rejects.csv beside the file (never over an existing one). */
  rejects?: string;
  /** Everything as the real import, then rolled back: the same counts, the same rejects file. */
  dryRun?: boolean;
}

export interface ImportStats {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  customersCreated: number;
  /** Orders: rows that were line items of the order above them (one order in several rows). */
  lineItems: number;
  /** Rows whose differing values were kept as stored (update). */
  keptDifferences: number;
  /** Rows imported with a value left out or in doubt (each is in the rejects file with the reason). */
  warnings: number;
}

/** What the file was and how it was read. */
export interface FileFacts {
  kind: ImportKind;
  file: string;
  encoding: string;
  delimiter: string;
}

export interface ImportSummary extends FileFacts, ImportStats {
  seconds: number;
  /** The rejects file written, or null when no row was refused (or none was kept: --strict rolls back but keeps it). */
  rejectsFile: string | null;
  /** Rows written to the rejects file: the refused ones and those imported with a value left out. */
  rejectsRows: number;
  /** The default rejects file that existed and was kept (the new one got another name). */
  rejectsKept: string | null;
  /** --strict and some row was refused: nothing was imported. */
  strictFailure: boolean;
  /** --dry-run: the import ran and was rolled back. */
  dryRun: boolean;
  /** The import's number in `crm import history` (what `crm import undo` takes); null when nothing was imported. */
  importId: number | null;
  /** How each column of the file was read. */
  columns: ColumnMap[];
}

/** What the caller shows while the rows go in (a progress bar at a terminal). */
export interface ImportHooks {
  progress?(total: number): Promise<{ update(done: number, rate: number): void; stop(): void } | null>;
  /** A refused row's reason (the caller shows the first few). */
  refused?(reason: string, count: number): void;
  /** A row imported with a value left out or in doubt: why (the caller shows the first few). */
  warned?(reason: string, count: number): void;
}


/** Pass 1: how many rows, which day/month order each date column settles, and whether the phones are another country's. */
async function scanFile(csv: CsvFile, map: ColumnMap[], fixed: DateOrder | null, phones: PhoneCountryCheck): Promise<{ total: number; dateOrders: Map<number, DateOrder> }> {
  const dateColumns = map.filter((c) => DATE_TARGETS.has(c.target));
  const scans = new Map<number, DateScan>(dateColumns.map((c) => [c.index, newDateScan()]));
  let total = 0;
  for await (const run of readRecordRuns(csv.path, csv.encoding, csv.delimiter)) {
    for (const r of run) {
      if (r.line <= csv.headerLine) continue;
      total++;
      for (const c of dateColumns) scanDate(scans.get(c.index)!, r.fields[c.index] ?? '');
      phones.add(r.fields, map);
    }
  }
  phones.verdict();
  const dateOrders = new Map<number, DateOrder>();
  for (const c of dateColumns) {
    if (fixed) {
      dateOrders.set(c.index, fixed);
      continue;
    }
    const scan = scans.get(c.index)!;
    const order = dateOrderOf(scan);
    if (order === 'ambiguous') throw badInput('err.import.ambiguousDate', { column: quoted(c.header), sample: quoted(scan.sample ?? '') }, { id: 'hint.import.dateFormat' });
    if (order) dateOrders.set(c.index, order);
  }
  return { total, dateOrders };
}

/** An order file that names its buyer (a name, and a phone or email): unknown buyers are created from it. */
function hasBuyerColumns(map: ColumnMap[]): boolean {
  const has = (...t: Target[]) => map.some((c) => t.includes(c.target));
  return has('customer_name', 'customer_given_name', 'customer_family_name') && has('customer_phone', 'customer_email');
}

/** The first row, quoted in a message: its first cells, each cut short. */
const firstCells = (cells: string[]) => cells.slice(0, 4).map((c) => (c.length > 30 ? `${c.slice(0, 30)}…` : c)).join(', ');

/**
 * Refuses a header row that is not one: a file mapped by column number whose first row holds
 * values (without --no-header it would be lost as the header), and a --no-header file whose first
 * row names columns (it would become a customer; a rejects file's first row names its columns).
 */
function checkHeaderRow(kind: ImportKind, csv: CsvFile, o: ImportOptions): void {
  if (!o.noHeader && looksLikeData(kind, csv.header) && mapsByNumber(csv.header, o.map ?? [])) {
    throw badInput('err.import.mapNumberHeader', { first: firstCells(csv.header) });
  }
  const first = csv.sample ?? [];
  if (o.noHeader && (looksLikeHeader(kind, first) || first.some((c) => c.trim() === REJECT_COLUMN))) {
    throw badInput('err.import.headerNotData', { first: firstCells(first) });
  }
}

/**
 * Runs `work` on a file it may read twice. Standard input ("-") and a pipe or device (/dev/stdin,
 * a FIFO), which can be read only once, are first copied to a private file (0600 in a 0700
 * folder), removed after, and by the next crm if this one is killed.
 */
export async function withInput<T>(ctx: Context, file: string, work: (source: string) => Promise<T>): Promise<T> {
  if (file !== '-' && !isStream(file)) return work(file);
  const spool = spoolFolder();
  try {
    // /dev/stdin is read as the standard input it names: a socket (a pipe from Node) cannot be opened by name.
    const input = file === '-' || isStandardInput(file) ? ctx.io.stdin : fs.createReadStream(file);
    return await work(await spoolToFile(input, spool.dir));
  } finally {
    spool.remove();
  }
}

/**
 * From this many bytes a file is imported without the first pass (scanFile): the reader checks what
 * it would as it goes (import-rows.ts `unscanned`), and only a file with dates whose day/month order
 * that pass settles is read again with it. 10M orders: the first pass alone took ~10 s.
 */
const UNSCANNED_BYTES = 4 * 1024 * 1024;

/** What `work` is told of the rows: how many (counted, or for an unscanned file estimated), and what the reader must check of an unscanned one. */
type Rows = { total: number; unscanned?: ReadJob['unscanned'] };

/** Reads the file (through withInput) and runs `work` on it. */
async function withCsv<T>(ctx: Context, kind: ImportKind, file: string, o: ImportOptions, work: (csv: CsvFile, map: ColumnMap[], rowCtx: RowContext, rows: Rows) => Promise<T>): Promise<T> {
  const settings = await ctx.settings();
  const fixedOrder = o.dateFormat ? parseDateFormat(o.dateFormat) : null;
  return withInput(ctx, file, async (source) => {
    const csv = await openCsv(source, o.encoding, (cells) => looksLikeHeader(kind, cells), o.noHeader);
    const map = mapColumns(kind, csv.header, o.map);
    checkMapping(kind, map, { headerless: o.noHeader ?? false, sample: csv.sample });
    checkHeaderRow(kind, csv, o);
    const country = { country: settings.country, countrySaid: false };
    if (o.country !== undefined) {
      const code = countryCodeOf(o.country);
      if (!code) throw badInput('err.setting.country', { value: o.country });
      [country.country, country.countrySaid] = [code, true];
    }
    const { ladder } = await currentLadder(ctx);
    const today = await ctx.today();
    const context = (dateOrders: Map<number, DateOrder>): RowContext => ({ ...country, strict: o.strict ?? false, headerless: o.noHeader ?? false, currency: settings.currency, zone: settings.timezone, dateOrders, ladder, today });
    if (fileSize(csv.path) >= UNSCANNED_BYTES) {
      const dateColumns = fixedOrder ? [] : map.filter((c) => DATE_TARGETS.has(c.target)).map((c) => c.index);
      const orders = new Map(fixedOrder ? map.filter((c) => DATE_TARGETS.has(c.target)).map((c) => [c.index, fixedOrder]) : []);
      try {
        return await work(csv, map, context(orders), { total: estimateRows(csv), unscanned: { dateColumns } });
      } catch (e) {
        if (!(e instanceof Rescan)) throw e;
      }
    }
    const { total, dateOrders } = await scanFile(csv, map, fixedOrder, new PhoneCountryCheck(map, country));
    return await work(csv, map, context(dateOrders), { total });
  });
}

/** Imports a file: every row inserted, updated, left as it is, skipped, or refused into the rejects file (with --dry-run, then rolled back). */
export async function importFile(ctx: Context, kind: ImportKind, file: string, o: ImportOptions, hooks: ImportHooks = {}): Promise<ImportSummary> {
  const started = performance.now();
  const mode = parseConflictMode(o.onConflict ?? 'update');
  // A large file read again (Rescan) tells again none of the refusals and warnings its first
  // reading told: the same rows come first, with the same reasons.
  const told = { refused: new Set<string>(), warned: new Set<string>() };
  let attempt = 0;
  const caller = hooks;
  const tellOnce = (name: 'refused' | 'warned') => (reason: string, count: number) => {
    const key = `${count}\u0000${reason}`;
    if (attempt > 1 && told[name].has(key)) return;
    if (attempt === 1 && told[name].size < 1000) told[name].add(key);
    caller[name]?.(reason, count);
  };
  hooks = { ...hooks, refused: tellOnce('refused'), warned: tellOnce('warned') };
  return withCsv(ctx, kind, file, o, async (csv, map, rowCtx, rows) => {
    attempt++;
    const target = rejectsTarget(file, o.rejects);
    const rejects = new RejectsFile(target, csv.header);
    const source = file === '-' ? file : path.resolve(file);
    let result: Awaited<ReturnType<typeof importRows>>;
    let rejectsFile: string | null = null;
    try {
      // The rejects file is put in place before the rows are committed: if it cannot be written,
      // nothing is imported (and no temporary file is left).
      result = await importRows(ctx, kind, source, csv, map, rowCtx, mode, o, rows, rejects, hooks, async () => {
        await rejects.fill(csv);
        rejectsFile = rejects.finish();
      });
    } catch (e) {
      rejects.discard();
      if (rejectsFile) fs.rmSync(rejectsFile, { force: true });
      throw e;
    }
    return {
      kind,
      file,
      encoding: csv.encoding,
      delimiter: csv.delimiter,
      ...result.stats,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      rejectsFile,
      rejectsRows: rejects.count,
      rejectsKept: rejectsFile !== null && rejectsFile !== target.path ? target.path : null,
      strictFailure: result.strictFailure,
      dryRun: o.dryRun ?? false,
      importId: result.importId,
      columns: map,
    };
  });
}

async function importRows(
  ctx: Context,
  kind: ImportKind,
  source: string,
  csv: CsvFile,
  map: ColumnMap[],
  rowCtx: RowContext,
  mode: ReturnType<typeof parseConflictMode>,
  o: ImportOptions,
  { total, unscanned }: Rows,
  rejects: RejectsFile,
  hooks: ImportHooks,
  beforeCommit: () => Promise<void>,
): Promise<{ stats: ImportStats; strictFailure: boolean; importId: number | null }> {
  const db = await ctx.db();
  const now = ctx.nowIso();
  const stats: ImportStats = { rows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, customersCreated: 0, lineItems: 0, keptDifferences: 0, warnings: 0 };
  const today = await ctx.today();
  const exists = (id: number) => findCustomerIds(db, { kind: 'id', id }).length > 0;
  const indexed = indexedLookups(db);
  const ordersBefore = kind === 'orders' ? maxOrderId(db) : 0;
  const repeats = new RepeatedOrders();
  const bar = (await hooks.progress?.(total)) ?? null;
  const startedAt = performance.now();
  // Many orders: written in bulk (store/order.ts OrderLoad), their customers found in memory, and
  // each order's customer checked by that look-up rather than by a foreign key (a random read of
  // the customers table an order: ~7 µs of the ~9 an order took).
  const bulkOrders = kind === 'orders' && total >= BULK_ROWS;
  const tx = beginWrite(db, 'import', { foreignKeys: !bulkOrders });
  try {
    // The record of this import and what it created and changed, for crm import undo: in this transaction, so a killed import leaves none.
    const journal = new ImportJournal(db, kind, source, now);
    // A large load into an empty book builds its indexes once, after the rows: the listing indexes,
    // and for customers the look-up indexes too, whose work an in-memory key table does meanwhile.
    const bulk = total >= BULK_ROWS && countCustomers(db) === 0;
    const rebuild = !bulk ? null : kind === 'customers' ? deferIndexes(db, [...LISTING_INDEXES, ...LOOKUP_INDEXES], { appendOnly: true }) : deferIndexes(db, LISTING_INDEXES);
    const keys = bulk && kind === 'customers' ? bulkLoadLookups(db, total) : indexed;
    const customerLookups = { ...keys, exists, load: (id: number) => getCustomer(db, id) };
    const load = bulkOrders ? new OrderLoad(db, { expectedRows: total, createdAt: now, byNumber: true }) : null;
    const orderKeys = load ? memoryKeyLookups(db) : { ...customerKeyLookups(db), remember: () => {} };
    const orderLookups = { ...orderKeys, orderByNumber: (no: string) => (load ? load.byNumber(no) : findOrderByExternalId(db, no)) };
    const job = { csv, map, rowCtx, unscanned };
    const onWorker = total >= WORKER_ROWS;
    const refuse = (r: { line: number; fields?: string[] }, e: RowError) => {
      stats.rejected++;
      const reason = reasonOf(ctx, r.line, e);
      rejects.add(r.line, r.fields, reason);
      hooks.refused?.(reason, rejects.count);
    };
    /**
     * A row imported with values left out or in doubt, told like a refusal. A row with a value
     * left out goes to the rejects file with its customer's crm id, so that the row fixed there and
     * imported again fills in that customer; a phone in doubt is stored, so the line says how to
     * correct that customer (imported again, it would only add a phone).
     */
    let warned = 0;
    const warn = (r: { line: number; fields?: string[] }, warnings: RowWarning[], customerId: number) => {
      if (warnings.length === 0) return;
      stats.warnings++;
      for (const w of warnings) hooks.warned?.(reasonOf(ctx, r.line, { ...w, params: { ...w.params, id: customerId } }), ++warned);
      const leftOut = warnings.filter((w) => w.leftOut);
      if (kind === 'customers' && leftOut.length) rejects.add(r.line, r.fields, leftOut.map((w) => reasonOf(ctx, r.line, w)).join('; '), customerId);
    };
    const progress = () => bar?.update(stats.rows, Math.round(stats.rows / Math.max(0.001, (performance.now() - startedAt) / 1000)));
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
          case 'insert': {
            const id = insertCustomer(db, decision.row.fields, decision.row.createdAt ?? now, decision.id, doc);
            journal.createdCustomer(id);
            keys.remember(id, decision.row.fields);
            if (customer.level) setTier(db, id, customer.level, today, now);
            stats.inserted++;
            warn(r, customer.warnings, id);
            break;
          }
          case 'update':
            journal.changing(decision.id);
            updateCustomer(db, decision.id, decision.fields, now);
            keys.remember(decision.id, decision.fields);
            if (customer.level) setTier(db, decision.id, customer.level, today, now);
            stats.updated++;
            if (decision.kept.length) stats.keptDifferences++;
            warn(r, customer.warnings, decision.id);
            break;
          case 'unchanged':
            stats.unchanged++;
            if (decision.kept.length) stats.keptDifferences++;
            warn(r, customer.warnings, decision.id);
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
      const createCustomers = o.createCustomers ?? hasBuyerColumns(map);
      const writeOrder = (r: RowResult<ImportedOrder>, order: ImportedOrder) => {
        const decision = decideOrder(order, createCustomers, orderLookups);
        if (decision.action === 'reject') return refuse(r, decision.error);
        if (decision.action === 'unchanged') {
          stats.unchanged++;
          return;
        }
        let customerId: number;
        if (decision.action === 'insertWithCustomer') {
          customerId = insertCustomer(db, decision.customer, now);
          orderKeys.remember(customerId, decision.customer);
          journal.createdCustomer(customerId);
          stats.customersCreated++;
        } else customerId = decision.customerId;
        warn(r, order.warnings, customerId);
        const values = { customerId, paid: order.amount + order.refunded, orderedAt: order.at, note: order.note };
        if (!order.orderNo && repeats.isRepeat(JSON.stringify(values), () => countSameOrders(db, values, ordersBefore))) {
          stats.unchanged++;
          return;
        }
        const { amount, refunded } = order;
        const row = { customerId, amount, refunded, orderedAt: order.at, day: order.day, note: order.note, externalId: order.orderNo };
        const orderId = load ? load.add(row) : insertOrder(db, row, now);
        // What the file says went back is one refund, at the order's time (the file says no other).
        if (refunded > 0) {
          load?.flush();
          insertRefund(db, { orderId, amount: refunded, at: order.at, note: null, complaintId: null });
        }
        stats.inserted++;
      };
      // An order in several rows (one per line item) is written when the next order's row comes.
      type Pending = { r: RowResult<ImportedOrder>; order: ImportedOrder };
      let pending: Pending | null = null;
      await eachRow(readRows({ ...job, kind }, onWorker), (r, order) => {
        let line: boolean;
        try {
          line = continuesOrder(pending?.order ?? null, order);
        } catch (e) {
          if (e instanceof RowError) return refuse(r, e);
          throw e;
        }
        if (line && pending) {
          pending.order = addLine(pending.order, order);
          stats.lineItems++;
          return;
        }
        if (pending) writeOrder(pending.r, pending.order);
        pending = { r, order };
      });
      // (The callback above sets it; TypeScript cannot see that.)
      const last = pending as Pending | null;
      if (last) writeOrder(last.r, last.order);
    }
    load?.finish();
    rebuild?.();
    bar?.stop();
    await beforeCommit();
    if (o.strict && stats.rejected > 0) {
      tx.rollback();
      return { stats, strictFailure: true, importId: null };
    }
    // A dry run is this import, rolled back: what it counts is what the import would do (and it records nothing).
    if (o.dryRun) {
      tx.rollback();
      return { stats, strictFailure: false, importId: null };
    }
    journal.finish(stats);
    tx.commit();
    return { stats, strictFailure: false, importId: journal.runId };
  } catch (e) {
    bar?.stop();
    tx.rollback();
    throw e;
  }
}

