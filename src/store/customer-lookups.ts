// SQL that finds customers by a key: the ids a ref finds (crm id, phone, email, member number,
// name), and the import's look-ups by key, through the indexes or, during a bulk load into an empty
// book, from an in-memory key table. Re-exported by ./customers.ts.
import type { CustomerFields } from '../core/customer.js';
import type { RefLookup } from '../core/ref.js';
import { nameKey } from '../core/text.js';
import { stmt, type Db } from './db.js';
import { KeyTable } from './key-table.js';

/** The ids of the customers one ref lookup finds. */
export function findCustomerIds(db: Db, lookup: RefLookup): number[] {
  const ids = (sql: string, value: string | number) => (stmt(db, sql).all(value) as { id: number }[]).map((r) => r.id);
  switch (lookup.kind) {
    case 'id':
      return ids('SELECT id FROM customers WHERE id = ?', lookup.id);
    case 'phone':
      return ids('SELECT DISTINCT customer_id AS id FROM customer_phones WHERE phone = ? ORDER BY customer_id', lookup.e164);
    case 'email':
      return ids('SELECT id FROM customers WHERE email = ? ORDER BY id', lookup.email);
    case 'external':
      return ids('SELECT id FROM customers WHERE external_id = ? ORDER BY id', lookup.value);
    case 'name':
      return ids('SELECT id FROM customers WHERE name_key = ? ORDER BY id', nameKey(lookup.name));
  }
}

/** Customers with this name and no phone, email or member number (a keyless row's only match). */
export function keylessCustomerIds(db: Db, name: string): number[] {
  return (
    stmt(
      db,
      `SELECT id FROM customers c WHERE name_key = ? AND email IS NULL AND external_id IS NULL
         AND NOT EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id) ORDER BY id`,
    ).all(nameKey(name)) as { id: number }[]
  ).map((r) => r.id);
}

export interface KeyLookups {
  byExternalId(value: string): number[];
  byPhone(e164: string): number[];
  byEmail(email: string): number[];
  /** Customers with this name and no phone, email or member number. */
  keylessByName(name: string): number[];
  /** Tells the look-ups that a customer was written with these fields. */
  remember(id: number, f: CustomerFields): void;
}

/** Look-ups by key through the indexes. */
export function indexedLookups(db: Db): KeyLookups {
  return {
    byExternalId: (value) => findCustomerIds(db, { kind: 'external', value }),
    byPhone: (e164) => findCustomerIds(db, { kind: 'phone', e164 }),
    byEmail: (email) => findCustomerIds(db, { kind: 'email', email }),
    keylessByName: (name) => keylessCustomerIds(db, name),
    remember: () => {},
  };
}

/**
 * The look-ups a row that names its customer needs (core/import matchCustomer): an order, an
 * interaction or a survey answer matched to a customer by crm id, member number, phone, email or name.
 */
export function customerKeyLookups(db: Db) {
  const indexed = indexedLookups(db);
  return {
    customerById: (id: number) => findCustomerIds(db, { kind: 'id', id }).length > 0,
    customersByExternalId: indexed.byExternalId,
    customersByPhone: indexed.byPhone,
    customersByEmail: indexed.byEmail,
    customersByName: (name: string) => findCustomerIds(db, { kind: 'name', name }),
  };
}

/**
 * Look-ups by key for a bulk load into an empty book, with the look-up indexes dropped until the
 * rows are in (see deferIndexes): every customer there is one this load wrote and remembered, so
 * the candidates come from an in-memory KeyTable and each is checked by its id.
 */
export function bulkLoadLookups(db: Db, expectedRows: number): KeyLookups {
  const keys = new KeyTable(expectedRows * 2.5); // a phone, often a member number or an email
  const has = (sql: string, ...params: unknown[]) => stmt(db, sql).get(...params) !== undefined;
  return {
    byExternalId: (value) => keys.candidates(`x${value}`).filter((id) => has('SELECT 1 FROM customers WHERE id = ? AND external_id = ?', id, value)),
    byPhone: (e164) => keys.candidates(`p${e164}`).filter((id) => has('SELECT 1 FROM customer_phones WHERE customer_id = ? AND phone = ?', id, e164)),
    byEmail: (email) => keys.candidates(`e${email}`).filter((id) => has('SELECT 1 FROM customers WHERE id = ? AND email = ?', id, email)),
    keylessByName: (name) =>
      keys
        .candidates(`n${nameKey(name)}`)
        .filter((id) =>
          has(
            `SELECT 1 FROM customers c WHERE id = ? AND name_key = ? AND email IS NULL AND external_id IS NULL
               AND NOT EXISTS (SELECT 1 FROM customer_phones p WHERE p.customer_id = c.id)`,
            id,
            nameKey(name),
          ),
        ),
    remember(id, f) {
      if (f.externalId) keys.add(`x${f.externalId}`, id);
      for (const p of f.phones) keys.add(`p${p.e164}`, id);
      if (f.email) keys.add(`e${f.email}`, id);
      if (!f.externalId && !f.email && f.phones.length === 0) keys.add(`n${nameKey(f.name)}`, id);
    },
  };
}

/** Ids by key: one id, or the ids (ascending) when several customers share the key. */
type KeyMap = Map<string, number | number[]>;

