// A till's history imported in bulk (50,000 rows and more: store/order.ts OrderLoad): the same
// orders, customer totals, refusals and rejects file as row by row, the book's schema as it was
// (trigger, indexes, foreign keys), a second import of the file adding nothing, and a kill -9 in the
// middle leaving the book untouched.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, crm, NOW, tempDir, untilWriting } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

const CUSTOMERS = 3000;
const ORDERS = 52_000; // above the bulk threshold (app/import.ts BULK_ROWS: 50,000)
const phone = (i: number) => `139${String(i).padStart(8, '0')}`;

let dir: string;
let book: string;
let file: string;
/** The rows the file has that crm must refuse, by line. */
const bad = new Map<number, string>();

/** A copy of the shop with its customers and no orders. */
function copyOfBook(): string {
  const to = path.join(tempDir(), 'shop.db');
  fs.copyFileSync(book, to);
  return to;
}

function query<T>(db: string, sql: string): T[] {
  const h = new Database(db, { readonly: true });
  try {
    return h.prepare(sql).all() as T[];
  } finally {
    h.close();
  }
}

beforeAll(async () => {
  dir = tempDir();
  book = path.join(dir, 'book.db');
  const people = ['name,phone,member_no', ...Array.from({ length: CUSTOMERS }, (_, i) => `客户${i},${phone(i)},M${i}`)];
  fs.writeFileSync(path.join(dir, 'people.csv'), `${people.join('\n')}\n`);
  await setUp(['import', 'customers', path.join(dir, 'people.csv')], { db: book });
  // Orders by phone, by member number, from new buyers (a name and a phone crm does not know), and bad rows.
  const lines = ['订单号,手机号,会员号,姓名,实付金额,下单时间,备注'];
  for (let i = 0; i < ORDERS; i++) {
    const line = i + 2;
    const day = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const c = (i * 7919) % CUSTOMERS;
    const amount = `${(i % 500) + 1}.${String(i % 100).padStart(2, '0')}`;
    if (i % 10_007 === 5) {
      lines.push(`T${i},${phone(c)},,,12.345,${day} 10:00:00,`);
      bad.set(line, 'amount');
    } else if (i % 9_001 === 7) {
      lines.push(`T${i},,,,${amount},${day} 10:00:00,`);
      bad.set(line, 'no customer');
    } else if (i % 8_009 === 3) {
      lines.push(`T${i - 1},${phone(c)},,,${amount},${day} 11:00:00,`); // the number of the row above, other values
      bad.set(line, 'order number');
    } else if (i % 1000 === 1) lines.push(`T${i},${phone(CUSTOMERS + i)},,新客${i},${amount},${day} 12:30:00,`);
    else if (i % 3 === 0) lines.push(`T${i},,M${c},,${amount},${day} 09:15:00,会员日`);
    else lines.push(`T${i},${phone(c)},,,${amount},${day} 18:05:59,`);
  }
  file = path.join(dir, 'till.csv');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
});

