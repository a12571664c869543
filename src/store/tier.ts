// All SQL of member tiers and ABC classes: the ladder (kept in the settings table), each customer's
// spend over a window, the moves of `crm tier apply` with their history, and saved ABC classes.
import type { AbcClass, TierMove } from '../core/tier.js';
import { Column } from './column.js';
import { rowWriter, stmt, transaction, type Db } from './db.js';
import { idCondition, joinFields, splitRead, type IdRange } from './split-read.js';
import { readSetting, writeSetting } from './settings.js';

const LADDER_KEY = 'tier_rules';

export function readLadderJson(db: Db): string | undefined {
  return readSetting(db, LADDER_KEY);
}

export function writeLadderJson(db: Db, json: string): void {
  writeSetting(db, LADDER_KEY, json);
}

/** Every customer (ascending ids) with their level and spend over a window, a column each. */
export interface CustomerSpends {
  ids: Int32Array;
  tiers: (string | null)[];
  /** Minor units. */
  spends: Float64Array;
}

/**
 * Every customer with their level and their spend after `start` (exclusive) up to `asOf`. One
 * look-up per customer in the orders' (customer, day, amount) index: a million customers in about
 * two seconds (joining the window's orders grouped by customer read each order's row: 9 s); on a
 * large book in two halves at once (split-read.ts). `unwritten`: inside a write transaction that
 * has written nothing yet.
 */
export function spendsInWindow(db: Db, start: string, asOf: string, opts: { unwritten?: boolean } = {}): Promise<CustomerSpends> {
  return splitRead(db, import.meta.url, spendsInWindowIn, { start, asOf }, joinFields, opts);
}

/** spendsInWindow over a range of customer ids. */
export function spendsInWindowIn(db: Db, r: { start: string; asOf: string } & IdRange): CustomerSpends {
  const ids = new Column(Int32Array);
  const tiers: (string | null)[] = [];
  const spends = new Column(Float64Array);
  const range = idCondition('c.id', r);
  const rows = stmt(
    db,
    `SELECT c.id, c.tier, (SELECT coalesce(sum(o.amount), 0) FROM orders o WHERE o.customer_id = c.id AND o.day > @start AND o.day <= @asOf)
       FROM customers c ${range.sql ? `WHERE ${range.sql}` : ''} ORDER BY c.id`,
  )
    .raw()
    .iterate({ start: r.start, asOf: r.asOf, ...range.params }) as IterableIterator<[number, string | null, number]>;
  for (const [id, tier, spend] of rows) {
    ids.push(id);
    tiers.push(tier);
    spends.push(spend);
  }
  return { ids: ids.values(), tiers, spends: spends.values() };
}

/** Makes the moves and records each one, in one transaction. A level is computed, so updated_at stays. */
export function applyTierMoves(db: Db, moves: TierMove[], day: string, months: number, now: string): void {
  transaction(db, () => {
    const set = stmt(db, 'UPDATE customers SET tier = ? WHERE id = ?');
    const log = rowWriter(db, 'tier_changes', ['customer_id', 'day', 'from_tier', 'to_tier', 'direction', 'spend', 'months', 'threshold', 'at']);
    for (const m of moves) {
      set.run(m.to, m.id);
      log.add(m.id, day, m.from, m.to, m.direction, m.spend, months, m.threshold, now);
    }
    log.end();
  });
}

export interface TierChangeRow {
  id: number;
  customerId: number;
  customerName: string;
  day: string;
  from: string | null;
  to: string | null;
  direction: 'up' | 'down' | 'set';
  spend: number;
  months: number;
  threshold: number;
}

