// All SQL of finding and merging duplicates: reading customers for the matcher, the blocking work
// tables (temporary, so a dedupe that only lists writes nothing to the shop's file), merges with
// their before-images, undo, and the pairs marked as different people.
import type { CustomerFields } from '../core/customer.js';
import { survivorFacts, type MatchInput } from '../core/dedupe/index.js';
import { failure } from '../errors.js';
import { deleteCustomer, getCustomer, reindex, updateCustomer } from './customer.js';
import { stmt, transaction, type Db } from './db.js';
import { readSetting } from './settings.js';

/**
 * Tables whose rows belong to a customer and follow them into a merge, with the key of a row
 * (complaints will join). An occurrence whose rule and occasion the survivor has already stays
 * behind (see occurrenceClashes).
 */
const LINKS = { orders: 'id', interactions: 'id', tier_changes: 'id', occurrences: 'id', coupons: 'code', complaints: 'id', survey_responses: 'id' } as const;
const LINK_TABLES = Object.keys(LINKS) as (keyof typeof LINKS)[];

// ---- Reading for the matcher --------------------------------------------------------------------

const MATCH_COLUMNS = `SELECT c.id, c.name, c.email, c.external_id, c.birthday, c.city, c.address, c.gender, c.note, c.order_count,
    c.last_order_day, c.updated_at, c.fields,
    (SELECT group_concat(phone, ' ') FROM customer_phones p WHERE p.customer_id = c.id) AS phones,
    (SELECT count(*) FROM customer_tags t WHERE t.customer_id = c.id) AS tags
  FROM customers c`;

export interface MatchRow {
  id: number;
  name: string;
  email: string | null;
  external_id: string | null;
  birthday: string | null;
  city: string | null;
  address: string | null;
  gender: string | null;
  note: string | null;
  /** The custom fields as stored (JSON). */
  fields: string;
  order_count: number;
  last_order_day: string | null;
  updated_at: string;
  phones: string | null;
  tags: number;
}

/** The custom fields a matcher reads: those named (the model's identifiers), or every one of them ('all', to fit a model). */
export type ExtraFields = readonly string[] | 'all';

function extraOf(json: string, wanted: ExtraFields): { extra: Record<string, string>; count: number } {
  const all = JSON.parse(json) as Record<string, unknown>;
  const extra: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const [k, v] of Object.entries(all)) {
    count++;
    if (typeof v === 'string' && v !== '' && (wanted === 'all' || wanted.includes(k))) extra[k] = v;
  }
  return { extra, count };
}

export function toMatchInput(r: MatchRow, wanted: ExtraFields = []): MatchInput {
  const phones = r.phones ? r.phones.split(' ') : [];
  const { extra, count } = extraOf(r.fields || '{}', wanted);
  return {
    id: r.id,
    name: r.name,
    phones,
    email: r.email,
    externalId: r.external_id,
    birthday: r.birthday,
    city: r.city,
    address: r.address,
    gender: r.gender,
    extra,
    ...survivorFacts({
      filled: [r.email, r.external_id, r.birthday, r.city, r.address, r.note].filter((v) => v !== null).length,
      phones: phones.length,
      tags: r.tags,
      customFields: count,
      orders: r.order_count,
      lastOrderDay: r.last_order_day,
      updatedAt: r.updated_at,
    }),
  };
}

/** Every customer as the matcher needs it, in id order, a page at a time (memory stays flat). */
export function* matchInputs(db: Db, wanted: ExtraFields = [], page = 5000): Generator<MatchInput[]> {
  let after = 0;
  for (;;) {
    const rows = stmt(db, `${MATCH_COLUMNS} WHERE c.id > ? ORDER BY c.id LIMIT ?`).all(after, page) as MatchRow[];
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield rows.map((r) => toMatchInput(r, wanted));
  }
}

/** These customers as the matcher needs them. */
export function matchInputsOf(db: Db, ids: number[], wanted: ExtraFields = []): MatchInput[] {
  return (stmt(db, `${MATCH_COLUMNS} WHERE c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id`).all(JSON.stringify(ids)) as MatchRow[]).map((r) => toMatchInput(r, wanted));
}

/**
 * The work tables of one dedupe run, in SQLite's temporary database: each record as the matcher
 * sees it (JSON), and its blocking keys, sorted by SQLite (on disk when large) rather than in memory.
 */
export class BlockingTables {
  private cache = new Map<number, unknown>();

