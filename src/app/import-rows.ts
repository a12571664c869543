// The rows of an import file, read and turned into customers or orders. A large file is read on a
// worker thread, so that decoding, parsing and normalizing run on one core while the main thread
// writes to the database on the other; a small one is read in line (a worker takes ~50 ms to start).
// Either way the main thread receives the same batches: each row's value, or the error refusing it.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { otherEncoding } from '../io/csv-decode.js';
import { readRecordRuns, type CsvFile, type CsvRecord } from '../io/csv-in.js';
import { customerFromRow, orderFromRow, RowError, rowCountry, scanMatters, splitPhones, validPhoneIn, type ColumnMap, type ImportedCustomer, type ImportedOrder, type ImportKind, type RowContext, type RowWarning } from '../core/import/index.js';
import { likelyCountry, saysItsCountry } from '../core/phone.js';
import { searchDocument, type SearchDocument } from '../core/search.js';
import { badInput, CrmError, failure } from '../errors.js';

export interface ReadJob {
  kind: ImportKind;
  csv: CsvFile;
  map: ColumnMap[];
  rowCtx: RowContext;
  /**
   * The file was not read through first (app/import.ts `scanFile`): the reader checks on the way
   * what that pass would have, the phones' country (the first rows') and that no date column holds
   * a date whose day/month order the pass would settle (then it stops: `Rescan`).
   */
  unscanned?: { dateColumns: number[] };
}

/** A file read without its first pass has dates whose order only that pass settles: read it again with it. */
export class Rescan extends Error {}

/** A customer row with its search-index text, computed here so the writer does not have to. */
export interface CustomerValue {
  customer: ImportedCustomer;
  doc: SearchDocument;
}

/**
 * A row read: its line, and its value or the error refusing it. The cells as in the file come with
 * a refused row (for the rejects file), and with every row read in line; the worker leaves them out
 * of rows it read well, as passing them between threads would cost the writer ~10% of its time.
 */
export type RowResult<T> = { line: number; fields?: string[]; value: T; error?: undefined } | { line: number; fields: string[]; error: RowError };

/**
 * Rows a batch holds: enough that passing it between threads costs little per row, few enough that
 * a batch dies young in the reader's heap (1,000-row batches lived long enough to be promoted,
 * and the reader spent a third of its time collecting them: 500,000 rows read in 11.1 s, against 8.6 s).
 */
const BATCH = 100;
/** Batches the worker may be ahead of the writer: memory stays bounded however fast it reads. */
const AHEAD = 16;

/** Why a record is refused whole: its quotes are broken, or its bytes are text in neither the file's encoding nor the other one its lines may be in. */
export function recordError(r: CsvRecord, encoding: string): RowError | null {
  if (r.problem === 'quotes') return new RowError(null, 'err.csv.quotes');
  if (r.problem !== 'encoding') return null;
  const other = otherEncoding(encoding);
  return other ? new RowError(null, 'err.csv.badBytesEither', { encoding, other }) : new RowError(null, 'err.csv.badBytes', { encoding });
}

/** One record read: a record whose quotes are broken or whose bytes are not in the file's encoding is refused whole. */
function convert(job: ReadJob, r: CsvRecord): RowResult<CustomerValue | ImportedOrder> {
  try {
    const refused = recordError(r, job.csv.encoding);
    if (refused) throw refused;
    if (job.kind === 'orders') return { line: r.line, fields: r.fields, value: orderFromRow(r.fields, job.map, job.rowCtx) };
    const customer = customerFromRow(r.fields, job.map, job.rowCtx);
    return { line: r.line, fields: r.fields, value: { customer, doc: searchDocument(customer.fields) } };
  } catch (e) {
    if (e instanceof RowError) return { line: r.line, error: e, fields: r.fields };
    throw e;
  }
}