describe('a till history imported in bulk', () => {
  let db: string;
  let first: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    db = copyOfBook();
    // The binary: an import this large reads the file on a worker thread, which runs the built code.
    first = crm(['import', 'orders', file, '--format', 'json'], { db });
  });

  it('imports every good row, creates the new buyers, refuses the bad ones into the rejects file', () => {
    expect(first.code, first.stderr).toBe(2); // rows were refused
    const s = JSON.parse(first.stdout) as Record<string, number | string>;
    expect(s).toMatchObject({ rows: ORDERS, inserted: ORDERS - bad.size, rejected: bad.size, customers_created: 52 });
    const rejects = fs.readFileSync(String(s.rejects_file), 'utf8');
    expect(rejects.split(/\r\n/).filter(Boolean).length).toBe(bad.size + 1);
    const why = { amount: 'has more than 2 decimals', 'no customer': 'nothing in this row names the customer', 'order number': 'is already recorded with another customer' };
    for (const [line, kind] of bad) expect(rejects).toContain(`line ${line}${kind === 'amount' ? ', 实付金额: amount: ""12.345"" ' : ': '}`);
    for (const [, kind] of bad) expect(rejects).toContain(why[kind as keyof typeof why]);
  });

  it('keeps every customer’s order count, total, first and last day as the orders say', () => {
    const wrong = query<{ id: number }>(
      db,
      `SELECT c.id FROM customers c LEFT JOIN (SELECT customer_id, count(*) n, sum(amount) s, min(day) f, max(day) l FROM orders GROUP BY customer_id) o ON o.customer_id = c.id
        WHERE c.order_count IS NOT coalesce(o.n, 0) OR c.order_total IS NOT coalesce(o.s, 0) OR c.first_order_day IS NOT o.f OR c.last_order_day IS NOT o.l`,
    );
    expect(wrong).toEqual([]);
    const [totals] = query<{ n: number; s: number }>(db, 'SELECT sum(order_count) n, sum(order_total) s FROM customers');
    expect(totals!.n).toBe(ORDERS - bad.size);
    // What a user checks: one customer's figures.
    const shown = crm(['customer', 'show', phone(0), '--format', 'json'], { db });
    const own = query<{ n: number; s: number; f: string; l: string }>(db, `SELECT count(*) n, sum(amount) s, min(day) f, max(day) l FROM orders WHERE customer_id = 1`)[0]!;
    expect(own.n).toBeGreaterThan(10);
    expect(JSON.parse(shown.stdout).customer).toMatchObject({ orders: own.n, spend: (own.s / 100).toFixed(2), first_order: own.f, last_order: own.l });
  });

  it('leaves the schema as a new book has it: trigger, indexes, foreign keys', () => {
    const schema = (f: string) => query<{ name: string; sql: string }>(f, "SELECT name, sql FROM sqlite_schema WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name");
    expect(schema(db)).toEqual(schema(book));
    expect(query(db, 'PRAGMA foreign_key_check')).toEqual([]);
    // A later order goes through the trigger again.
    expect(crm(['order', 'add', phone(1), '--amount', '10', '--date', '2026-01-05 10:00'], { db }).code).toBe(0);
    const [c] = query<{ last_order_day: string }>(db, 'SELECT last_order_day FROM customers WHERE id = 2');
    expect(c!.last_order_day).toBe('2026-01-05');
  });

  it('adds nothing when the same file is imported again, and only its new orders when it has some', () => {
    // The file again, with 100 new orders at its end, one number among them twice with another amount.
    const more = Array.from({ length: 100 }, (_, i) => `N${i},${phone(i)},,,5.00,2026-01-0${1 + (i % 9)} 10:00:00,`);
    more.splice(51, 0, `N50,${phone(50)},,,6.00,2026-01-06 10:00:00,`);
    const again = path.join(tempDir(), 'till.csv');
    fs.writeFileSync(again, `${fs.readFileSync(file, 'utf8')}${more.join('\n')}\n`);
    const r = crm(['import', 'orders', again, '--format', 'json'], { db });
    expect(r.code, r.stderr).toBe(2); // the bad rows again, and the repeated number
    expect(JSON.parse(r.stdout)).toMatchObject({ inserted: 100, unchanged: ORDERS - bad.size, rejected: bad.size + 1, customers_created: 0 });
    expect(r.stderr + fs.readFileSync(`${again.replace(/\.csv$/, '')}.rejects.csv`, 'utf8')).toContain(`line ${ORDERS + 2 + 51}: order number N50 is already recorded`);
  });
});