/** Level moves, newest first (by day, then as recorded): one customer's, or everyone's since a day. */
export function tierChanges(db: Db, filter: { customerId?: number; since?: string; limit?: number | null }): TierChangeRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.customerId !== undefined) {
    where.push('t.customer_id = ?');
    params.push(filter.customerId);
  }
  if (filter.since !== undefined) {
    where.push('t.day >= ?');
    params.push(filter.since);
  }
  return stmt(
    db,
    `SELECT t.id, t.customer_id AS customerId, c.name AS customerName, t.day, t.from_tier AS "from", t.to_tier AS "to", t.direction, t.spend, t.months, t.threshold
       FROM tier_changes t JOIN customers c ON c.id = t.customer_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY t.day DESC, t.id DESC LIMIT ?`,
  ).all(...params, filter.limit ?? -1) as TierChangeRow[];
}

/** Whether any customer is at this level (any case). */
export function tierInUse(db: Db, tier: string): boolean {
  return stmt(db, 'SELECT 1 FROM customers WHERE tier = ? COLLATE NOCASE LIMIT 1').get(tier) !== undefined;
}

/** Customers per level (null: no level). */
export function tierCounts(db: Db): { tier: string | null; customers: number }[] {
  return stmt(db, 'SELECT tier, count(*) AS customers FROM customers GROUP BY tier ORDER BY tier').all() as { tier: string | null; customers: number }[];
}

/**
 * Customers per level as they stood at the end of `day` (customers known by `endAt`, the UTC instant
 * the day ends): a customer's level then is the from-level of their first move after that day, or
 * their level now if they have not moved since.
 */
export function tierCountsAt(db: Db, day: string, endAt: string): { tier: string | null; customers: number }[] {
  // The levels now, corrected for the few who moved since (a look-up per customer took 1 s a million).
  const counts = new Map<string | null, number>();
  const add = (tier: string | null, n: number) => counts.set(tier, (counts.get(tier) ?? 0) + n);
  const known = 'c.created_at < @endAt OR c.first_order_day <= @day';
  for (const r of stmt(db, `SELECT c.tier, count(*) FROM customers c WHERE ${known} GROUP BY c.tier`).raw().iterate({ day, endAt }) as IterableIterator<[string | null, number]>) add(r[0], r[1]);
  const moved = stmt(
    db,
    `SELECT c.tier, t.from_tier FROM tier_changes t JOIN customers c ON c.id = t.customer_id
      WHERE t.day > @day AND (${known})
        AND t.id = (SELECT u.id FROM tier_changes u WHERE u.customer_id = t.customer_id AND u.day > @day ORDER BY u.day, u.id LIMIT 1)`,
  )
    .raw()
    .iterate({ day, endAt }) as IterableIterator<[string | null, string | null]>;
  for (const [now, then] of moved) {
    add(now, -1);
    add(then, 1);
  }
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([tier, customers]) => ({ tier, customers }))
    .sort((x, y) => (x.tier === y.tier ? 0 : x.tier === null ? -1 : y.tier === null ? 1 : x.tier < y.tier ? -1 : 1));
}

/** Stores every customer's ABC class (customers not in `ids` lose theirs), in one transaction. */
export function saveAbc(db: Db, ids: ArrayLike<number>, classes: ArrayLike<number>, names: readonly AbcClass[]): void {
  transaction(db, () => {
    stmt(db, 'UPDATE customers SET abc_class = NULL WHERE abc_class IS NOT NULL').run();
    const set = stmt(db, 'UPDATE customers SET abc_class = ? WHERE id = ?');
    for (let i = 0; i < ids.length; i++) set.run(names[classes[i]!], ids[i]);
  });
}

/** Sets one customer's level by hand (compensation for a complaint), recorded as a move of kind set. */
export function setTier(db: Db, customerId: number, tier: string, day: string, now: string): void {
  const from = stmt(db, 'SELECT tier FROM customers WHERE id = ?').pluck().get(customerId) as string | null;
  if (from === tier) return;
  stmt(db, 'UPDATE customers SET tier = ? WHERE id = ?').run(tier, customerId);
  stmt(db, `INSERT INTO tier_changes (customer_id, day, from_tier, to_tier, direction, spend, months, threshold, at) VALUES (?, ?, ?, ?, 'set', 0, 0, 0, ?)`).run(customerId, day, from, tier, now);
}
