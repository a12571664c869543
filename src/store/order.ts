// All SQL about orders (their refunds: store/refund.ts).
import type { Order } from '../core/order.js';
import { deferIndexes, stmt, type Db } from './db.js';
import { KeyTable } from './key-table.js';

/** An order as written: everything but the id and the time it was recorded; refunded defaults to 0. */
export type NewOrder = Omit<Order, 'id' | 'createdAt' | 'refunded'> & { refunded?: number };

export interface OrderRow extends Order {
  customerName: string;
}

const SELECT = `SELECT o.id, o.customer_id AS customerId, o.external_id AS externalId, o.amount, o.refunded, o.ordered_at AS orderedAt,
  o.day, o.note, o.created_at AS createdAt, c.name AS customerName
  FROM orders o JOIN customers c ON c.id = o.customer_id`;

export function insertOrder(db: Db, o: NewOrder, now: string): number {
  return Number(
    stmt(db, 'INSERT INTO orders (customer_id, external_id, amount, refunded, ordered_at, day, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      o.customerId,
      o.externalId,
      o.amount,
      o.refunded ?? 0,
      o.orderedAt,
      o.day,
      o.note,
      now,
    ).lastInsertRowid,
  );
}

export function getOrder(db: Db, id: number): OrderRow | null {
  return (stmt(db, `${SELECT} WHERE o.id = ?`).get(id) as OrderRow | undefined) ?? null;
}

export function findOrderByExternalId(db: Db, externalId: string): OrderRow | null {
  return (stmt(db, `${SELECT} WHERE o.external_id = ?`).get(externalId) as OrderRow | undefined) ?? null;
}

/** The highest order id: orders above it were written after this moment. */
export function maxOrderId(db: Db): number {
  return (stmt(db, 'SELECT coalesce(max(id), 0) AS n FROM orders').get() as { n: number }).n;
}

/**
 * How many orders up to id `upTo` have exactly these values (an order without a number, seen again);
 * `paid` is compared with amount + refunded, so an order refunded since still answers its row.
 */
export function countSameOrders(db: Db, o: Pick<NewOrder, 'customerId' | 'orderedAt' | 'note'> & { paid: number }, upTo: number): number {
  return (
    stmt(db, 'SELECT count(*) AS n FROM orders WHERE customer_id = ? AND ordered_at = ? AND amount + refunded = ? AND note IS ? AND id <= ?').get(
      o.customerId,
      o.orderedAt,
      o.paid,
      o.note,
      upTo,
    ) as { n: number }
  ).n;
}

/** Removes an order (its refunds go with it). */
export function deleteOrder(db: Db, id: number): boolean {
  return stmt(db, 'DELETE FROM orders WHERE id = ?').run(id).changes > 0;
}

export interface OrderFilter {
  customerId?: number;
  /** Orders on or after this day (YYYY-MM-DD). */
  sinceDay?: string;
  limit?: number | null;
}

/** Newest first, one row at a time (an export holds one row in memory). */
export function iterateOrders(db: Db, f: OrderFilter): IterableIterator<OrderRow> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.customerId !== undefined) (where.push('o.customer_id = ?'), params.push(f.customerId));
  if (f.sinceDay) (where.push('o.day >= ?'), params.push(f.sinceDay));
  const sql = `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY o.ordered_at DESC, o.id DESC LIMIT ?`;
  return db.prepare(sql).iterate(...params, f.limit ?? -1) as IterableIterator<OrderRow>;
}

/** Newest first. */
export function listOrders(db: Db, f: OrderFilter): OrderRow[] {
  return [...iterateOrders(db, f)];
}

export function countOrders(db: Db): { orders: number; revenue: number } {
  return stmt(db, 'SELECT count(*) AS orders, coalesce(sum(amount), 0) AS revenue FROM orders').get() as { orders: number; revenue: number };
}

/** The orders' indexes a bulk load into a book without orders builds after the rows. */
const ORDER_LOAD_INDEXES = ['orders_customer_day', 'orders_day', 'orders_external_id'] as const;
const COLUMNS = ['id', 'customer_id', 'external_id', 'amount', 'refunded', 'ordered_at', 'day', 'note'] as const;
/** Rows a multi-row INSERT takes: 16 halve the cost of one-row statements (1M orders: 2.6 s -> 1.4 s); more gain nothing. */
const ROWS_PER_INSERT = 16;