  constructor(private readonly db: Db) {
    db.exec(`DROP TABLE IF EXISTS temp.dd_records; DROP TABLE IF EXISTS temp.dd_keys;
      CREATE TEMP TABLE dd_records (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
      CREATE TEMP TABLE dd_keys (key TEXT NOT NULL, id INTEGER NOT NULL);`);
  }

  add(records: { id: number; keys: string[]; data: unknown }[]): void {
    this.db.transaction(() => {
      for (const r of records) {
        stmt(this.db, 'INSERT INTO temp.dd_records (id, data) VALUES (?, ?)').run(r.id, JSON.stringify(r.data));
        for (const k of r.keys) stmt(this.db, 'INSERT INTO temp.dd_keys (key, id) VALUES (?, ?)').run(k, r.id);
      }
    })();
  }

  private indexed = false;

  private index(): void {
    if (!this.indexed) this.db.exec('CREATE INDEX temp.dd_keys_key ON dd_keys (key, id)');
    this.indexed = true;
  }

  /**
   * Each key held by at least `min` records, with how many, one row at a time (one pass over the
   * index): the shop's term frequencies, and the keys too common to compare all their pairs.
   */
  *keyCounts(min: number): Generator<[string, number]> {
    this.index();
    yield* this.db.prepare('SELECT key, count(*) AS n FROM temp.dd_keys GROUP BY key HAVING count(*) >= ?').raw().iterate(min) as IterableIterator<[string, number]>;
  }

  /** For the keys starting with `prefix`: the pairs of records sharing one (all), and as many as `cap` a key would give. */
  census(prefix: string, cap: number): { population: number; capped: number } {
    this.index();
    const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
    const r = this.db
      .prepare(`SELECT coalesce(sum(n * (n - 1) / 2), 0) AS population, coalesce(sum(min(n * (n - 1) / 2, ?)), 0) AS capped
        FROM (SELECT count(*) AS n FROM temp.dd_keys WHERE key >= ? AND key < ? GROUP BY key HAVING count(*) > 1)`)
      .get(cap, prefix, end) as { population: number; capped: number };
    return r;
  }

  /** The blocks of two or more records, key by key, with the ids in each; read a page at a time. */
  *blocks(): Generator<{ key: string; ids: number[] }> {
    this.index();
    const page = this.db.prepare('SELECT key, id FROM temp.dd_keys WHERE (key, id) > (?, ?) ORDER BY key, id LIMIT 20000').raw();
    let key: string | null = null;
    let ids: number[] = [];
    let after: [string, number] = ['', 0];
    for (;;) {
      const rows = page.all(...after) as [string, number][];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!;
      for (const [k, id] of rows) {
        if (k !== key) {
          if (key !== null && ids.length > 1) yield { key, ids };
          key = k;
          ids = [];
        }
        ids.push(id);
      }
    }
    if (key !== null && ids.length > 1) yield { key, ids };
  }

  /** A record as added (a bounded cache in front of the table). */
  get<T>(id: number): T {
    let v = this.cache.get(id);
    if (v === undefined) {
      v = JSON.parse((stmt(this.db, 'SELECT data FROM temp.dd_records WHERE id = ?').pluck().get(id) as string) ?? 'null');
      if (this.cache.size >= 10_000) this.cache.clear();
      this.cache.set(id, v);
    }
    return v as T;
  }

  drop(): void {
    this.db.exec('DROP TABLE IF EXISTS temp.dd_records; DROP TABLE IF EXISTS temp.dd_keys;');
    this.cache.clear();
  }
}

// ---- Pairs marked as different people -------------------------------------------------------------

/** Marks every pair of these customers as different people (never suggested again), in one transaction; returns the pairs new. */
export function markDistinct(db: Db, ids: number[], now: string): number {
  return transaction(db, () => {
    let added = 0;
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        const [a, b] = [Math.min(ids[i]!, ids[j]!), Math.max(ids[i]!, ids[j]!)];
        if (a !== b) added += stmt(db, 'INSERT OR IGNORE INTO distinct_pairs (a, b, at) VALUES (?, ?, ?)').run(a, b, now).changes;
      }
    }
    return added;
  });
}

/** The pairs marked as different people, as "a:b" with a < b. */
export function distinctPairs(db: Db): Set<string> {
  return new Set((stmt(db, 'SELECT a, b FROM distinct_pairs').all() as { a: number; b: number }[]).map((p) => `${p.a}:${p.b}`));
}

// ---- Merges ----------------------------------------------------------------------------------------

