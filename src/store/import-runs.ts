// All SQL of the import history and `crm import undo`: the record of each import (written in the
// import's own transaction, so a killed or rolled-back import leaves none), the ranges of ids it
// created, the before- and after-images of the customers it updated, what stands in the way of an
// undo, and the undo itself in one transaction.
import type { ImportKind } from '../core/import/index.js';
import { COMPUTED, currentImage, DERIVED } from './dedupe.js';
import { getCustomer, reindex } from './customer.js';
import { stmt, type Db } from './db.js';

/** What an import brings in: `crm import customers|orders|interactions`. */
export type RunKind = ImportKind | 'interactions';

/** Tables whose new rows an import's journal keeps as id ranges (customers apart: their ids may be given by the file). */
const COUNTED = ['orders', 'refunds', 'tier_changes', 'interactions'] as const;
type Counted = (typeof COUNTED)[number];
type CreatedTable = 'customers' | Counted;

/**
 * A set of ids kept as ranges of consecutive ids in the order they came: a million customers
 * inserted with ascending ids are one range. `has` is a binary search while the ranges ascend.
 */
export class IdRanges {
  readonly ranges: [number, number][] = [];
  private ascending = true;
  private set: Set<number> | null = null;

  add(id: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else {
      if (last && id <= last[1]) this.ascending = false;
      this.ranges.push([id, id]);
    }
    this.set?.add(id);
  }

  has(id: number): boolean {
    if (!this.ascending) {
      this.set ??= new Set(this.ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i)));
      return this.set.has(id);
    }
    let [lo, hi] = [0, this.ranges.length - 1];
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.ranges[mid]!;
      if (id < a) hi = mid - 1;
      else if (id > b) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

const maxId = (db: Db, table: Counted | 'merges') => stmt(db, `SELECT coalesce(max(id), 0) FROM ${table}`).pluck().get() as number;

/** A customer as stored, every column, with phones and tags: what undo puts back. */
function beforeImage(db: Db, id: number): string {
  const row = stmt(db, 'SELECT * FROM customers WHERE id = ?').get(id);
  const phones = stmt(db, 'SELECT phone, raw, position FROM customer_phones WHERE customer_id = ? ORDER BY position').all(id);
  const tags = stmt(db, 'SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag').pluck().all(id);
  return JSON.stringify({ row, phones, tags });
}

/**
 * What one import writes as it goes, inside its transaction: the run's record (inserted at the
 * start, its counts at the end), the customers it creates, and the before-image of each customer
 * it is about to change. The orders, refunds and tier changes it creates are the ids above the
 * highest at the start: the import holds the write lock, so no one else adds any meanwhile.
 */
export class ImportJournal {
  readonly runId: number;
  private readonly created = new IdRanges();
  private readonly changed = new Set<number>();
  private readonly maxBefore: Record<Counted, number>;

  constructor(
    private readonly db: Db,
    kind: RunKind,
    file: string,
    at: string,
  ) {
    this.maxBefore = { orders: maxId(db, 'orders'), refunds: maxId(db, 'refunds'), tier_changes: maxId(db, 'tier_changes'), interactions: maxId(db, 'interactions') };
    this.runId = Number(
      stmt(
        db,
        `INSERT INTO import_runs (kind, file, at, rows, inserted, updated, unchanged, skipped, rejected, customers_created, last_merge)
         VALUES (?, ?, ?, 0, 0, 0, 0, 0, 0, 0, ?)`,
      ).run(kind, file, at, maxId(db, 'merges')).lastInsertRowid,
    );
  }

  /** A customer the import inserted. */
  createdCustomer(id: number): void {
    this.created.add(id);
  }

  /** Before the import changes a customer it did not create: their image as they were, once. */
  changing(id: number): void {
    if (this.changed.has(id) || this.created.has(id)) return;
    this.changed.add(id);
    stmt(this.db, "INSERT INTO import_changes (run_id, customer_id, before, after) VALUES (?, ?, ?, 'null')").run(this.runId, id, beforeImage(this.db, id));
  }

