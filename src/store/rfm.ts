// All SQL of RFM: each customer's orders summed up to an as-of day, and the scores saved back.
import { SEGMENTS, type RfmColumns, type RfmScores } from '../core/rfm.js';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { databaseFile, rowWriter, stmt, transaction, type Db } from './db.js';
import { readSetting, writeSetting } from './settings.js';

/** From this many orders the sums are read by two threads, each over half the customers. */
const PARALLEL_ORDERS = 1_000_000;

/**
 * Per customer with an order on or before `asOf`: days since the last one, and the orders and
 * spend after `windowStart` (exclusive) up to `asOf`. One pass over the orders' (customer, day,
 * amount) index, grouped by customer, read into columns; from a million orders in two halves at
 * once, this thread and a worker each reading one over its own connection (SQLite's GROUP BY is
 * most of `crm rfm`'s time: 10M orders, 2.5 s in one thread).
 */
export async function rfmInputs(db: Db, asOf: string, windowStart: string): Promise<RfmColumns> {
  const file = databaseFile(db);
  const orders = stmt(db, 'SELECT coalesce(max(id), 0) FROM orders').pluck().get() as number;
  // The test against asOf only where some order is later (an as-of day in the past).
  const latest = stmt(db, 'SELECT max(day) FROM orders').pluck().get() as string | null;
  const range = { asOf, windowStart, upToAsOf: latest !== null && latest > asOf };
  if (file === null || orders < PARALLEL_ORDERS || db.inTransaction) return rfmRange(db, { ...range, from: null, to: null });
  // Apart: SQLite reads a lone min() or max() off the index, both in one query by a full scan.
  const lo = stmt(db, 'SELECT min(customer_id) FROM orders').pluck().get() as number;
  const hi = stmt(db, 'SELECT max(customer_id) FROM orders').pluck().get() as number;
  const mid = Math.floor((lo + hi) / 2);
  const worker = new Worker(new URL(import.meta.url), { workerData: { crmRfm: { file, ...range, from: mid + 1, to: hi } } });
  const second = new Promise<RfmColumns>((resolve, reject) => {
    worker.once('message', (m: RfmColumns | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    worker.once('error', reject);
    // A worker that stops without an answer (out of memory, killed) fails the command, never hangs it.
    worker.once('exit', (code) => reject(new Error(`the reading thread stopped (exit code ${code})`)));
  });
  try {
    const first = rfmRange(db, { ...range, from: lo, to: mid });
    return joinColumns(first, await second);
  } finally {
    await worker.terminate();
  }
}

type Range = { asOf: string; windowStart: string; upToAsOf: boolean; from: number | null; to: number | null };

/** rfmInputs over the customers with ids from..to (null: all). */
export function rfmRange(db: Db, r: Range): RfmColumns {
  const ids: number[] = [];
  const recency: number[] = [];
  const frequency: number[] = [];
  const monetary: number[] = [];
  const where = [r.upToAsOf ? 'day <= @asOf' : null, r.from !== null ? 'customer_id BETWEEN @from AND @to' : null].filter(Boolean);
  const rows = stmt(
    db,
    `SELECT customer_id, max(day), sum(day > @start), sum(CASE WHEN day > @start THEN amount ELSE 0 END)
       FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY customer_id ORDER BY customer_id`,
  )
    .raw()
    .iterate({ start: r.windowStart, ...(r.upToAsOf ? { asOf: r.asOf } : {}), ...(r.from !== null ? { from: r.from, to: r.to } : {}) }) as IterableIterator<[number, string, number, number]>;
  // Days since the last order, worked out once a day (a few thousand days, a million customers).
  const daysBefore = new Map<string, number>();
  const asOfMs = Date.parse(`${r.asOf}T00:00:00Z`);
  for (const [id, last, f, m] of rows) {
    let rec = daysBefore.get(last);
    if (rec === undefined) daysBefore.set(last, (rec = Math.trunc((asOfMs - Date.parse(`${last}T00:00:00Z`)) / 86_400_000)));
    ids.push(id);
    recency.push(rec);
    frequency.push(f);
    monetary.push(m);
  }
  return { ids: Int32Array.from(ids), recency: Float64Array.from(recency), frequency: Float64Array.from(frequency), monetary: Float64Array.from(monetary) };
}

export function joinColumns(a: RfmColumns, b: RfmColumns): RfmColumns {
  const join = <T extends Int32Array | Float64Array>(x: T, y: T, make: new (n: number) => T): T => {
    const out = new make(x.length + y.length);
    out.set(x);
    out.set(y, x.length);
    return out;
  };
  return { ids: join(a.ids, b.ids, Int32Array), recency: join(a.recency, b.recency, Float64Array), frequency: join(a.frequency, b.frequency, Float64Array), monetary: join(a.monetary, b.monetary, Float64Array) };
}

/**
 * Customers without an order on or before `asOf`: those who never ordered (an index), and, when
 * `asOf` is before the latest order, those whose first order (kept by the order triggers) is later.
 */
export function prospectIds(db: Db, asOf: string): number[] {
  const never = stmt(db, 'SELECT id FROM customers WHERE first_order_day IS NULL ORDER BY id').pluck().all() as number[];
  const latest = stmt(db, 'SELECT max(day) FROM orders').pluck().get() as string | null;
  if (latest === null || latest <= asOf) return never;
  const later = stmt(db, 'SELECT id FROM customers WHERE first_order_day > ?').pluck().all(asOf) as number[];
  return [...never, ...later].sort((a, b) => a - b);
}

/** Replaces the saved scores with these (prospects: segment prospect, no scores), in one transaction, in id order. */
export function saveRfm(db: Db, s: RfmScores, prospects: number[], asOf: string): void {
  transaction(db, () => {
    stmt(db, 'DELETE FROM customer_rfm').run();
    const rows = rowWriter(db, 'customer_rfm', ['customer_id', 'r', 'f', 'm', 'segment']);
    // The scored and the prospects merged by id, so every row is appended to the table.
    let p = 0;
    for (let i = 0; i < s.ids.length; i++) {
      while (p < prospects.length && prospects[p]! < s.ids[i]!) rows.add(prospects[p++]!, null, null, null, 'prospect');
      rows.add(s.ids[i]!, s.r[i]!, s.f[i]!, s.m[i]!, SEGMENTS[s.segment[i]!]!);
    }
    while (p < prospects.length) rows.add(prospects[p++]!, null, null, null, 'prospect');
    rows.end();
    writeSetting(db, 'rfm_saved', JSON.stringify({ scheme: s.scheme, asOf }));
  });
}

/** One customer's saved scores, with the scheme and as-of day of the save; null if none saved. */
export function savedRfm(db: Db, customerId: number): { r: number | null; f: number | null; m: number | null; segment: string; scheme: string; asOf: string } | null {
  const row = stmt(db, 'SELECT r, f, m, segment FROM customer_rfm WHERE customer_id = ?').get(customerId) as { r: number | null; f: number | null; m: number | null; segment: string } | undefined;
  if (!row) return null;
  const raw = readSetting(db, 'rfm_saved');
  const saved = raw ? (JSON.parse(raw) as { scheme?: string; asOf?: string }) : {};
  return { ...row, scheme: saved.scheme ?? '', asOf: saved.asOf ?? '' };
}

// The worker of rfmInputs: its half of the customers over a read-only connection of its own.
const job = isMainThread ? null : (workerData as { crmRfm?: Range & { file: string } } | null)?.crmRfm;
if (job) {
  try {
    const db = new Database(job.file, { readonly: true, fileMustExist: true });
    const cols = rfmRange(db, job);
    db.close();
    parentPort!.postMessage(cols, [cols.ids.buffer, cols.recency.buffer, cols.frequency.buffer, cols.monetary.buffer] as ArrayBuffer[]);
  } catch (e) {
    parentPort!.postMessage({ error: (e as Error).message });
  }
}
