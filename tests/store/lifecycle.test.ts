// Every customer's purchase days as store/lifecycle.ts reads them: one row per customer, the days
// as a list of day numbers parsed here; in two ranges of ids, the same as in one.
import { describe, expect, it } from 'vitest';
import { dayNumber, eachHistory, purchaseDays } from '../../src/core/lifecycle.js';
import { openDatabase } from '../../src/store/db.js';
import { purchaseHistories, purchaseHistoriesIn } from '../../src/store/lifecycle.js';

describe('purchase histories', () => {
  it('are each customer’s distinct days in order, before 1970 too, and two ranges make the whole', async () => {
    const db = openDatabase(':memory:');
    const now = '2026-01-01T00:00:00.000Z';
    const addCustomer = db.prepare("INSERT INTO customers (name, name_key, created_at, updated_at) VALUES ('x', 'x', ?, ?)");
    const addOrder = db.prepare('INSERT INTO orders (customer_id, amount, ordered_at, day, created_at) VALUES (?, 1, ?, ?, ?)');
    for (let c = 1; c <= 40; c++) addCustomer.run(now, now);
    const want = new Map<number, string[]>();
    let seed = 11;
    for (let i = 0; i < 600; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const r = seed >>> 8;
      const day = new Date(Date.UTC(1968, 0, 1) + (r % 25_000) * 86_400_000).toISOString().slice(0, 10);
      const c = 1 + ((r >>> 4) % 37); // 38-40 have no orders
      for (let k = 0; k < 1 + (r % 3); k++) addOrder.run(c, `${day}T02:00:00.000Z`, day, now); // the same day up to three times
      if (day <= '2030-06-30') want.set(c, [...(want.get(c) ?? []), day]);
    }
    const seen = new Map<number, number[]>();
    eachHistory(await purchaseHistories(db, '2030-06-30'), (id, days) => seen.set(id, [...days]));
    expect([...seen.keys()]).toEqual([...want.keys()].sort((a, b) => a - b));
    for (const [id, days] of want) expect(seen.get(id)).toEqual(purchaseDays(days));
    expect(Math.min(...[...seen.values()].flat())).toBeLessThan(dayNumber('1970-01-01')); // days before 1970 are negative
    const halves = [purchaseHistoriesIn(db, { upTo: '2030-06-30', from: null, to: 20 }), purchaseHistoriesIn(db, { upTo: '2030-06-30', from: 21, to: null })];
    const again = new Map<number, number[]>();
    eachHistory(halves, (id, days) => again.set(id, [...days]));
    expect(again).toEqual(seen);
  });
});
