// Coupons in the store: the secret made once, serials inside the caller's transaction, redeeming
// once, and a merge (and its undo) carrying coupons and reminder occurrences.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCustomerInput } from '../../src/core/customer.js';
import { mergedFields } from '../../src/core/merge.js';
import { couponByCode, couponSecret, issueCoupon, listCoupons, redeemCoupon } from '../../src/store/coupon.js';
import { getCustomer, getCustomers, insertCustomer } from '../../src/store/customer.js';
import { openDatabase, transaction, type Db } from '../../src/store/db.js';
import { getMerge, mergeCustomers, undoMerge } from '../../src/store/dedupe.js';
import { insertOrder } from '../../src/store/order.js';
import { tempDir } from '../helpers/crm.js';

const NOW = '2026-11-22T02:00:00.000Z';
const spec = { kind: 'amount', value: 2000, minSpend: 0, expiresOn: '2026-12-22', issuedAt: NOW } as const;

function shop() {
  const file = path.join(tempDir(), 'store.db');
  return { file, db: openDatabase(file) };
}

/** An occurrence row as the reminder engine writes it (its store is not on this branch). */
function occurrence(db: Db, customerId: number, rule: string, occasion: string, status = 'sent'): number {
  return Number(
    db
      .prepare(
        `INSERT INTO occurrences (rule, customer_id, occasion, due_at, template, channel, status, delivery_id, created_at)
         VALUES (?, ?, ?, ?, 'birthday', 'outbox', ?, ?, ?)`,
      )
      .run(rule, customerId, occasion, NOW, status, `${rule}/${customerId}/${occasion}`, NOW).lastInsertRowid,
  );
}

const occurrencesOf = (db: Db) =>
  db.prepare('SELECT id, customer_id AS customerId, rule, occasion, status FROM occurrences ORDER BY id').all() as { id: number; customerId: number; rule: string; occasion: string; status: string }[];
const ownersOf = (db: Db) => Object.fromEntries(listCoupons(db, { today: '2026-11-22' }).map((c) => [c.code, [c.customerId, c.occurrenceId]]));

describe('the coupon store', () => {
  it('makes the secret once and keeps it, apart from the settings crm config shows', () => {
    const { file, db } = shop();
    const secret = couponSecret(db);
    expect(secret).toHaveLength(32);
    db.close();
    expect(couponSecret(openDatabase(file)).equals(secret)).toBe(true);
  });

  it('numbers coupons one above the highest, and a caller that rolls back leaves none', () => {
    const { db } = shop();
    const id = insertCustomer(db, parseCustomerInput({ name: 'A' }, { country: 'CN' }), NOW);
    const first = issueCoupon(db, { customerId: id, ...spec });
    const second = transaction(db, () => issueCoupon(db, { customerId: id, occurrenceId: null, rule: 'birthday', ...spec }));
    expect([first.serial, second.serial]).toEqual([1, 2]);
    expect(first.code).not.toBe(second.code);
    expect(() =>
      transaction(db, () => {
        issueCoupon(db, { customerId: id, ...spec });
        throw new Error('the message could not be rendered');
      }),
    ).toThrow();
    expect(issueCoupon(db, { customerId: id, ...spec }).serial).toBe(3);
    expect(couponByCode(db, second.code)).toMatchObject({ serial: 2, rule: 'birthday', customerName: 'A', redeemedAt: null });
  });

  it('redeems a coupon once', () => {
    const { db } = shop();
    const id = insertCustomer(db, parseCustomerInput({ name: 'A' }, { country: 'CN' }), NOW);
    const order = insertOrder(db, { customerId: id, externalId: null, amount: 5000, orderedAt: NOW, day: '2026-11-22', note: null }, NOW);
    const c = issueCoupon(db, { customerId: id, ...spec });
    expect(redeemCoupon(db, c.code, order, NOW)).toBe(true);
    expect(redeemCoupon(db, c.code, order, '2026-11-23T02:00:00.000Z')).toBe(false);
    expect(couponByCode(db, c.code)).toMatchObject({ redeemedAt: NOW, orderId: order });
    expect(listCoupons(db, { today: '2026-11-22', status: 'redeemed' }).map((k) => k.code)).toEqual([c.code]);
    expect(listCoupons(db, { today: '2026-11-22', status: 'issued' })).toEqual([]);
  });

  it('moves coupons and occurrences with a merge, keeps the survivor\'s occurrence of a shared occasion, and undo puts all back', () => {
    const { db } = shop();
    const add = (name: string) => insertCustomer(db, parseCustomerInput({ name }, { country: 'CN' }), NOW);
    const [survivor, other] = [add('张伟'), add('张伟 (微信)')];
    const kept = occurrence(db, survivor, 'birthday', 'birthday:2026');
    const clash = occurrence(db, other, 'birthday', 'birthday:2026');
    const moved = occurrence(db, other, 'welcome', 'welcome', 'pending');
    const survivorCoupon = issueCoupon(db, { customerId: survivor, occurrenceId: kept, rule: 'birthday', ...spec });
    const clashCoupon = issueCoupon(db, { customerId: other, occurrenceId: clash, rule: 'birthday', ...spec });
    const movedCoupon = issueCoupon(db, { customerId: other, occurrenceId: moved, rule: 'welcome', ...spec });
    const before = { occurrences: occurrencesOf(db), coupons: ownersOf(db) };

    const [s, o] = getCustomers(db, [survivor, other]);
    const merge = mergeCustomers(db, survivor, [other], mergedFields(s!, [o!]), 'manual', null, NOW);
    expect(getCustomer(db, other)).toBeNull();
    expect(occurrencesOf(db)).toEqual([
      { id: kept, customerId: survivor, rule: 'birthday', occasion: 'birthday:2026', status: 'sent' },
      { id: moved, customerId: survivor, rule: 'welcome', occasion: 'welcome', status: 'pending' },
    ]);
    // Every coupon is the survivor's now; the one issued with the clashing occurrence lost only that link.
    expect(ownersOf(db)).toEqual({
      [survivorCoupon.code]: [survivor, kept],
      [clashCoupon.code]: [survivor, null],
      [movedCoupon.code]: [survivor, moved],
    });

    // A coupon issued to the survivor after the merge stays with it.
    const later = issueCoupon(db, { customerId: survivor, ...spec });
    undoMerge(db, getMerge(db, merge)!, NOW);
    expect(occurrencesOf(db)).toEqual(before.occurrences);
    expect(ownersOf(db)).toEqual({ ...before.coupons, [later.code]: [survivor, null] });
  });

  it('keeps the first merged record\'s occurrence when two merged records share one the survivor lacks', () => {
    const { db } = shop();
    const add = (name: string) => insertCustomer(db, parseCustomerInput({ name }, { country: 'CN' }), NOW);
    const [survivor, a, b] = [add('S'), add('A'), add('B')];
    const first = occurrence(db, a, 'holiday', 'holiday:spring_festival:2027');
    occurrence(db, b, 'holiday', 'holiday:spring_festival:2027');
    const all = getCustomers(db, [survivor, a, b]);
    const merge = mergeCustomers(db, survivor, [a, b], mergedFields(all[0]!, all.slice(1)), 'auto', 0.99, NOW);
    expect(occurrencesOf(db).map((r) => [r.id, r.customerId])).toEqual([[first, survivor]]);
    undoMerge(db, getMerge(db, merge)!, NOW);
    expect(occurrencesOf(db).map((r) => r.customerId)).toEqual([a, b]);
  });
});