  /** Writes the counts, the ranges created, and each changed customer as the import leaves them. */
  finish(counts: RunCounts): void {
    const { db, runId } = this;
    stmt(
      db,
      `UPDATE import_runs SET rows = @rows, inserted = @inserted, updated = @updated, unchanged = @unchanged, skipped = @skipped,
         rejected = @rejected, customers_created = @customersCreated WHERE id = @runId`,
    ).run({ ...pickCounts(counts), runId });
    const range = stmt(db, 'INSERT INTO import_created (run_id, tbl, first_id, last_id) VALUES (?, ?, ?, ?)');
    for (const [a, b] of this.created.ranges) range.run(runId, 'customers', a, b);
    for (const table of COUNTED) {
      const after = maxId(db, table);
      if (after > this.maxBefore[table]) range.run(runId, table, this.maxBefore[table] + 1, after);
    }
    stmt(db, 'UPDATE import_runs SET last_tier_change = ? WHERE id = ?').run(maxId(db, 'tier_changes'), runId);
    const after = stmt(db, 'UPDATE import_changes SET after = ? WHERE run_id = ? AND customer_id = ?');
    for (const id of this.changed) after.run(currentImage(db, id), runId, id);
  }
}

export interface RunCounts {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rejected: number;
  customersCreated: number;
}

const pickCounts = (c: RunCounts): RunCounts => ({
  rows: c.rows,
  inserted: c.inserted,
  updated: c.updated,
  unchanged: c.unchanged,
  skipped: c.skipped,
  rejected: c.rejected,
  customersCreated: c.customersCreated,
});

/** One import as `crm import history` lists it. */
export interface ImportRun extends RunCounts {
  id: number;
  kind: RunKind;
  file: string;
  at: string;
  undoneAt: string | null;
}

const RUN_COLUMNS = `SELECT id, kind, file, at, rows, inserted, updated, unchanged, skipped, rejected, customers_created AS customersCreated,
  undone_at AS undoneAt FROM import_runs`;

/** The imports, newest first. */
export function listImportRuns(db: Db, limit: number | null): ImportRun[] {
  return stmt(db, `${RUN_COLUMNS} ORDER BY id DESC LIMIT ?`).all(limit ?? -1) as ImportRun[];
}

export function getImportRun(db: Db, id: number): ImportRun | null {
  return (stmt(db, `${RUN_COLUMNS} WHERE id = ?`).get(id) as ImportRun | undefined) ?? null;
}

// ---- Undo ---------------------------------------------------------------------------------------

function createdRanges(db: Db, runId: number, table: CreatedTable): [number, number][] {
  return stmt(db, 'SELECT first_id, last_id FROM import_created WHERE run_id = ? AND tbl = ? ORDER BY first_id').raw().all(runId, table) as [number, number][];
}

/** What an undo does: the rows it removes (those still there) and the customers it puts back. */
export interface UndoCounts {
  customers: number;
  orders: number;
  interactions: number;
  restored: number;
}

export function undoCounts(db: Db, runId: number): UndoCounts {
  const count = (table: 'customers' | 'orders' | 'interactions') =>
    createdRanges(db, runId, table).reduce((n, [a, b]) => n + (stmt(db, `SELECT count(*) FROM ${table} WHERE id BETWEEN ? AND ?`).pluck().get(a, b) as number), 0);
  const restored = stmt(db, 'SELECT count(*) FROM import_changes c JOIN customers k ON k.id = c.customer_id WHERE c.run_id = ?').pluck().get(runId) as number;
  return { customers: count('customers'), orders: count('orders'), interactions: count('interactions'), restored };
}

/** Why a customer stands in the way of an undo: what happened to them after the import. */
export type LaterChange =
  | { kind: 'import'; id: number; at: string; did: 'updated' | 'created' | 'orders' | 'interactions' }
  | { kind: 'undo'; id: number; at: string }
  | { kind: 'order'; order: number }
  | { kind: 'refund'; order: number }
  | { kind: 'interaction' }
  | { kind: 'complaint' }
  | { kind: 'survey' }
  | { kind: 'reminder' }
  | { kind: 'coupon' }
  | { kind: 'tier' }
  | { kind: 'edited'; at: string };

