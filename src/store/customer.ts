// All SQL about customers: the record, its phones, tags and custom fields, the search index,
// lookups by ref (./customer-lookups.ts, re-exported here), and listings.
import type { Customer, CustomerFields, Gender, Phone } from '../core/customer.js';
import { fieldsOf } from '../core/fields.js';
import { searchDocument, type SearchDocument, type SearchPlan } from '../core/search.js';
import { nameKey } from '../core/text.js';
import { findCustomerIds } from './customer-lookups.js';
import { stmt, type Db } from './db.js';

// Re-exported, so callers keep importing everything about customers from this module.
export { bulkLoadLookups, customerKeyLookups, findCustomerIds, indexedLookups, keylessCustomerIds, memoryKeyLookups, type KeyLookups } from './customer-lookups.js';

interface CustomerRow {
  id: number;
  name: string;
  name_raw: string | null;
  email: string | null;
  email_raw: string | null;
  gender: Gender | null;
  birthday: string | null;
  birthday_lunar: number;
  city: string | null;
  address: string | null;
  external_id: string | null;
  note: string | null;
  fields: string;
  do_not_contact: number;
  marketing_opt_out: number;
  birthday_leap: number;
  tier: string | null;
  order_count: number;
  order_total: number;
  first_order_day: string | null;
  last_order_day: string | null;
  created_at: string;
  updated_at: string;
}

function toParams(f: CustomerFields) {
  return {
    name: f.name,
    name_raw: f.nameRaw,
    name_key: nameKey(f.name),
    email: f.email,
    email_raw: f.emailRaw,
    gender: f.gender,
    birthday: f.birthday,
    birthday_lunar: f.birthdayLunar ? 1 : 0,
    city: f.city,
    address: f.address,
    external_id: f.externalId,
    note: f.note,
    fields: JSON.stringify(f.fields),
    do_not_contact: f.doNotContact ? 1 : 0,
    // Written only when the caller says (an import's record without them keeps what is stored).
    marketing_opt_out: f.marketingOptOut === undefined ? null : f.marketingOptOut ? 1 : 0,
    birthday_leap: f.birthdayLeap === undefined ? null : f.birthdayLeap ? 1 : 0,
  };
}

function insertPhonesAndTags(db: Db, id: number, f: CustomerFields): void {
  f.phones.forEach((p, i) => stmt(db, 'INSERT INTO customer_phones (customer_id, phone, raw, position) VALUES (?, ?, ?, ?)').run(id, p.e164, p.raw, i));
  for (const t of f.tags) stmt(db, 'INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)').run(id, t);
}

function writePhonesTagsAndIndex(db: Db, id: number, f: CustomerFields): void {
  stmt(db, 'DELETE FROM customer_phones WHERE customer_id = ?').run(id);
  stmt(db, 'DELETE FROM customer_tags WHERE customer_id = ?').run(id);
  insertPhonesAndTags(db, id, f);
  reindex(db, id, f);
}

/** Writes a customer's search entry again (after an edit, or when a merge is undone). */
export function reindex(db: Db, id: number, f: Pick<CustomerFields, 'name' | 'phones' | 'email' | 'externalId' | 'note' | 'tags' | 'fields'>): void {
  const doc = searchDocument(f);
  stmt(db, 'INSERT OR REPLACE INTO customer_search (rowid, name, contact, body) VALUES (?, ?, ?, ?)').run(id, doc.name, doc.contact, doc.body);
}

