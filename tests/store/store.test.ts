// The store on a temporary database with the migrations applied.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCustomerInput } from '../../src/core/customer.js';
import { planSearch } from '../../src/core/search.js';
import { deleteCustomer, getCustomer, insertCustomer, listCustomers, searchCustomers, updateCustomer } from '../../src/store/customer.js';
import { deferIndexes, LISTING_INDEXES, LOOKUP_INDEXES, openDatabase, SCHEMA_VERSION, transaction } from '../../src/store/db.js';
import { deleteOrder, insertOrder } from '../../src/store/order.js';
import { tempDir } from '../helpers/crm.js';

const NOW = '2026-11-22T02:00:00.000Z';
const fields = (name: string, extra: Parameters<typeof parseCustomerInput>[0] = {}) => parseCustomerInput({ name, ...extra }, { country: 'CN' });

function freshDb() {
  return openDatabase(path.join(tempDir(), 'store.db'));
}

describe('store', () => {
  it('migrates a new file to the current schema with foreign keys on', () => {
    const db = freshDb();
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('keeps order aggregates on the customer current as orders come and go', () => {
    const db = freshDb();
    const id = insertCustomer(db, fields('A'), NOW);
    const o1 = insertOrder(db, { customerId: id, externalId: null, amount: 1000, orderedAt: '2026-01-01T02:00:00Z', day: '2026-01-01', note: null }, NOW);
    insertOrder(db, { customerId: id, externalId: null, amount: 250, orderedAt: '2026-03-01T02:00:00Z', day: '2026-03-01', note: null }, NOW);
    expect(getCustomer(db, id)).toMatchObject({ orderCount: 2, orderTotal: 1250, firstOrderDay: '2026-01-01', lastOrderDay: '2026-03-01' });
    deleteOrder(db, o1);
    expect(getCustomer(db, id)).toMatchObject({ orderCount: 1, orderTotal: 250, firstOrderDay: '2026-03-01', lastOrderDay: '2026-03-01' });
  });

  it('writes all of a transaction or none of it', () => {
    const db = freshDb();
    expect(() =>
      transaction(db, () => {
        insertCustomer(db, fields('A'), NOW);
        insertOrder(db, { customerId: 999, externalId: null, amount: 1, orderedAt: NOW, day: '2026-11-22', note: null }, NOW); // no such customer
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(listCustomers(db, {})).toEqual([]);
  });

  it('allows two customers with the same phone (families, lists to dedupe later)', () => {
    const db = freshDb();
    insertCustomer(db, fields('A', { phones: ['13800138000'] }), NOW);
    insertCustomer(db, fields('B', { phones: ['+86 138 0013 8000'] }), NOW);
    expect(searchCustomers(db, planSearch('13800138000', 'CN'), 10).map((c) => c.name)).toEqual(['A', 'B']);
  });

  it('keeps the search index in step with updates and deletes', () => {
    const db = freshDb();
    const id = insertCustomer(db, fields('张伟', { note: '喜欢绿茶' }), NOW);
    expect(searchCustomers(db, planSearch('绿茶', 'CN'), 10).map((c) => c.id)).toEqual([id]);
    updateCustomer(db, id, { ...fields('张伟'), note: '喜欢咖啡' }, NOW);
    expect(searchCustomers(db, planSearch('绿茶', 'CN'), 10)).toEqual([]);
    expect(searchCustomers(db, planSearch('咖啡', 'CN'), 10).map((c) => c.id)).toEqual([id]);
    deleteCustomer(db, id);
    expect(searchCustomers(db, planSearch('咖啡', 'CN'), 10)).toEqual([]);
  });
});

describe('bulk loads', () => {
  const indexes = (db: ReturnType<typeof freshDb>) => db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all();

  it('builds deferred indexes again exactly as they were, and a rollback keeps them', () => {
    const db = freshDb();
    const before = indexes(db);
    db.exec('BEGIN IMMEDIATE');
    const rebuild = deferIndexes(db, [...LISTING_INDEXES, ...LOOKUP_INDEXES, 'orders_customer_day', 'orders_day']);
    expect(indexes(db).length).toBe(before.length - 10);
    insertCustomer(db, fields('A', { phones: ['13800138000'] }), NOW);
    rebuild();
    db.exec('COMMIT');
    expect(indexes(db)).toEqual(before);
    db.exec('BEGIN IMMEDIATE');
    deferIndexes(db, LISTING_INDEXES);
    db.exec('ROLLBACK');
    expect(indexes(db)).toEqual(before);
  });
});

describe('OrderLoad', () => {
  it('keeps the totals of customers whose ids are far apart (ids a file gave) without an array that long', async () => {
    const { OrderLoad } = await import('../../src/store/order.js');
    const db = openDatabase(':memory:');
    const now = '2026-01-01T00:00:00.000Z';
    const add = db.prepare("INSERT INTO customers (id, name, name_key, created_at, updated_at) VALUES (?, 'x', 'x', ?, ?)");
    for (const id of [3, 40_000_000, 49_999_999]) add.run(id, now, now);
    transaction(db, () => {
      const load = new OrderLoad(db, { expectedRows: 6, createdAt: now, byNumber: true });
      for (const [customerId, day, amount] of [[3, '2025-01-02', 100], [40_000_000, '2025-03-01', 250], [40_000_000, '2024-12-31', 50], [49_999_999, '2025-05-05', 7], [3, '2025-02-01', 1]] as const) {
        load.add({ customerId, externalId: `N${customerId}${day}`, amount, orderedAt: `${day}T02:00:00.000Z`, day, note: null });
      }
      expect(load.byNumber('N400000002025-03-01')).toMatchObject({ customerId: 40_000_000, amount: 250 });
      load.finish();
    });
    expect(db.prepare('SELECT id, order_count, order_total, first_order_day, last_order_day FROM customers ORDER BY id').all()).toEqual([
      { id: 3, order_count: 2, order_total: 101, first_order_day: '2025-01-02', last_order_day: '2025-02-01' },
      { id: 40_000_000, order_count: 2, order_total: 300, first_order_day: '2024-12-31', last_order_day: '2025-03-01' },
      { id: 49_999_999, order_count: 1, order_total: 7, first_order_day: '2025-05-05', last_order_day: '2025-05-05' },
    ]);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name IN ('orders_after_insert', 'orders_customer_day', 'orders_day', 'orders_external_id')").pluck().get()).toBe(4);
  });
});