function addKey(map: KeyMap, key: string, id: number): void {
  const had = map.get(key);
  if (had === undefined) map.set(key, id);
  else if (typeof had === 'number') {
    if (had !== id) map.set(key, had < id ? [had, id] : [id, had]);
  } else if (!had.includes(id)) {
    had.push(id);
    had.sort((a, b) => a - b);
  }
}

const idsOf = (map: KeyMap, key: string): number[] => {
  const had = map.get(key);
  return had === undefined ? [] : typeof had === 'number' ? [had] : had;
};

/** A phone in E.164 as the number its digits make (exact: at most 15 digits), or null. */
const phoneNumber = (e164: string): number | null => (/^\+\d{1,15}$/.test(e164) ? Number(e164.slice(1)) : null);

/**
 * The book's phones in memory: an open-addressing hash table of their numbers, with their
 * customers' ids beside (16 bytes a slot, where a Map of the strings takes ~100 a phone; one or
 * two cache misses a look-up, where a binary search over a million numbers took twenty), and the
 * few phones that are no plain number in a small map. Unlike store/key-table.ts (hashes of any
 * text, each candidate checked against the database), it holds the numbers themselves: an answer
 * needs no query.
 */
class PhoneKeys {
  private numbers: Float64Array;
  private ids: Float64Array;
  private size = 0;
  private readonly other: KeyMap = new Map();

  constructor(db: Db) {
    const n = (stmt(db, 'SELECT count(*) FROM customer_phones').pluck().get() as number) + 1024;
    let cap = 1024;
    while (cap < n * 2) cap *= 2;
    this.numbers = new Float64Array(cap);
    this.ids = new Float64Array(cap);
    for (const [phone, id] of stmt(db, 'SELECT phone, customer_id FROM customer_phones').raw().iterate() as IterableIterator<[string, number]>) this.add(phone, id);
  }

  add(e164: string, id: number): void {
    const num = phoneNumber(e164);
    if (num === null || num === 0) return addKey(this.other, e164, id);
    const mask = this.numbers.length - 1;
    let i = slotOf(num, mask);
    for (; this.numbers[i] !== 0; i = (i + 1) & mask) if (this.numbers[i] === num && this.ids[i] === id) return;
    this.numbers[i] = num;
    this.ids[i] = id;
    if (++this.size * 2 > this.numbers.length) this.grow();
  }

  lookup(e164: string): number[] {
    const num = phoneNumber(e164);
    if (num === null || num === 0) return idsOf(this.other, e164);
    const found: number[] = [];
    const mask = this.numbers.length - 1;
    for (let i = slotOf(num, mask); this.numbers[i] !== 0; i = (i + 1) & mask) if (this.numbers[i] === num) found.push(this.ids[i]!);
    return found.length > 1 ? found.sort((a, b) => a - b) : found;
  }

  private grow(): void {
    const [numbers, ids] = [this.numbers, this.ids];
    this.numbers = new Float64Array(numbers.length * 2);
    this.ids = new Float64Array(numbers.length * 2);
    this.size = 0;
    for (let i = 0; i < numbers.length; i++) if (numbers[i] !== 0) this.add(`+${numbers[i]}`, ids[i]!);
  }
}

/** A slot for a phone's number: its low and high digits mixed (numbers that differ in their last digits land apart). */
const slotOf = (num: number, mask: number) => (Math.imul((num % 1e9) ^ Math.floor(num / 1e9), 0x9e3779b1) >>> 0) & mask;

/**
 * The look-ups of customerKeyLookups for a load of many rows that only adds customers (an order
 * import creating buyers), without a query a row: each kind of key is read from the book into
 * memory the first time a row asks for it (a till's export that names buyers by phone loads only
 * the phones: a million in ~0.5 s, 16 MB), and `remember` adds the customers the load creates.
 * By name (rows that give nothing else) still asks the index.
 */
export function memoryKeyLookups(db: Db) {
  let ids: Set<number> | null = null;
  let phones: PhoneKeys | null = null;
  let external: KeyMap | null = null;
  let emails: KeyMap | null = null;
  const keyMap = (sql: string) => {
    const map: KeyMap = new Map();
    for (const [key, id] of stmt(db, sql).raw().iterate() as IterableIterator<[string, number]>) addKey(map, key, id);
    return map;
  };
  return {
    customerById: (id: number) => (ids ??= new Set(stmt(db, 'SELECT id FROM customers').pluck().all() as number[])).has(id),
    customersByExternalId: (value: string) => idsOf((external ??= keyMap('SELECT external_id, id FROM customers WHERE external_id IS NOT NULL')), value),
    customersByPhone: (e164: string) => (phones ??= new PhoneKeys(db)).lookup(e164),
    customersByEmail: (email: string) => idsOf((emails ??= keyMap('SELECT email, id FROM customers WHERE email IS NOT NULL')), email),
    customersByName: (name: string) => findCustomerIds(db, { kind: 'name', name }),
    remember(id: number, f: CustomerFields): void {
      ids?.add(id);
      if (f.externalId && external) addKey(external, f.externalId, id);
      for (const p of f.phones) phones?.add(p.e164, id);
      if (f.email && emails) addKey(emails, f.email, id);
    },
  };
}
