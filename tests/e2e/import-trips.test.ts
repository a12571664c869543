// What a shop owner trips on when a file is not quite what crm expects (issue 15's review): Excel's
// ".0" phones, numbers many countries share, ids beside crm_id, doubts that are not rejects,
// headerless files and their rejects, --map by number on a file that has a header.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb, tempDir } from '../helpers/crm.js';

type Row = Record<string, unknown>;
const customers = (db: string) => crmJson<Row[]>(['export', 'customers'], { db });

/** Writes a CSV into a fresh folder (so the default rejects file lands beside it) and returns its path. */
function csv(name: string, text: string): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}
const rejectsOf = (file: string) => file.replace(/\.csv$/, '.rejects.csv');
const rows = (file: string) => Papa.parse<Row>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;

describe('phones and the shop\'s country', () => {
  it('reads mobiles Excel saved as numbers (13800138000.0) without stopping the import', () => {
    const db = tempDb();
    const r = crm(['import', 'customers', csv('excel.csv', 'name,phone\n张伟,13800138000.0\n王芳,13900139000.0\n李娜,13700137000.0\n')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(customers(db).map((c) => c.phone)).toEqual([['+8613800138000'], ['+8613900139000'], ['+8613700137000']]);
  });

  it('does not name a country when the numbers fit many (8-digit numbers): the rows are refused one by one', () => {
    const file = csv('land.csv', 'name,phone\nA,62345678\nB,62345679\nC,62345670\nD,62345671\n');
    const r = crm(['import', 'customers', file], { db: tempDb() });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain('--country');
    expect(r.stderr).toContain('line 2, phone: "62345678" is not a valid phone number');
    expect(rows(rejectsOf(file))).toHaveLength(4);
  });

  it('takes --country by name as well as by code (Thailand, 泰国)', () => {
    const file = csv('th.csv', 'name,phone\nSomchai,081 234 5678\n');
    for (const country of ['Thailand', '泰国', 'th']) {
      const db = tempDb();
      const r = crm(['import', 'customers', file, '--country', country], { db });
      expect(r.code, r.stderr).toBe(0);
      expect(customers(db)[0]!.phone).toEqual(['+66812345678']);
    }
  });

  it('tells an order\'s phone read in doubt on stderr, and writes no rejects file (the order is in)', () => {
    const file = csv('orders.csv', 'order_no,amount,ordered_at,customer_phone,customer_name\nA1,10.00,2026-01-02 10:00,713-817-5649,Emily\n');
    const db = tempDb();
    const r = crm(['import', 'orders', file, '--create-customers'], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 row(s) imported with a value left out or in doubt');
    expect(r.stderr).toContain('crm customer edit 1 --rm-phone +867138175649 --add-phone');
    expect(fs.existsSync(rejectsOf(file))).toBe(false);
    // Imported again, nothing doubles.
    expect(crmJson<Row>(['import', 'orders', file, '--create-customers', '--format', 'json'], { db })).toMatchObject({ inserted: 0, unchanged: 1 });
  });
});

describe('rejects files imported again', () => {
  it('a row of crm\'s own export with crm_id beside id updates that customer, not a new one', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { db });
    const exported = crm(['export', 'customers'], { db }).stdout;
    const [head, line] = exported.trim().split('\n');
    // As a rejects file of the export would come back: the reason and crm_id columns added, a value fixed.
    const fixed = `${head},crm_id,crm_reject_reason\n${line!.replace('张伟,+8613800138000,', '张伟,+8613800138000,zw@example.com')},1,bad email\n`;
    const r = crmJson<Row>(['import', 'customers', csv('fixed.csv', fixed), '--format', 'json'], { db });
    expect(r).toMatchObject({ inserted: 0, updated: 1 });
    expect(customers(db).map((c) => [c.id, c.email])).toEqual([[1, 'zw@example.com']]);
  });

  it('a customer whose bad email was left out is in the rejects file with its crm_id, and the fixed row fills it in', () => {
    const file = csv('list.csv', 'name,phone,email\n张伟,13800138000,zw@example\n王芳,13900139000,wf@example.com\n');
    const db = tempDb();
    const r = crm(['import', 'customers', file], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Rows imported with a value left out, with the reason, are in');
    const rejects = rows(rejectsOf(file));
    expect(rejects.map((x) => [x.name, x.crm_id])).toEqual([['张伟', '1']]);
    const again = rejectsOf(file);
    fs.writeFileSync(again, fs.readFileSync(again, 'utf8').replace('zw@example', 'zw@example.com'));
    expect(crmJson<Row>(['import', 'customers', again, '--format', 'json', '--rejects', path.join(tempDir(), 'r.csv')], { db })).toMatchObject({ inserted: 0, updated: 1, warnings: 0 });
    expect(customers(db).map((c) => c.email)).toEqual(['zw@example.com', 'wf@example.com']);
  });

  it('a skipped row is no warning (--on-conflict skip): nothing of it was imported, so nothing was left out', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { db });
    const file = csv('again.csv', 'name,phone,email\n张伟,13800138000,zw@example\n');
    const r = crmJson<Row>(['import', 'customers', file, '--on-conflict', 'skip', '--format', 'json'], { db });
    expect(r).toMatchObject({ skipped: 1, warnings: 0 });
    expect(fs.existsSync(rejectsOf(file))).toBe(false);
  });
});

