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