export interface Blocker {
  customerId: number;
  name: string;
  change: LaterChange;
}

/** A later merge (not undone) of customers the import created or changed: it must be undone first, even with --force, or the undo would not be exact. */
export function laterMerge(db: Db, runId: number): number | null {
  const created = createdRanges(db, runId, 'customers');
  const changed = new Set(stmt(db, 'SELECT customer_id FROM import_changes WHERE run_id = ?').pluck().all(runId) as number[]);
  if (created.length === 0 && changed.size === 0) return null;
  const touches = (id: number) => changed.has(id) || created.some(([a, b]) => a <= id && id <= b);
  const lastMerge = stmt(db, 'SELECT last_merge FROM import_runs WHERE id = ?').pluck().get(runId) as number;
  const merges = stmt(db, 'SELECT id, survivor_id, merged_ids FROM merges WHERE id > ? AND undone_at IS NULL ORDER BY id DESC').all(lastMerge) as {
    id: number;
    survivor_id: number;
    merged_ids: string;
  }[];
  for (const m of merges) if ([m.survivor_id, ...(JSON.parse(m.merged_ids) as number[])].some(touches)) return m.id;
  return null;
}

/**
 * The customers changed after the import that an undo would change again (up to `limit`), each
 * with the first thing found: a later import (not undone) that updated them, gave them orders or
 * interactions; for a customer it created, an order, a refund, an interaction, a complaint, a
 * survey answer, a reminder or a coupon since, or an edit; for a customer it updated, an edit, or the undo of an earlier
 * import that put them back; for either, a level change since. --force undoes anyway.
 */