describe('files without a header row', () => {
  it('names the short and long rows against the first rows\' width, keeps every cell of a long row in the rejects file', () => {
    const file = csv('nohead.csv', '张伟,男,13800138000\n王芳,女\n李娜,女,13700137000,成都,多余\n赵强,男,13600136000\n');
    const db = tempDb();
    const r = crm(['import', 'customers', file, '--no-header', '--map', '1=name,2=gender,3=phone'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("line 2: 2 cell(s) where the file's first rows have 3: a cell is missing");
    expect(r.stderr).toContain("line 3: 2 cell(s) beyond the 3 columns of the file's first rows: the row is shifted");
    // The rejects file has a header (the columns as --map names them) and every cell of the long row
    // (those beyond the columns after the reason).
    const text = fs.readFileSync(rejectsOf(file), 'utf8').replace(/^\uFEFF/, '');
    expect(text.split(/\r?\n/)[0]).toBe('column 1,column 2,column 3,crm_reject_reason,crm_id');
    expect(text).toMatch(/^李娜,女,13700137000,.*the row is shifted,,成都,多余\r?$/m);
    expect(r.stderr).toContain("The rejects file's first row names its columns: import it again without --no-header");
    expect(customers(db).map((c) => c.name)).toEqual(['张伟', '赵强']);
    // Imported again as the note says: the fixed short row goes in.
    const again = rejectsOf(file);
    fs.writeFileSync(again, fs.readFileSync(again, 'utf8').replace('王芳,女,', '王芳,女,13900139000'));
    const next = crm(['import', 'customers', again, '--map', '1=name,2=gender,3=phone', '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(next.stdout).toContain('inserted 1');
    expect(customers(db).map((c) => c.name)).toContain('王芳');
  });

  it('refuses --map by number on a file whose first row is a customer, and --no-header on a file whose first row names columns', () => {
    const db = tempDb();
    const data = csv('data.csv', '张伟,男,13800138000\n王芳,女,13900139000\n');
    const r = crm(['import', 'customers', data, '--map', '1=name,2=gender,3=phone'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--map names columns by number, but the first row holds values (张伟, 男, 13800138000), which would be read as the header and lost: give --no-header');
    const headed = csv('headed.csv', '姓名,性别,手机\n张伟,男,13800138000\n');
    const h = crm(['import', 'customers', headed, '--no-header', '--map', '1=name,2=gender,3=phone'], { db });
    expect(h.code).toBe(2);
    expect(h.stderr).toContain('--no-header, but the first row names columns (姓名, 性别, 手机)');
    expect(customers(db)).toEqual([]);
    // By number on a file with a header is fine.
    expect(crm(['import', 'customers', headed, '--map', '1=name,3=phone'], { db }).code).toBe(0);
  });
});