/**
 * Each customer's orders written by a load: how many, their sum, the first and last day (as
 * YYYYMMDD numbers), four numbers a customer in one array indexed by id (32 MB for a million
 * customers; one cache miss an order, where a Map of objects took three).
 */
class Totals {
  private a = new Float64Array(4 * 1024);
  private readonly far = new Map<number, number[]>();
  /** How many customers have orders here. */
  size = 0;

  /** `dense`: ids below it are kept in the array, the others (ids a file gave, far apart) in a map. */
  constructor(private readonly dense: number) {}

  add(id: number, amount: number, day: string): void {
    const d = Number(day.slice(0, 4)) * 10_000 + Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));
    if (id >= this.dense) {
      const t = this.far.get(id);
      if (!t) {
        this.far.set(id, [1, amount, d, d]);
        this.size++;
      } else [t[0], t[1], t[2], t[3]] = [t[0]! + 1, t[1]! + amount, Math.min(t[2]!, d), Math.max(t[3]!, d)];
      return;
    }
    while (4 * id + 3 >= this.a.length) {
      const grown = new Float64Array(this.a.length * 2);
      grown.set(this.a);
      this.a = grown;
    }
    const a = this.a;
    const i = 4 * id;
    if (a[i] === 0) [a[i + 2], a[i + 3], this.size] = [d, d, this.size + 1];
    else {
      if (d < a[i + 2]!) a[i + 2] = d;
      if (d > a[i + 3]!) a[i + 3] = d;
    }
    a[i]!++;
    a[i + 1]! += amount;
  }

  /** Each customer's figures in id order: id, count, sum, first day, last day (YYYY-MM-DD). */
  *each(): Generator<[number, number, number, string, string]> {
    const day = (d: number) => `${Math.floor(d / 10_000)}-${String(Math.floor(d / 100) % 100).padStart(2, '0')}-${String(d % 100).padStart(2, '0')}`;
    for (let i = 0; i < this.a.length; i += 4) if (this.a[i] !== 0) yield [i / 4, this.a[i]!, this.a[i + 1]!, day(this.a[i + 2]!), day(this.a[i + 3]!)];
    for (const id of [...this.far.keys()].sort((x, y) => x - y)) {
      const t = this.far.get(id)!;
      yield [id, t[0]!, t[1]!, day(t[2]!), day(t[3]!)];
    }
  }
}

/**
 * Millions of orders written inside one write transaction (an import of a till's history, `crm
 * demo`), at the speed of SQLite rather than of one statement and one trigger per order:
 *
 * - the trigger that keeps each customer's order totals current is dropped for the load, the totals
 *   summed in memory per customer, and written once per customer at the end (10M orders: a trigger
 *   run per order took ~50 µs of the ~60 µs an order cost);
 * - orders are written 16 to a statement, with their ids given here (after the highest the table
 *   ever had, as AUTOINCREMENT would);
 * - into a book without orders, the orders' indexes are built after the rows (`deferIndexes`) and
 *   order numbers are looked up in an in-memory table of the numbers the load wrote;
 * - `finish` writes what is left, the totals, the indexes and the trigger back. If the transaction
 *   rolls back (an error, kill -9), all of it does, the dropped trigger and indexes with it.
 */
export class OrderLoad {
  private nextId: number;
  private readonly params: unknown[] = [];
  private readonly full: ReturnType<typeof stmt>;
  private readonly totals: Totals;
  private readonly trigger: string;
  private readonly rebuild: (() => void) | null;
  /** Order numbers by hash → order id, kept while the unique index waits; null while it stands. */
  private readonly numbers: KeyTable | null;
  /** The highest order id before the load: orders up to it were in the book already. */
  readonly before: number;

  private readonly createdAt: string | null;
  /** Values bound an order. */
  private readonly width: number;