interface BeforeImage {
  customers: Record<string, unknown>[];
  phones: Record<string, unknown>[];
  tags: Record<string, unknown>[];
  /** Per merged record, the keys of its rows in each link table (the code of a coupon, else the id). */
  links: Record<string, Record<string, (number | string)[]>>;
  /**
   * The merged records' occurrences that clash with one kept (the same rule and occasion as the
   * survivor's, or an earlier merged record's): deleted by the merge, put back by undo, with the
   * coupons that were issued with them (images from before schema 8 have none).
   */
  occurrences?: Record<string, unknown>[];
  occurrenceCoupons?: { code: string; occurrence_id: number }[];
  /** The merged records' saved RFM scores (images from before schema 5 have none) and CLV (schema 7). */
  rfm?: Record<string, unknown>[];
  clv?: Record<string, unknown>[];
  /** Which saves those rows came from (the settings rfm_saved and clv_saved then): an undo after a later save leaves them out. */
  saves?: { rfm: string | null; clv: string | null };
}

const currentSave = (db: Db, key: 'rfm_saved' | 'clv_saved') => readSetting(db, key) ?? null;

/** Columns the order triggers keep: derived from the orders, never restored from an image. */
export const DERIVED = new Set(['order_count', 'order_total', 'first_order_day', 'last_order_day']);
/**
 * Columns crm computes (tier apply, tier abc --save; the rfm_* columns of schema 3 and 4): restored by
 * an undo, but a change to them is no edit.
 */
export const COMPUTED = new Set(['tier', 'abc_class', 'rfm_r', 'rfm_f', 'rfm_m', 'rfm_segment', 'rfm_scheme', 'rfm_as_of']);

/** One customer as stored (without the order aggregates, which orders added since may change), with phones and tags. */
export function currentImage(db: Db, id: number): string {
  const row = stmt(db, 'SELECT * FROM customers WHERE id = ?').get(id) as Record<string, unknown> | undefined;
  if (!row) return 'null';
  for (const k of [...DERIVED, ...COMPUTED]) delete row[k];
  const phones = stmt(db, 'SELECT phone, raw, position FROM customer_phones WHERE customer_id = ? ORDER BY position').all(id);
  const tags = stmt(db, 'SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag').pluck().all(id);
  return JSON.stringify({ row, phones, tags });
}

/** An after-image as currentImage writes it now (images written before a column became computed still compare). */
function comparable(image: string): string {
  const parsed = JSON.parse(image) as { row: Record<string, unknown> | undefined } | null;
  if (!parsed?.row) return image;
  for (const k of [...DERIVED, ...COMPUTED]) delete parsed.row[k];
  return JSON.stringify(parsed);
}

/**
 * The occurrences of the merged records that cannot move: the customer would have two of the same
 * rule and occasion. The first of the survivor and the merged records (in that order) keeps its own.
 */
function occurrenceClashes(db: Db, survivor: number, merged: number[]): Record<string, unknown>[] {
  return stmt(
    db,
    `SELECT o.* FROM occurrences o JOIN (
       SELECT o.id, row_number() OVER (PARTITION BY o.rule, o.occasion ORDER BY j.key, o.id) AS n
       FROM occurrences o JOIN json_each(?) j ON j.value = o.customer_id
     ) r ON r.id = o.id
     WHERE r.n > 1 ORDER BY o.id`,
  ).all(JSON.stringify([survivor, ...merged])) as Record<string, unknown>[];
}