function insertRow(db: Db, f: CustomerFields, now: string, id: number | null = null): number {
  // Positional parameters: the bulk paths insert a million of these, and binding by name costs more.
  const info = stmt(
    db,
    `INSERT INTO customers (id, name, name_raw, name_key, email, email_raw, gender, birthday, birthday_lunar, city, address,
       external_id, note, fields, do_not_contact, marketing_opt_out, birthday_leap, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    f.name,
    f.nameRaw,
    nameKey(f.name),
    f.email,
    f.emailRaw,
    f.gender,
    f.birthday,
    f.birthdayLunar ? 1 : 0,
    f.city,
    f.address,
    f.externalId,
    f.note,
    JSON.stringify(f.fields),
    f.doNotContact ? 1 : 0,
    f.marketingOptOut ? 1 : 0,
    f.birthdayLeap ? 1 : 0,
    now,
    now,
  );
  return Number(info.lastInsertRowid);
}

/**
 * Inserts a customer; `createdAt` is the creation time (UTC ISO); `id` a wanted id that no customer
 * has (crm's own export read back). Returns the new id. A new id is in no search entry, so its
 * entry is a plain INSERT: FTS5 gathers those in memory and writes them in large segments, where
 * INSERT OR REPLACE would make it look the id up at every row (a million-row import: 1.3× the time).
 * `doc` is the search text when the caller has it already (an import computes it on its reader thread).
 */
export function insertCustomer(db: Db, f: CustomerFields, createdAt: string, id: number | null = null, doc: SearchDocument = searchDocument(f)): number {
  const newId = insertRow(db, f, createdAt, id);
  insertPhonesAndTags(db, newId, f);
  stmt(db, 'INSERT INTO customer_search (rowid, name, contact, body) VALUES (?, ?, ?, ?)').run(newId, doc.name, doc.contact, doc.body);
  return newId;
}

export function updateCustomer(db: Db, id: number, f: CustomerFields, now: string): void {
  stmt(
    db,
    `UPDATE customers SET name = @name, name_raw = @name_raw, name_key = @name_key, email = @email, email_raw = @email_raw, gender = @gender,
       birthday = @birthday, birthday_lunar = @birthday_lunar, city = @city, address = @address,
       external_id = @external_id, note = @note, fields = @fields, do_not_contact = @do_not_contact,
       marketing_opt_out = coalesce(@marketing_opt_out, marketing_opt_out), birthday_leap = coalesce(@birthday_leap, birthday_leap), updated_at = @now
     WHERE id = @id`,
  ).run({ ...toParams(f), now, id });
  writePhonesTagsAndIndex(db, id, f);
}

/** Deletes a customer with their orders, interactions, phones and tags. */
export function deleteCustomer(db: Db, id: number): void {
  stmt(db, 'DELETE FROM customer_search WHERE rowid = ?').run(id);
  stmt(db, 'DELETE FROM customers WHERE id = ?').run(id);
}

/** Empties the customer book (orders and interactions go with it); settings stay. */
export function deleteAllCustomers(db: Db): void {
  db.exec("DELETE FROM customers; INSERT INTO customer_search (customer_search) VALUES ('delete-all');");
}

export function countCustomers(db: Db): number {
  return (stmt(db, 'SELECT count(*) AS n FROM customers').get() as { n: number }).n;
}

/** Loads full customers (with phones and tags) for ids, in the order given. */
export function getCustomers(db: Db, ids: number[]): Customer[] {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const rows = stmt(db, 'SELECT * FROM customers WHERE id IN (SELECT value FROM json_each(?))').all(json) as CustomerRow[];
  const phones = new Map<number, Phone[]>();
  for (const p of stmt(db, 'SELECT customer_id, phone, raw FROM customer_phones WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, position').all(json) as {
    customer_id: number;
    phone: string;
    raw: string | null;
  }[]) {
    let list = phones.get(p.customer_id);
    if (!list) phones.set(p.customer_id, (list = []));
    list.push({ e164: p.phone, raw: p.raw });
  }
  const tags = new Map<number, string[]>();
  for (const t of stmt(db, 'SELECT customer_id, tag FROM customer_tags WHERE customer_id IN (SELECT value FROM json_each(?)) ORDER BY customer_id, tag').all(json) as {
    customer_id: number;
    tag: string;
  }[]) {
    let list = tags.get(t.customer_id);
    if (!list) tags.set(t.customer_id, (list = []));
    list.push(t.tag);
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toCustomer(r, phones.get(id) ?? [], tags.get(id) ?? [])] : [];
  });
}

export function getCustomer(db: Db, id: number): Customer | null {
  return getCustomers(db, [id])[0] ?? null;
}

function toCustomer(r: CustomerRow, phones: Phone[], tags: string[]): Customer {
  return {
    id: r.id,
    name: r.name,
    nameRaw: r.name_raw,
    phones,
    email: r.email,
    emailRaw: r.email_raw,
    gender: r.gender,
    birthday: r.birthday,
    birthdayLunar: r.birthday_lunar === 1,
    city: r.city,
    address: r.address,
    externalId: r.external_id,
    note: r.note,
    tags,
    fields: fieldsOf(JSON.parse(r.fields) as Record<string, string>),
    doNotContact: r.do_not_contact === 1,
    marketingOptOut: r.marketing_opt_out === 1,
    birthdayLeap: r.birthday_leap === 1,
    tier: r.tier,
    orderCount: r.order_count,
    orderTotal: r.order_total,
    firstOrderDay: r.first_order_day,
    lastOrderDay: r.last_order_day,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Customers with one of these phones or this email (likely duplicates of a new record). */
export function customersSharingContact(db: Db, f: Pick<CustomerFields, 'phones' | 'email'>): Customer[] {
  const ids = new Set<number>();
  for (const p of f.phones) for (const id of findCustomerIds(db, { kind: 'phone', e164: p.e164 })) ids.add(id);
  if (f.email) for (const id of findCustomerIds(db, { kind: 'email', email: f.email })) ids.add(id);
  return getCustomers(db, [...ids].sort((a, b) => a - b));
}

export const CUSTOMER_SORTS = {
  id: 'c.id',
  name: 'c.name, c.id',
  created: 'c.created_at DESC, c.id DESC',
  updated: 'c.updated_at DESC, c.id DESC',
  spend: 'c.order_total DESC, c.id',
  orders: 'c.order_count DESC, c.id',
  'last-order': 'c.last_order_day DESC NULLS LAST, c.id',
  // As last saved by crm clv --save: highest CLV first; least likely alive first (whom to win back).
  clv: '(SELECT v.clv FROM customer_clv v WHERE v.customer_id = c.id) DESC NULLS LAST, c.id',
  alive: '(SELECT v.p_alive FROM customer_clv v WHERE v.customer_id = c.id) ASC NULLS LAST, c.id',
} as const;
export type CustomerSort = keyof typeof CUSTOMER_SORTS;

export interface CustomerFilter {
  /** Customers carrying every one of these tags. */
  tags?: string[];
  /** City equal to, or starting with, this text (上海 finds 上海市). */
  city?: string;
  /** Created at or after this instant (UTC ISO). */
  since?: string;
  /** In this RFM segment, as last saved by crm rfm --save. */
  segment?: string;
  /** At this member level (crm tier apply). */
  tier?: string;
  /** Of this ABC class, as last saved by crm tier abc --save. */
  abc?: string;
  /** Of this value class, as last saved by crm clv --save. */
  valueClass?: string;
  /** Only these customers (a set worked out elsewhere, such as a lifecycle stage). */
  ids?: number[];
  /** Only the contacts without a name yet (imported from a phone or email alone). */
  unnamed?: boolean;
  sort?: CustomerSort;
  limit?: number | null;
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE clause of a customer filter, over customers aliased c (listings and exports). */
export function customerWhere(filter: CustomerFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const where = (clause: string, value: unknown) => {
    clauses.push(clause);
    params.push(value);
  };
  for (const tag of filter.tags ?? []) where('c.id IN (SELECT customer_id FROM customer_tags WHERE tag = ?)', tag);
  if (filter.city) where("c.city LIKE ? ESCAPE '\\'", `${escapeLike(filter.city)}%`);
  if (filter.since) where('c.created_at >= ?', filter.since);
  if (filter.segment) where('c.id IN (SELECT customer_id FROM customer_rfm WHERE segment = ?)', filter.segment);
  if (filter.tier !== undefined) where('c.tier = ? COLLATE NOCASE', filter.tier);
  if (filter.abc !== undefined) where('c.abc_class = ?', filter.abc);
  if (filter.valueClass !== undefined) where('c.id IN (SELECT customer_id FROM customer_clv WHERE value_class = ?)', filter.valueClass);
  if (filter.ids !== undefined) where('c.id IN (SELECT value FROM json_each(?))', JSON.stringify(filter.ids));
  if (filter.unnamed) where("c.name = ?", '');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

export function listCustomers(db: Db, filter: CustomerFilter): Customer[] {
  const { where, params } = customerWhere(filter);
  const order = CUSTOMER_SORTS[filter.sort ?? 'id'];
  const limit = filter.limit ?? -1;
  const ids = (db.prepare(`SELECT c.id FROM customers c ${where} ORDER BY ${order} LIMIT ?`).all(...params, limit) as { id: number }[]).map(
    (r) => r.id,
  );
  return getCustomers(db, ids);
}

export function countMatchingCustomers(db: Db, filter: CustomerFilter): number {
  const { where, params } = customerWhere(filter);
  return (db.prepare(`SELECT count(*) AS n FROM customers c ${where}`).get(...params) as { n: number }).n;
}

/**
 * Search, best first: exact phone, email or name; then names starting with the text (an index
 * range scan); then full-text matches ranked by bm25 (name weighs most, then contact, then the rest).
 */
export function searchCustomers(db: Db, plan: SearchPlan, limit: number): Customer[] {
  const found: number[] = [];
  const seen = new Set<number>();
  const add = (rows: { id: number }[]) => {
    for (const r of rows) if (!seen.has(r.id) && found.length < limit) (seen.add(r.id), found.push(r.id));
  };
  if (plan.phone) add(stmt(db, 'SELECT DISTINCT customer_id AS id FROM customer_phones WHERE phone = ? ORDER BY customer_id LIMIT ?').all(plan.phone, limit) as { id: number }[]);
  if (plan.email) add(stmt(db, 'SELECT id FROM customers WHERE email = ? ORDER BY id LIMIT ?').all(plan.email, limit) as { id: number }[]);
  if (plan.name) add(stmt(db, 'SELECT id FROM customers WHERE name_key = ? ORDER BY id LIMIT ?').all(nameKey(plan.name), limit) as { id: number }[]);
  if (plan.namePrefix && found.length < limit) {
    add(stmt(db, 'SELECT id FROM customers WHERE name >= ? AND name < ? ORDER BY name, id LIMIT ?').all(plan.namePrefix, `${plan.namePrefix}\u{10FFFF}`, limit) as { id: number }[]);
  }
  // A whole phone or email that hits is the answer; its pieces would only add noise.
  const exactContact = found.length > 0 && (plan.phone !== null || plan.email !== null);
  if (plan.match && found.length < limit && !exactContact) {
    add(
      stmt(db, 'SELECT rowid AS id FROM customer_search WHERE customer_search MATCH ? ORDER BY bm25(customer_search, 10.0, 5.0, 1.0) LIMIT ?').all(
        plan.match,
        limit + found.length,
      ) as { id: number }[],
    );
  }
  return getCustomers(db, found);
}

export function addTags(db: Db, id: number, tags: string[], now: string): number {
  let added = 0;
  for (const t of tags) added += stmt(db, 'INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)').run(id, t).changes;
  if (added > 0) touchAndReindex(db, id, now);
  return added;
}

export function removeTags(db: Db, id: number, tags: string[], now: string): number {
  let removed = 0;
  for (const t of tags) removed += stmt(db, 'DELETE FROM customer_tags WHERE customer_id = ? AND tag = ?').run(id, t).changes;
  if (removed > 0) touchAndReindex(db, id, now);
  return removed;
}

function touchAndReindex(db: Db, id: number, now: string): void {
  stmt(db, 'UPDATE customers SET updated_at = ? WHERE id = ?').run(now, id);
  const c = getCustomer(db, id);
  if (c) reindex(db, id, c);
}

export function tagCounts(db: Db): { tag: string; customers: number }[] {
  return stmt(db, 'SELECT tag, count(*) AS customers FROM customer_tags GROUP BY tag COLLATE NOCASE ORDER BY customers DESC, tag').all() as {
    tag: string;
    customers: number;
  }[];
}

/** id -> name for these customers (listings that show a name beside an id). */
export function customerNames(db: Db, ids: number[]): [number, string][] {
  return stmt(db, 'SELECT id, name FROM customers WHERE id IN (SELECT value FROM json_each(?))').raw().all(JSON.stringify(ids)) as [number, string][];
}
