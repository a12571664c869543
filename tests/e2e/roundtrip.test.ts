// A shop exported and imported into an empty database is the same shop; a real file of 5,000
// hand-typed records (FEBRL) and a 5 MB file go in whole.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, ROOT, tempDb, tempDir } from '../helpers/crm.js';

function table(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
}

const without = (rows: Record<string, string>[], ...keys: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !keys.includes(k))));

describe('export then import', () => {
  it('reproduces the same customers, tags, custom fields and orders', () => {
    const dir = tempDir();
    const [from, to] = [tempDb(), tempDb()];
    expect(crm(['demo', '--customers', '300', '--seed', '11'], { db: from }).code).toBe(0);
    crm(['customer', 'add', '--name', '=危险 名字', '--phone', '+86 138-0013-8000', '--email', ' Odd@Example.com ', '--note', 'two\nlines, "quoted"', '--field', '+1=-5'], { db: from });
    const out = (db: string, what: string, file: string, ...flags: string[]) => {
      const r = crm(['export', what, '--out', path.join(dir, file), ...flags], { db });
      expect(r.code, r.stderr).toBe(0);
      return path.join(dir, file);
    };
    const c1 = out(from, 'customers', 'c1.csv', '--excel');
    const o1 = out(from, 'orders', 'o1.csv', '--excel');
    const ic = crm(['import', 'customers', c1], { db: to });
    expect(ic.code, ic.stderr).toBe(0);
    const io = crm(['import', 'orders', o1], { db: to });
    expect(io.code, io.stderr).toBe(0);
    const i1 = out(from, 'interactions', 'i1.csv');
    const ii = crm(['import', 'interactions', i1], { db: to });
    expect(ii.code, ii.stderr).toBe(0);
    const c2 = out(to, 'customers', 'c2.csv', '--excel');
    const o2 = out(to, 'orders', 'o2.csv', '--excel');
    const i2 = out(to, 'interactions', 'i2.csv');
    // updated_at is when the import wrote the record; order ids are the new database's own.
    expect(without(table(c2), 'updated_at')).toEqual(without(table(c1), 'updated_at'));
    // Orders of the same moment may come back in another order (new ids break the tie).
    const sorted = (rows: Record<string, string>[]) => without(rows, 'id').sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(table(o2))).toEqual(sorted(table(o1)));
    expect(sorted(table(i2))).toEqual(sorted(table(i1)));
    expect(table(i1).length).toBeGreaterThan(0);
    expect(table(c1)).toHaveLength(301);
    // And importing the same files again changes nothing.
    expect(crm(['import', 'customers', c1], { db: to }).stdout).toContain('inserted 0, updated 0, unchanged 301');
    expect(crm(['import', 'orders', o1], { db: to }).stdout).toMatch(/inserted 0, updated 0, unchanged [\d,]+, skipped 0, rejected 0/);
    expect(crm(['import', 'interactions', i1], { db: to }).stdout).toMatch(/inserted 0, unchanged [\d,]+, refused 0/);
  });
});

describe('big and real files', () => {
  const febrl = path.resolve(ROOT, 'tests', 'fixtures', 'febrl', 'dataset3.csv');
  it('imports the FEBRL set (5,000 hand-typed records): names joined, addresses kept, ids as custom fields', () => {
    const db = tempDb();
    const r = crm(['import', 'customers', febrl, '--on-conflict', 'new', '--format', 'json', '--rejects', path.join(tempDir(), 'r.csv')], { db });
    const summary = JSON.parse(r.stdout) as { rows: number; inserted: number; rejected: number };
    expect(summary.rows).toBe(5000);
    expect(summary.inserted + summary.rejected).toBe(5000);
    expect(summary.rejected).toBeLessThan(50); // only dates of birth that are no dates (FEBRL's typos)
    const all = crmJson<Record<string, string>[]>(['customer', 'list'], { db });
    expect(all.length).toBe(summary.inserted);
    expect(all.every((c) => typeof c.soc_sec_id === 'string' || c.soc_sec_id === undefined)).toBe(true);
    expect(all.filter((c) => c.rec_id).length).toBe(all.length);
    const one = all.find((c) => c.rec_id === 'rec-1496-org');
    expect(one).toBeDefined();
    expect(one!.name).toMatch(/^[a-z]+( [a-z]+)?$/);
  });

  it('imports a 5 MB file whole', () => {
    const dir = tempDir();
    const [from, to] = [tempDb(), tempDb()];
    crm(['demo', '--customers', '27000', '--seed', '3'], { db: from });
    const file = path.join(dir, 'big.csv');
    crm(['export', 'customers', '--out', file], { db: from });
    expect(fs.statSync(file).size).toBeGreaterThan(5_000_000);
    const r = crm(['import', 'customers', file], { db: to });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('inserted 27,000');
  });
});