async function* batches(job: ReadJob): AsyncGenerator<RowResult<CustomerValue | ImportedOrder>[]> {
  let batch: RowResult<CustomerValue | ImportedOrder>[] = [];
  const dates = job.unscanned?.dateColumns ?? [];
  const phones = job.unscanned ? new PhoneCountryCheck(job.map, job.rowCtx) : null;
  for await (const run of readRecordRuns(job.csv.path, job.csv.encoding, job.csv.delimiter)) {
    for (const r of run) {
      if (r.line <= job.csv.headerLine) continue;
      for (const i of dates) if (scanMatters(r.fields[i] ?? '')) throw new Rescan();
      if (phones && !phones.done()) {
        phones.add(r.fields, job.map);
        if (phones.done()) phones.verdict();
      }
      batch.push(convert(job, r));
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (phones && !phones.done()) phones.verdict();
  if (batch.length) yield batch;
}

export function readRows(job: ReadJob & { kind: 'customers' }, onWorker: boolean): AsyncGenerator<RowResult<CustomerValue>[]>;
export function readRows(job: ReadJob & { kind: 'orders' }, onWorker: boolean): AsyncGenerator<RowResult<ImportedOrder>[]>;
export function readRows(job: ReadJob, onWorker: boolean): AsyncGenerator<RowResult<CustomerValue | ImportedOrder>[]>;
export function readRows(job: ReadJob, onWorker: boolean): AsyncGenerator<RowResult<CustomerValue | ImportedOrder>[]> {
  return onWorker ? fromWorker(job) : batches(job);
}

/** Phones looked at for the file's country before anything is written: enough to tell, few enough to be quick. */
const PHONES_CHECKED = 2000;

/**
 * Stops an import before it writes when most of the file's phones (written without a country code,
 * in rows that do not say their country) are not valid in the shop's country but are in another:
 * the shop's `country` is not the file's, and every row would be refused or read wrongly.
 */
export class PhoneCountryCheck {
  private checked = 0;
  private readonly invalid: string[] = [];
  private readonly columns: ColumnMap[];

  constructor(
    map: ColumnMap[],
    private readonly rowCtx: Pick<RowContext, 'country' | 'countrySaid'>,
  ) {
    this.columns = rowCtx.countrySaid ? [] : map.filter((c) => c.target === 'phone' || c.target === 'customer_phone');
  }

  /** Enough phones looked at (or the file says their country): the verdict can be given. */
  done(): boolean {
    return this.columns.length === 0 || this.checked >= PHONES_CHECKED;
  }

  add(values: string[], map: ColumnMap[]): void {
    if (this.columns.length === 0 || this.checked >= PHONES_CHECKED) return;
    const where = rowCountry(values, map, this.rowCtx);
    if (where.said) return;
    for (const c of this.columns) {
      for (const p of splitPhones(values[c.index] ?? '')) {
        if (saysItsCountry(p) || this.checked >= PHONES_CHECKED) continue;
        this.checked++;
        if (!validPhoneIn(p, where.country)) this.invalid.push(p);
      }
    }
  }

  /**
   * Throws when the file's phones are most likely one other country's. When several countries fit
   * as well (8-digit numbers valid in Burkina Faso, Cuba and Denmark: a shop's landlines written
   * without their area code), nothing tells which: the rows are read, and the bad ones refused.
   */
  verdict(): void {
    if (this.invalid.length < 3 || this.invalid.length * 2 <= this.checked) return;
    const likely = likelyCountry(this.invalid.slice(0, 200));
    // A "likely" country the phones are read in already is no other country: nothing to stop for.
    if (!likely || likely.alike.length > 0 || likely.country === this.rowCtx.country.toUpperCase()) return;
    throw badInput(
      'err.import.phoneCountry',
      { invalid: this.invalid.length, checked: this.checked, country: this.rowCtx.country, valid: likely.valid, sampled: likely.sampled, likely: likely.country },
      { id: 'hint.import.phoneCountry', params: { country: likely.country } },
    );
  }
}

// ---- The worker ------------------------------------------------------------------------------

type FromWorker =
  | { type: 'rows'; rows: Batch }
  | { type: 'done' }
  | { type: 'rescan' }
  | { type: 'fatal'; crm: { id: string; params: Record<string, unknown>; exitCode: 1 | 2; hint?: CrmError['hint'] } | null; message: string; stack?: string };
type WireRow = { line: number; fields?: string[]; value: CustomerValue | ImportedOrder } | { line: number; fields: string[]; error: { column: string | null; id: string; params: Record<string, unknown> } };

function toWire(r: RowResult<CustomerValue | ImportedOrder>): WireRow {
  if (r.error) return { line: r.line, fields: r.fields, error: { column: r.error.column, id: r.error.id, params: r.error.params } };
  // A row imported with a warning goes to the rejects file too: its cells come along.
  return warningsOf(r.value).length ? { line: r.line, fields: r.fields, value: r.value } : { line: r.line, value: r.value };
}

/** What was left out of a row read, or is in doubt. */
export function warningsOf(value: CustomerValue | ImportedOrder): RowWarning[] {
  return 'customer' in value && 'doc' in value ? value.customer.warnings : value.warnings;
}

/**
 * A batch as the reader posts it: each order read well, without warnings, as 5 numbers and 9 texts
 * (the texts of the whole batch joined into one string), any other row as an object. Structured
 * clone then copies one string and one array of numbers where it wrote every property name and value
 * of every row (10M orders: posting them as objects took ~40 s of the reader's time).
 */
interface Batch {
  /** 0: the next order of `nums` and `text`; 1: the next row of `others`. */
  kinds: Uint8Array;
  nums: Float64Array;
  text: string;
  others: WireRow[];
}
const NUMS = 5;
const TEXTS = 9;
const SEP = '\u001f';
const NULL = '\u001e';
const plainText = (v: string | null) => v === null || (!v.includes(SEP) && !v.includes(NULL));

/** An order that goes as numbers and texts: no warnings, and its note in one part (or none). */
function plainOrder(v: CustomerValue | ImportedOrder): v is ImportedOrder {
  if ('doc' in v || v.warnings.length > 0) return false;
  return v.noteParts.length === 0 || (v.noteParts.length === 1 && v.noteParts[0] === v.note);
}

const textsOf = (o: ImportedOrder) => [o.orderNo, o.at, o.day, o.note, o.customer.externalId, o.customer.phone, o.customer.email, o.customer.name, o.customer.address];

function flatten(rows: RowResult<CustomerValue | ImportedOrder>[]): Batch {
  const kinds = new Uint8Array(rows.length);
  const nums = new Float64Array(rows.length * NUMS);
  const others: WireRow[] = [];
  let text = '';
  let n = 0;
  rows.forEach((r, k) => {
    const texts = !r.error && plainOrder(r.value) ? textsOf(r.value) : null;
    if (r.error || !texts || !texts.every(plainText)) {
      kinds[k] = 1;
      others.push(toWire(r));
      return;
    }
    const o = r.value as ImportedOrder;
    nums.set([r.line, o.amount, o.refunded, o.customer.id ?? Number.NaN, o.lineOnly ? 1 : 0], n++ * NUMS);
    for (const t of texts) text += (t ?? NULL) + SEP;
  });
  return { kinds, nums, text, others };
}

function unflatten(b: Batch): RowResult<CustomerValue | ImportedOrder>[] {
  const rows: RowResult<CustomerValue | ImportedOrder>[] = [];
  const texts = b.text.split(SEP);
  const t = (i: number) => (texts[i] === NULL ? null : texts[i]!);
  let [n, o] = [0, 0];
  for (let k = 0; k < b.kinds.length; k++) {
    if (b.kinds[k] === 1) {
      rows.push(fromWire(b.others[o++]!));
      continue;
    }
    const [x, i] = [n * NUMS, n * TEXTS];
    n++;
    const id = b.nums[x + 3]!;
    const note = t(i + 3);
    rows.push({
      line: b.nums[x]!,
      value: {
        orderNo: t(i), amount: b.nums[x + 1]!, refunded: b.nums[x + 2]!, at: t(i + 1)!, day: t(i + 2)!, note, noteParts: note === null ? [] : [note], lineOnly: b.nums[x + 4] === 1,
        customer: { id: Number.isNaN(id) ? null : id, externalId: t(i + 4), phone: t(i + 5), email: t(i + 6), name: t(i + 7), address: t(i + 8) },
        warnings: [],
      },
    });
  }
  return rows;
}

function fromWire(r: WireRow): RowResult<CustomerValue | ImportedOrder> {
  if (!('error' in r)) return r;
  return { line: r.line, fields: r.fields, error: new RowError(r.error.column, r.error.id as RowError['id'], r.error.params as RowError['params']) };
}

// The reader's heap, capped: it holds a few batches and the chunks read ahead (~30 MB live);
// left to itself its young generation alone grows to ~100 MB.
const READER_HEAP = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 96 };

async function* fromWorker(job: ReadJob): AsyncGenerator<RowResult<CustomerValue | ImportedOrder>[]> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { crmReadJob: job }, resourceLimits: READER_HEAP });
  const queue: FromWorker[] = [];
  let wake: (() => void) | null = null;
  const push = (m: FromWorker) => {
    queue.push(m);
    const w = wake;
    wake = null;
    w?.();
  };
  worker.on('message', push);
  worker.on('error', (e: Error) => push({ type: 'fatal', crm: null, message: e.message, stack: e.stack }));
  worker.on('exit', () => push({ type: 'fatal', crm: null, message: 'the reader thread stopped' }));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      if (m.type === 'done') return;
      if (m.type === 'rescan') throw new Rescan();
      if (m.type === 'fatal') {
        if (m.crm) throw new CrmError(m.crm.id as CrmError['id'], m.crm.params as CrmError['params'], m.crm.exitCode, m.crm.hint);
        const e = failure('err.import.reader', { reason: m.message });
        if (m.stack) e.stack = m.stack;
        throw e;
      }
      worker.postMessage('more'); // read on while these rows are written
      yield unflatten(m.rows);
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

async function runWorker(job: ReadJob): Promise<void> {
  const port = parentPort!;
  let credit = AHEAD;
  let more: (() => void) | null = null;
  port.on('message', () => {
    credit++;
    const m = more;
    more = null;
    m?.();
  });
  try {
    for await (const rows of batches(job)) {
      while (credit === 0) await new Promise<void>((r) => (more = r));
      credit--;
      port.postMessage({ type: 'rows', rows: flatten(rows) } satisfies FromWorker);
    }
    port.postMessage({ type: 'done' } satisfies FromWorker);
  } catch (e) {
    if (e instanceof Rescan) {
      port.postMessage({ type: 'rescan' } satisfies FromWorker);
      port.close();
      return;
    }
    const err = e as Error;
    const crm = e instanceof CrmError ? { id: e.id, params: e.params, exitCode: e.exitCode as 1 | 2, hint: e.hint } : null;
    port.postMessage({ type: 'fatal', crm, message: err.message, stack: err.stack } satisfies FromWorker);
  }
  port.close();
}

if (!isMainThread && (workerData as { crmReadJob?: ReadJob } | null)?.crmReadJob) {
  void runWorker((workerData as { crmReadJob: ReadJob }).crmReadJob);
}
