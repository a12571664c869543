// Reads over every customer's orders, shared by two threads on a large book: this thread reads the
// lower half of the customer ids, a worker with a read-only connection of its own the upper half.
// SQLite runs a query on one core, and an index scan grouped by customer is most of what `crm rfm`,
// `crm stats`, `crm clv` and `crm tier apply` do on a book of millions of orders.
//
// A read is a function exported by name from a store module, `(db, args & IdRange) => T`, whose T
// is plain data (typed arrays are handed over without a copy); `join` puts the two halves together.
import { Worker } from 'node:worker_threads';
import { databaseFile, stmt, type Db } from './db.js';

/** Customer ids from..to, inclusive; null is unbounded on that side (both null: every customer). */
export interface IdRange {
  from: number | null;
  to: number | null;
}

export const ALL: IdRange = { from: null, to: null };

/**
 * From this many orders (the table's highest id) a read is split. `CRM_SPLIT_READS_FROM` lowers it
 * for the tests, which check that both ways give the same answers.
 */
const SPLIT_FROM = Number(process.env.CRM_SPLIT_READS_FROM) || 1_000_000;

let noteSplit: ((line: string) => void) | null = null;
/** Where a read that splits says so: with crm --debug, standard error (and the tests check it does). */
export function sayWhenSplit(note: ((line: string) => void) | null): void {
  noteSplit = note;
}

/** The condition a range puts on a column, with its parameters (@from, @to), or '' for all. */
export function idCondition(column: string, r: IdRange): { sql: string; params: Record<string, number> } {
  const parts: string[] = [];
  const params: Record<string, number> = {};
  if (r.from !== null) {
    parts.push(`${column} >= @from`);
    params.from = r.from;
  }
  if (r.to !== null) {
    parts.push(`${column} <= @to`);
    params.to = r.to;
  }
  return { sql: parts.join(' AND '), params };
}

export type Read<A, T> = (db: Db, args: A & IdRange) => T;

/**
 * `read` over every customer, joined into one result: see splitReadParts.
 */
export async function splitRead<A extends object, T>(db: Db, module: string, read: Read<A, T>, args: A, join: (a: T, b: T) => T, opts: { unwritten?: boolean } = {}): Promise<T> {
  const parts = await splitReadParts(db, module, read, args, opts);
  return parts.length === 1 ? parts[0]! : join(parts[0]!, parts[1]!);
}

/**
 * `read` over every customer, as one part or two in id order: in one pass on a small book, in
 * memory, or inside a transaction that may have written (another connection would not see its
 * writes); else in two halves at once. `module` is the reading module's import.meta.url, and
 * `read` one of its exports. The halves come from two snapshots: when another process commits
 * while they are read (PRAGMA data_version tells), the read is made again in one pass.
 * `unwritten` says a transaction this connection holds has written nothing yet (its snapshot is
 * then the one a new connection sees).
 */
export async function splitReadParts<A extends object, T>(db: Db, module: string, read: Read<A, T>, args: A, opts: { unwritten?: boolean } = {}): Promise<T[]> {
  const file = databaseFile(db);
  const whole = () => [read(db, { ...args, ...ALL })];
  if (file === null || (db.inTransaction && !opts.unwritten)) return whole();
  if ((stmt(db, 'SELECT coalesce(max(id), 0) FROM orders').pluck().get() as number) < SPLIT_FROM) return whole();
  // Apart: SQLite reads a lone min() or max() off the index, both in one query by a full scan.
  const lo = stmt(db, 'SELECT min(customer_id) FROM orders').pluck().get() as number;
  const hi = stmt(db, 'SELECT max(customer_id) FROM orders').pluck().get() as number;
  const mid = Math.floor((lo + hi) / 2);
  const version = () => stmt(db, 'PRAGMA data_version').pluck().get() as number;
  const before = version();
  noteSplit?.(`debug: ${read.name} in two threads, customers up to ${mid} and after`);
  const worker = new Worker(new URL('./split-read-worker.js', import.meta.url), { workerData: { file, module, name: read.name, args: { ...args, from: mid + 1, to: null } } });
  const second = new Promise<T>((resolve, reject) => {
    worker.once('message', (m: { ok: T } | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m.ok)));
    worker.once('error', reject);
    // A worker that stops without an answer (out of memory, killed) fails the command, never hangs it.
    worker.once('exit', (code) => reject(new Error(`the reading thread stopped (exit code ${code})`)));
  });
  // When this thread's half fails first, the worker's end (terminate) rejects a promise nobody
  // awaits any more: handled here, so that the first error is the one the command reports.
  second.catch(() => {});
  let parts: T[];
  try {
    const first = read(db, { ...args, from: null, to: mid });
    parts = [first, await second];
  } finally {
    await worker.terminate();
  }
  if (version() === before) return parts;
  noteSplit?.(`debug: ${read.name} read again in one pass (the book changed meanwhile)`);
  return whole();
}

/** Joins two results whose fields are typed arrays or arrays, field by field (the second after the first). */
export function joinFields<T extends object>(a: T, b: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(a)) {
    const y = (b as Record<string, unknown>)[k];
    if (Array.isArray(x)) out[k] = [...x, ...(y as unknown[])];
    else {
      const xs = x as Int32Array;
      const ys = y as Int32Array;
      const both = new (xs.constructor as Int32ArrayConstructor)(xs.length + ys.length);
      both.set(xs);
      both.set(ys, xs.length);
      out[k] = both;
    }
  }
  return out as T;
}