export function laterChanges(db: Db, run: ImportRun, limit: number): Blocker[] {
  const found = new Map<number, LaterChange>();
  const full = () => found.size >= limit;
  const add = (id: number, change: LaterChange) => {
    if (!full() && !found.has(id)) found.set(id, change);
  };
  const created = createdRanges(db, run.id, 'customers');
  const changedIds = JSON.stringify(stmt(db, 'SELECT customer_id FROM import_changes WHERE run_id = ? ORDER BY customer_id').pluck().all(run.id));
  /** SQL that is true where customer id `col` is one this import created or changed (parameters: the ranges as JSON, the changed ids as JSON). */
  const ours = (col: string) =>
    `(EXISTS (SELECT 1 FROM json_each(?) j WHERE ${col} BETWEEN j.value ->> 0 AND j.value ->> 1) OR ${col} IN (SELECT j.value FROM json_each(?) j))`;
  const ranges = JSON.stringify(created);
  // Later imports first: the refusal names the import, which can be undone first.
  const later = stmt(db, 'SELECT id, at FROM import_runs WHERE id > ? AND undone_at IS NULL ORDER BY id').raw().all(run.id) as [number, string][];
  for (const [id, at] of later) {
    if (full()) break;
    for (const c of stmt(db, `SELECT customer_id FROM import_changes WHERE run_id = ? AND ${ours('import_changes.customer_id')} LIMIT ?`).pluck().all(id, ranges, changedIds, limit) as number[]) {
      add(c, { kind: 'import', id, at, did: 'updated' });
    }
    // A customer removed since and made again by a later import under the same number (crm's own
    // export carries the id): that customer is the later import's, not this one's to remove.
    for (const [a, b] of createdRanges(db, id, 'customers')) {
      for (const [x, y] of created) {
        if (b < x || y < a) continue;
        for (const c of stmt(db, 'SELECT id FROM customers WHERE id BETWEEN ? AND ? LIMIT ?').pluck().all(Math.max(a, x), Math.min(b, y), limit) as number[]) add(c, { kind: 'import', id, at, did: 'created' });
      }
    }
    for (const table of ['orders', 'interactions'] as const) {
      for (const [a, b] of createdRanges(db, id, table)) {
        const rows = stmt(db, `SELECT DISTINCT customer_id FROM ${table} WHERE id BETWEEN ? AND ? AND ${ours(`${table}.customer_id`)} LIMIT ?`).pluck().all(a, b, ranges, changedIds, limit) as number[];
        // (Only of customers it created: the undo leaves the orders and interactions of those it updated.)
        for (const c of rows) if (created.some(([x, y]) => x <= c && c <= y)) add(c, { kind: 'import', id, at, did: table });
      }
    }
  }
  const mine = (table: CreatedTable) => JSON.stringify(createdRanges(db, run.id, table));
  /** SQL that is true where `col` (qualified: json_each has an id column too) is in none of the ranges its parameter gives as JSON. */
  const outside = (col: string) => `NOT EXISTS (SELECT 1 FROM json_each(?) j WHERE ${col} BETWEEN j.value ->> 0 AND j.value ->> 1)`;
  for (const [a, b] of createdRanges(db, run.id, 'orders')) {
    const rows = stmt(db, `SELECT o.customer_id, o.id FROM refunds f JOIN orders o ON o.id = f.order_id WHERE f.order_id BETWEEN ? AND ? AND ${outside('f.id')} LIMIT ?`).raw().all(a, b, mine('refunds'), limit) as [number, number][];
    for (const [customer, order] of rows) add(customer, { kind: 'refund', order });
    for (const id of stmt(db, 'SELECT customer_id FROM complaints WHERE order_id BETWEEN ? AND ? LIMIT ?').pluck().all(a, b, limit) as number[]) add(id, { kind: 'complaint' });
  }
  for (const [a, b] of created) {
    const since = (sql: string) => stmt(db, sql).pluck().all(a, b, limit) as number[];
    const rows = stmt(db, `SELECT customer_id, id FROM orders WHERE customer_id BETWEEN ? AND ? AND ${outside('orders.id')} LIMIT ?`).raw().all(a, b, mine('orders'), limit) as [number, number][];
    for (const [customer, order] of rows) add(customer, { kind: 'order', order });
    for (const id of since('SELECT customer_id FROM interactions WHERE customer_id BETWEEN ? AND ? LIMIT ?')) add(id, { kind: 'interaction' });
    for (const id of since('SELECT customer_id FROM complaints WHERE customer_id BETWEEN ? AND ? LIMIT ?')) add(id, { kind: 'complaint' });
    for (const id of since('SELECT customer_id FROM survey_responses WHERE customer_id BETWEEN ? AND ? LIMIT ?')) add(id, { kind: 'survey' });
    for (const id of since('SELECT customer_id FROM occurrences WHERE customer_id BETWEEN ? AND ? LIMIT ?')) add(id, { kind: 'reminder' });
    for (const id of since('SELECT customer_id FROM coupons WHERE customer_id BETWEEN ? AND ? LIMIT ?')) add(id, { kind: 'coupon' });
    // The import left each customer it created with updated_at their creation time or its own.
    const edited = stmt(db, 'SELECT id, updated_at FROM customers WHERE id BETWEEN ? AND ? AND updated_at <> created_at AND updated_at <> ? LIMIT ?').raw().all(a, b, run.at, limit) as [number, string][];
    for (const [id, at] of edited) add(id, { kind: 'edited', at });
  }
  // A level set or moved since (crm tier set, tier apply): the undo would put the level back.
  const lastTier = stmt(db, 'SELECT last_tier_change FROM import_runs WHERE id = ?').pluck().get(run.id) as number;
  const tiers = stmt(db, `SELECT DISTINCT customer_id FROM tier_changes WHERE id > ? AND ${ours('tier_changes.customer_id')} LIMIT ?`).pluck().all(lastTier, ranges, changedIds, limit) as number[];
  for (const id of tiers) add(id, { kind: 'tier' });
  const changes = stmt(db, 'SELECT customer_id, after FROM import_changes WHERE run_id = ? ORDER BY customer_id').raw().iterate(run.id) as IterableIterator<[number, string]>;
  for (const [id, after] of changes) {
    if (full()) break;
    const now = currentImage(db, id);
    // Removed since: nothing of theirs to put back, and nothing the undo could lose.
    if (found.has(id) || now === after || now === 'null') continue;
    // Put back by the forced undo of an earlier import that changed them too, since this one ran.
    const undo = stmt(
      db,
      `SELECT r.id, r.undone_at FROM import_runs r JOIN import_changes c ON c.run_id = r.id
       WHERE c.customer_id = ? AND r.id < ? AND r.undone_at > ? ORDER BY r.undone_at DESC LIMIT 1`,
    ).raw().get(id, run.id, run.at) as [number, string] | undefined;
    if (undo) add(id, { kind: 'undo', id: undo[0], at: undo[1] });
    else add(id, { kind: 'edited', at: (stmt(db, 'SELECT updated_at FROM customers WHERE id = ?').pluck().get(id) as string | undefined) ?? '' });
  }
  const names = new Map(stmt(db, 'SELECT id, name FROM customers WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify([...found.keys()])) as [number, string][]);
  return [...found].map(([customerId, change]) => ({ customerId, name: names.get(customerId) ?? '', change }));
}

/** Columns an undo does not put back: the order aggregates (the orders' triggers keep them) and the scores crm computes, which no import sets (a level it does). */
const NOT_RESTORED = new Set([...DERIVED, ...[...COMPUTED].filter((k) => k !== 'tier')]);

/**
 * Undoes an import in one transaction: the interactions, tier changes, orders (with their refunds)
 * and customers (with their phones, tags, search entries and everything linked to them) it created
 * are deleted, and every customer it updated is put back as it was, with their phones, tags and
 * search entry.
 */
export function undoImportRun(db: Db, runId: number, now: string): void {
  db.transaction(() => {
    for (const table of ['interactions', 'tier_changes', 'refunds', 'orders'] as const) {
      for (const [a, b] of createdRanges(db, runId, table)) stmt(db, `DELETE FROM ${table} WHERE id BETWEEN ? AND ?`).run(a, b);
    }
    const columns = new Set((db.pragma('table_info(customers)') as { name: string }[]).map((c) => c.name).filter((k) => k !== 'id' && !NOT_RESTORED.has(k)));
    const befores = stmt(db, 'SELECT customer_id, before FROM import_changes WHERE run_id = ?').raw().all(runId) as [number, string][];
    for (const [id, json] of befores) restoreCustomer(db, id, JSON.parse(json) as BeforeImage, columns);
    for (const [a, b] of createdRanges(db, runId, 'customers')) {
      stmt(db, 'DELETE FROM customer_search WHERE rowid BETWEEN ? AND ?').run(a, b);
      stmt(db, 'DELETE FROM customers WHERE id BETWEEN ? AND ?').run(a, b);
    }
    stmt(db, 'UPDATE import_runs SET undone_at = ? WHERE id = ?').run(now, runId);
  }).immediate();
}

interface BeforeImage {
  row: Record<string, unknown>;
  phones: { phone: string; raw: string | null; position: number }[];
  tags: string[];
}

/** A customer as the image has them (one deleted since stays deleted). */
function restoreCustomer(db: Db, id: number, before: BeforeImage, existing: Set<string>): void {
  const columns = Object.keys(before.row).filter((k) => existing.has(k));
  const info = stmt(db, `UPDATE customers SET ${columns.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...Object.fromEntries(columns.map((k) => [k, before.row[k]])), id });
  if (info.changes === 0) return;
  stmt(db, 'DELETE FROM customer_phones WHERE customer_id = ?').run(id);
  stmt(db, 'DELETE FROM customer_tags WHERE customer_id = ?').run(id);
  for (const p of before.phones) stmt(db, 'INSERT INTO customer_phones (customer_id, phone, raw, position) VALUES (?, ?, ?, ?)').run(id, p.phone, p.raw, p.position);
  for (const t of before.tags) stmt(db, 'INSERT INTO customer_tags (customer_id, tag) VALUES (?, ?)').run(id, t);
  reindex(db, id, getCustomer(db, id)!);
}
