// The RFM sums as store/rfm.ts reads them from a million orders on: two halves of the customers
// (this thread and a worker), joined, are the sums of all of them.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { joinColumns, rfmInputs, rfmRange } from '../../src/store/rfm.js';

describe('rfm sums in two halves', () => {
  it('are the sums of the whole, for an as-of day after the last order and before it', async () => {
    const db = openDatabase(':memory:');
    const now = '2026-01-01T00:00:00.000Z';
    const addCustomer = db.prepare("INSERT INTO customers (name, name_key, created_at, updated_at) VALUES ('x', 'x', ?, ?)");
    const addOrder = db.prepare('INSERT INTO orders (customer_id, amount, ordered_at, day, created_at) VALUES (?, ?, ?, ?, ?)');
    for (let c = 1; c <= 300; c++) addCustomer.run(now, now);
    let seed = 3;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const r = seed >>> 8;
      const day = new Date(Date.UTC(2024, 0, 1) + (r % 700) * 86_400_000).toISOString().slice(0, 10);
      addOrder.run(1 + ((r >>> 3) % 300), r % 10_000, `${day}T02:00:00.000Z`, day, now);
    }
    for (const asOf of ['2026-01-01', '2025-06-30']) {
      const latest = db.prepare('SELECT max(day) FROM orders').pluck().get() as string;
      const range = { asOf, windowStart: '2025-01-01', upToAsOf: latest > asOf };
      const whole = await rfmInputs(db, asOf, '2025-01-01'); // fewer than a million orders: one pass
      const halves = joinColumns(rfmRange(db, { ...range, from: 1, to: 150 }), rfmRange(db, { ...range, from: 151, to: 300 }));
      expect(halves).toEqual(whole);
      expect(whole.ids.length).toBeGreaterThan(250);
    }
  });
});