function snapshot(db: Db, survivor: number, merged: number[]): BeforeImage {
  const ids = JSON.stringify([survivor, ...merged]);
  const occurrences = occurrenceClashes(db, survivor, merged);
  const dropped = JSON.stringify(occurrences.map((o) => o.id));
  const links: BeforeImage['links'] = {};
  for (const table of LINK_TABLES) {
    const key = LINKS[table];
    links[table] = {};
    for (const id of merged) {
      const rows = stmt(db, `SELECT ${key} FROM ${table} WHERE customer_id = ? ORDER BY ${key}`).pluck().all(id) as (number | string)[];
      links[table][id] = table === 'occurrences' ? rows.filter((r) => !occurrences.some((o) => o.id === r)) : rows;
    }
  }
  return {
    customers: stmt(db, 'SELECT * FROM customers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(ids) as Record<string, unknown>[],
    phones: stmt(db, 'SELECT * FROM customer_phones WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, position').all(ids) as Record<string, unknown>[],
    tags: stmt(db, 'SELECT * FROM customer_tags WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, tag').all(ids) as Record<string, unknown>[],
    links,
    rfm: stmt(db, 'SELECT * FROM customer_rfm WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id').all(JSON.stringify(merged)) as Record<string, unknown>[],
    clv: stmt(db, 'SELECT * FROM customer_clv WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id').all(JSON.stringify(merged)) as Record<string, unknown>[],
    saves: { rfm: currentSave(db, 'rfm_saved'), clv: currentSave(db, 'clv_saved') },
    occurrences,
    occurrenceCoupons: stmt(db, 'SELECT code, occurrence_id FROM coupons WHERE occurrence_id IN (SELECT value FROM json_each(?)) ORDER BY code').all(dropped) as {
      code: string;
      occurrence_id: number;
    }[],
  };
}

export interface MergeRecord {
  id: number;
  survivorId: number;
  mergedIds: number[];
  how: string;
  score: number | null;
  at: string;
  undoneAt: string | null;
}

/**
 * Merges `merged` into `survivor` in one transaction: their orders, interactions, tier changes,
 * reminder occurrences (but those the survivor has already), coupons, complaints and survey answers move to the survivor, the
 * survivor takes `fields` (worked out by core/merge.ts), the merged records are deleted, and the
 * history keeps a before-image of everything changed. Returns the merge id.
 */
export function mergeCustomers(db: Db, survivor: number, merged: number[], fields: CustomerFields, how: string, score: number | null, now: string): number {
  return transaction(db, () => {
    const before = snapshot(db, survivor, merged);
    if (before.customers.length !== merged.length + 1) throw failure('err.merge.gone');
    for (const o of before.occurrences ?? []) stmt(db, 'DELETE FROM occurrences WHERE id = ?').run(o.id);
    for (const table of LINK_TABLES) {
      for (const id of merged) stmt(db, `UPDATE ${table} SET customer_id = ? WHERE customer_id = ?`).run(survivor, id);
    }
    for (const id of merged) deleteCustomer(db, id);
    updateCustomer(db, survivor, fields, now);
    const info = stmt(db, 'INSERT INTO merges (survivor_id, merged_ids, how, score, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      survivor,
      JSON.stringify(merged),
      how,
      score,
      now,
      JSON.stringify(before),
      currentImage(db, survivor),
    );
    return Number(info.lastInsertRowid);
  });
}

function toMerge(r: { id: number; survivor_id: number; merged_ids: string; how: string; score: number | null; at: string; undone_at: string | null }): MergeRecord {
  return { id: r.id, survivorId: r.survivor_id, mergedIds: JSON.parse(r.merged_ids) as number[], how: r.how, score: r.score, at: r.at, undoneAt: r.undone_at };
}

export function listMerges(db: Db, limit: number | null): MergeRecord[] {
  return (stmt(db, 'SELECT id, survivor_id, merged_ids, how, score, at, undone_at FROM merges ORDER BY id DESC LIMIT ?').all(limit ?? -1) as Parameters<typeof toMerge>[0][]).map(toMerge);
}

export function getMerge(db: Db, id: number): MergeRecord | null {
  const r = stmt(db, 'SELECT id, survivor_id, merged_ids, how, score, at, undone_at FROM merges WHERE id = ?').get(id) as Parameters<typeof toMerge>[0] | undefined;
  return r ? toMerge(r) : null;
}

export type UndoProblem =
  | { kind: 'undone'; at: string }
  | { kind: 'survivorGone'; id: number }
  | { kind: 'idTaken'; id: number }
  | { kind: 'laterMerge'; merge: number }
  | { kind: 'changedSince'; id: number; at: string };

/** What stands in the way of undoing a merge (changes to the survivor since only with force). */
export function undoProblem(db: Db, m: MergeRecord, force: boolean): UndoProblem | null {
  if (m.undoneAt) return { kind: 'undone', at: m.undoneAt };
  const later = stmt(
    db,
    `SELECT id FROM merges WHERE id > ? AND undone_at IS NULL
       AND (survivor_id = ? OR EXISTS (SELECT 1 FROM json_each(merged_ids) WHERE value = ?)) ORDER BY id DESC LIMIT 1`,
  ).pluck().get(m.id, m.survivorId, m.survivorId) as number | undefined;
  if (later !== undefined) return { kind: 'laterMerge', merge: later };
  const survivor = stmt(db, 'SELECT updated_at FROM customers WHERE id = ?').pluck().get(m.survivorId) as string | undefined;
  if (survivor === undefined) return { kind: 'survivorGone', id: m.survivorId };
  for (const id of m.mergedIds) if (stmt(db, 'SELECT 1 FROM customers WHERE id = ?').get(id)) return { kind: 'idTaken', id };
  const after = stmt(db, 'SELECT after FROM merges WHERE id = ?').pluck().get(m.id) as string;
  if (!force && currentImage(db, m.survivorId) !== comparable(after)) return { kind: 'changedSince', id: m.survivorId, at: survivor };
  return null;
}

/**
 * Puts back what a merge changed, in one transaction: the merged records with their ids, fields,
 * phones and tags; the survivor as it was; each order, interaction, occurrence and coupon with the
 * record it came from (those deleted since stay deleted; those added to the survivor since stay
 * with it); the occurrences the merge deleted, and their coupons' link to them.
 */
export function undoMerge(db: Db, m: MergeRecord, now: string): void {
  transaction(db, () => {
    const before = JSON.parse(stmt(db, 'SELECT before FROM merges WHERE id = ?').pluck().get(m.id) as string) as BeforeImage;
    const ids = before.customers.map((c) => c.id as number);
    // An image keeps the columns of its day: those dropped since (the rfm_* of schema 3) are skipped.
    const existing = new Set((db.pragma('table_info(customers)') as { name: string }[]).map((c) => c.name));
    for (const c of before.customers) {
      const columns = Object.keys(c).filter((k) => !DERIVED.has(k) && existing.has(k));
      if (c.id === m.survivorId) {
        stmt(db, `UPDATE customers SET ${columns.filter((k) => k !== 'id').map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run(pick(c, columns));
      } else {
        stmt(db, `INSERT INTO customers (${columns.join(', ')}) VALUES (${columns.map((k) => `@${k}`).join(', ')})`).run(pick(c, columns));
      }
    }
    for (const id of ids) {
      stmt(db, 'DELETE FROM customer_phones WHERE customer_id = ?').run(id);
      stmt(db, 'DELETE FROM customer_tags WHERE customer_id = ?').run(id);
    }
    for (const p of before.phones) stmt(db, 'INSERT INTO customer_phones (customer_id, phone, raw, position) VALUES (@customer_id, @phone, @raw, @position)').run(p);
    for (const t of before.tags) stmt(db, 'INSERT INTO customer_tags (customer_id, tag) VALUES (@customer_id, @tag)').run(t);
    for (const table of LINK_TABLES) {
      for (const [owner, rows] of Object.entries(before.links[table] ?? {})) {
        const move = stmt(db, `UPDATE ${table} SET customer_id = ? WHERE ${LINKS[table]} = ? AND customer_id = ?`);
        for (const row of rows) move.run(Number(owner), row, m.survivorId);
      }
    }
    restoreOccurrences(db, before);
    // Saved scores come back only if no save has replaced them since (a later save knew nothing of the merged records).
    const sameSave = (key: 'rfm_saved' | 'clv_saved', then: string | null | undefined) => then === undefined || then === currentSave(db, key);
    const rfmRows = sameSave('rfm_saved', before.saves?.rfm) ? (before.rfm ?? []) : [];
    const clvRows = sameSave('clv_saved', before.saves?.clv) ? (before.clv ?? []) : [];
    for (const r of rfmRows) stmt(db, 'INSERT OR REPLACE INTO customer_rfm (customer_id, r, f, m, segment) VALUES (@customer_id, @r, @f, @m, @segment)').run(r);
    for (const r of clvRows) {
      stmt(db, 'INSERT OR REPLACE INTO customer_clv (customer_id, p_alive, purchases, spend, clv, value_class) VALUES (@customer_id, @p_alive, @purchases, @spend, @clv, @value_class)').run(r);
    }
    for (const id of ids) reindex(db, id, getCustomer(db, id)!);
    stmt(db, 'UPDATE merges SET undone_at = ? WHERE id = ?').run(now, m.id);
  });
}

/** The occurrences a merge deleted (their records are back), and the links of their coupons that are still unlinked. */
function restoreOccurrences(db: Db, before: BeforeImage): void {
  const occurrences = before.occurrences ?? [];
  if (occurrences.length === 0) return;
  const columns = Object.keys(occurrences[0]!);
  const insert = stmt(db, `INSERT INTO occurrences (${columns.join(', ')}) VALUES (${columns.map((k) => `@${k}`).join(', ')})`);
  for (const o of occurrences) insert.run(o);
  const relink = stmt(db, 'UPDATE coupons SET occurrence_id = @occurrence_id WHERE code = @code AND occurrence_id IS NULL');
  for (const c of before.occurrenceCoupons ?? []) relink.run(c);
}

function pick(row: Record<string, unknown>, columns: string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((k) => [k, row[k]]));
}