  /**
   * `createdAt`: when the orders were recorded, the same for all (an import's time, written into
   * the statement: one value less to bind an order), or null for each order's own time (the demo).
   * `byNumber`: the load looks orders up by number as it goes (an import; the demo does not).
   * `newCustomers`: how many customers the load may add (by default as many as its rows).
   */
  constructor(
    private readonly db: Db,
    o: { expectedRows: number; createdAt: string | null; byNumber: boolean; newCustomers?: number },
  ) {
    this.createdAt = o.createdAt;
    this.width = COLUMNS.length + (o.createdAt === null ? 1 : 0);
    // The array for ids up to twice the book's customers and those a load may add (a book whose
    // ids came from a file, 40,000,000 among them, would otherwise take gigabytes).
    const customers = stmt(db, 'SELECT count(*) FROM customers').pluck().get() as number;
    this.totals = new Totals(2 * (customers + (o.newCustomers ?? o.expectedRows)) + 1024);
    this.full = stmt(db, this.insertSql(ROWS_PER_INSERT));
    this.before = maxOrderId(db);
    const seq = (stmt(db, "SELECT seq FROM sqlite_sequence WHERE name = 'orders'").pluck().get() as number | undefined) ?? 0;
    this.nextId = Math.max(seq, this.before) + 1;
    this.trigger = stmt(db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'orders_after_insert'").pluck().get() as string;
    db.exec('DROP TRIGGER orders_after_insert');
    const empty = this.before === 0;
    this.rebuild = empty ? deferIndexes(db, ORDER_LOAD_INDEXES) : null;
    // Room for a fifth more than expected (the count of a large file is estimated from its size): growing doubles it.
    this.numbers = empty && o.byNumber ? new KeyTable(Math.ceil(o.expectedRows * 1.2)) : null;
  }

  /** Writes an order (in a batch: call `flush` before reading it back); returns its id. */
  add(o: NewOrder): number {
    const id = this.nextId++;
    this.params.push(id, o.customerId, o.externalId, o.amount, o.refunded ?? 0, o.orderedAt, o.day, o.note);
    if (this.createdAt === null) this.params.push(o.orderedAt);
    if (this.params.length === ROWS_PER_INSERT * this.width) this.flush();
    if (o.externalId !== null) this.numbers?.add(o.externalId, id);
    this.totals.add(o.customerId, o.amount, o.day);
    return id;
  }

  private insertSql(rows: number): string {
    // The time is crm's own ISO 8601 text: written as a literal, quotes doubled all the same.
    const created = this.createdAt === null ? '?' : `'${this.createdAt.replace(/'/g, "''")}'`;
    return `INSERT INTO orders (${COLUMNS.join(', ')}, created_at) VALUES ${Array(rows).fill(`(${COLUMNS.map(() => '?').join(', ')}, ${created})`).join(', ')}`;
  }

  /** Writes the orders added and not yet written. */
  flush(): void {
    if (this.params.length === ROWS_PER_INSERT * this.width) this.full.run(this.params);
    else if (this.params.length) stmt(this.db, this.insertSql(this.params.length / this.width)).run(this.params);
    this.params.length = 0;
  }

  /** The order with this number, from the index or (while it waits) the load's own table. */
  byNumber(externalId: string): OrderRow | null {
    if (!this.numbers) {
      // The index has what is written; the last few orders wait in the batch.
      const w = this.width;
      for (let i = this.params.length - w; i >= 0; i -= w) {
        if (this.params[i + 2] !== externalId) continue; // [id, customer_id, external_id, ...]
        const id = this.params[i] as number;
        this.flush();
        return getOrder(this.db, id);
      }
      return findOrderByExternalId(this.db, externalId);
    }
    const ids = this.numbers.candidates(externalId);
    if (ids.length === 0) return null;
    this.flush();
    for (const id of ids) {
      const o = getOrder(this.db, id);
      if (o?.externalId === externalId) return o;
    }
    return null;
  }

  /** The rest of the orders, every customer's totals, the indexes and the trigger. */
  finish(): void {
    this.flush();
    const update = stmt(
      this.db,
      `UPDATE customers SET order_count = order_count + ?, order_total = order_total + ?,
         first_order_day = CASE WHEN first_order_day IS NULL OR ? < first_order_day THEN ? ELSE first_order_day END,
         last_order_day = CASE WHEN last_order_day IS NULL OR ? > last_order_day THEN ? ELSE last_order_day END
       WHERE id = ?`,
    );
    // Many customers' first order days change: the two indexes that hold them are built after.
    const again = this.totals.size >= 50_000 ? deferIndexes(this.db, ['customers_no_orders', 'customers_created_at']) : null;
    for (const [id, count, total, first, last] of this.totals.each()) update.run(count, total, first, first, last, last, id);
    again?.();
    this.rebuild?.();
    this.db.exec(this.trigger);
  }
}