it('leaves the book as it was when a bulk order import is killed halfway', async () => {
  const db = copyOfBook();
  const lines = ['订单号,手机号,实付金额,下单时间'];
  for (let i = 0; i < 200_000; i++) lines.push(`K${i},${phone(i % CUSTOMERS)},9.90,2025-06-01 10:00:00`);
  const big = path.join(tempDir(), 'big.csv');
  fs.writeFileSync(big, `${lines.join('\n')}\n`);
  const schemaBefore = query(db, "SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name");
  const child = spawn(process.execPath, [BIN, 'import', 'orders', big], { env: { ...process.env, CRM_DB: db, CRM_NOW: NOW }, stdio: 'ignore' });
  expect(await untilWriting(db)).toBe(true);
  // Late in the load: its pages going into the WAL (after the trigger and indexes were dropped, before the commit's last frame).
  for (let waited = 0; waited < 20_000 && (fs.statSync(`${db}-wal`, { throwIfNoEntry: false })?.size ?? 0) < 2 ** 20; waited += 20) await new Promise((r) => setTimeout(r, 20));
  expect(child.exitCode).toBeNull();
  expect(fs.statSync(`${db}-wal`).size).toBeGreaterThan(2 ** 20);
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  expect(query(db, 'SELECT count(*) n FROM orders')).toEqual([{ n: 0 }]);
  expect(query(db, 'SELECT sum(order_count) n FROM customers')).toEqual([{ n: 0 }]);
  expect(query(db, "SELECT name FROM sqlite_schema WHERE type IN ('index', 'trigger') ORDER BY name")).toEqual(schemaBefore);
});

describe('a large file imported without its first pass (4 MB and more)', () => {
  /** An order file of `rows` rows over 4 MB (a long note a row), the dates as `day(i)` writes them. */
  function bigFile(rows: number, day: (i: number) => string, phoneOf: (i: number) => string = (i) => phone(i % CUSTOMERS)): string {
    const note = '备注'.repeat(130);
    const lines = ['订单号,手机号,实付金额,下单时间,备注', ...Array.from({ length: rows }, (_, i) => `B${i},${phoneOf(i)},10.00,${day(i)},${note}`)];
    const f = path.join(tempDir(), 'big.csv');
    fs.writeFileSync(f, `${lines.join('\n')}\n`);
    expect(fs.statSync(f).size).toBeGreaterThan(4 * 1024 * 1024);
    return f;
  }

  it('reads day-first dates that a late row settles as the first pass would (and reads the file again for it, telling each refusal once)', () => {
    const db = copyOfBook();
    // 05/03/2025 could be either; the last row's 25/03/2025 settles day first. The first row's amount is bad.
    const f = bigFile(10_000, (i) => (i === 9_999 ? '25/03/2025 10:00' : '05/03/2025 10:00'));
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(',10.00,', ',abc,'));
    const r = crm(['import', 'orders', f, '--format', 'json'], { db });
    expect(r.code, r.stderr).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 10_000, inserted: 9_999, rejected: 1 });
    expect(r.stderr.match(/line 2, 实付金额/g)).toHaveLength(1);
    expect(query(db, 'SELECT day, count(*) n FROM orders GROUP BY day ORDER BY day')).toEqual([{ day: '2025-03-05', n: 9_998 }, { day: '2025-03-25', n: 1 }]);
  });

  it('refuses a file whose dates never settle their order, importing nothing', () => {
    const db = copyOfBook();
    const r = crm(['import', 'orders', bigFile(10_000, () => '05/03/2025 10:00')], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('05/03/2025');
    expect(query(db, 'SELECT count(*) n FROM orders')).toEqual([{ n: 0 }]);
  });

  it("stops, importing nothing, when the phones are another country's", () => {
    const db = copyOfBook();
    // Thai mobiles (08x xxx xxxx) in a shop whose country is CN.
    const r = crm(['import', 'orders', bigFile(10_000, () => '2025-03-05 10:00', (i) => `08${[1, 6, 9][i % 3]}-${String(2_345_678 + i).slice(0, 3)}-${String(1000 + (i % 9000)).slice(-4)}`)], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('are valid in TH; nothing was imported');
    expect(query(db, 'SELECT count(*) n FROM orders')).toEqual([{ n: 0 }]);
  });
});
