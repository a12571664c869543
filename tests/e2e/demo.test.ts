import { describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';

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
