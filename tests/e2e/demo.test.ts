import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

interface Row {
  id: number;
  name: string;
  phone: string[];
  orders: number;
  spend: string;
}

describe('crm demo', () => {
  it('creates a shop with customers, orders and interactions and prints its overview', () => {
    const db = tempDb();
    const r = crm(['demo', '--customers', '300', '--seed', '7'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Demo shop\n300 customers, [\d,]+ orders, ¥[\d,.]+ revenue, [\d,]+ interactions in /);
    expect(r.stdout).toContain('Top customers by spend');
    const customers = crmJson<Row[]>(['customer', 'list'], { db });
    expect(customers).toHaveLength(300);
    expect(customers.some((c) => /^[\u4e00-\u9fff]{2,4}$/.test(c.name))).toBe(true);
    expect(customers.some((c) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(c.name))).toBe(true);
    expect(crmJson<unknown[]>(['order', 'list'], { db }).length).toBeGreaterThan(600);
    expect(crmJson<unknown[]>(['log', 'list'], { db }).length).toBeGreaterThan(50);
    expect(crmJson<unknown[]>(['tag', 'list'], { db }).length).toBeGreaterThan(3);
  });

  it('is the same shop for the same seed, another for another seed', () => {
    const [a, b, c] = [tempDb(), tempDb(), tempDb()];
    crm(['demo', '--customers', '200', '--seed', '3'], { db: a });
    crm(['demo', '--customers', '200', '--seed', '3'], { db: b });
    crm(['demo', '--customers', '200', '--seed', '4'], { db: c });
    const dump = (db: string) => crm(['customer', 'list', '--format', 'csv'], { db }).stdout + crm(['order', 'list', '--format', 'csv'], { db }).stdout;
    expect(dump(a)).toBe(dump(b));
    expect(dump(a)).not.toBe(dump(c));
  });

  it('writes a large shop in bulk with every customer total, index and trigger as a small one has them', () => {
    const [big, small] = [tempDb(), tempDb()];
    expect(crm(['demo', '--customers', '10000', '--seed', '2'], { db: big }).code).toBe(0); // 10,000: the bulk path
    crm(['demo', '--customers', '20'], { db: small });
    const h = new Database(big, { readonly: true });
    const wrong = h
      .prepare(
        `SELECT count(*) FROM customers c LEFT JOIN (SELECT customer_id, count(*) n, sum(amount) s, min(day) f, max(day) l FROM orders GROUP BY customer_id) o ON o.customer_id = c.id
          WHERE c.order_count IS NOT coalesce(o.n, 0) OR c.order_total IS NOT coalesce(o.s, 0) OR c.first_order_day IS NOT o.f OR c.last_order_day IS NOT o.l`,
      )
      .pluck()
      .get();
    expect(wrong).toBe(0);
    expect(h.prepare('SELECT count(*) FROM orders').pluck().get()).toBeGreaterThan(50_000);
    expect(h.prepare('SELECT count(*) FROM orders WHERE created_at != ordered_at').pluck().get()).toBe(0);
    const schema = (db: Database.Database) => db.prepare("SELECT name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name").all();
    const s = new Database(small, { readonly: true });
    expect(schema(h)).toEqual(schema(s));
    h.close();
    s.close();
  });

  it('refuses to overwrite a database with customers unless --force', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'Mine'], { db });
    const r = crm(['demo', '--customers', '50'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already holds 1 customers');
    expect(crmJson<Row[]>(['customer', 'list'], { db }).map((c) => c.name)).toEqual(['Mine']);
    expect(crm(['demo', '--customers', '50', '--force'], { db }).code).toBe(0);
    const after = crmJson<Row[]>(['customer', 'list'], { db });
    expect(after).toHaveLength(50);
    expect(after.map((c) => c.name)).not.toContain('Mine');
  });
});
