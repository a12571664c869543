// crm import history and crm import undo, as a shop owner uses them: every import is listed with
// its counts; undoing one leaves the book exactly as before it (the exports and every table the
// same), refuses where customers were changed since (naming them) unless forced, and a kill -9 in
// the middle of an import or an undo leaves one whole state, never half of one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, NOW, tempDb, tempDir, untilWriting } from '../helpers/crm.js';
import { dbState } from '../helpers/db-state.js';
import { setUp } from '../helpers/in-process.js';

interface Run {
  id: number;
  kind: string;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  customers_created: number;
  undone_at: string | null;
}

const LATER = { CRM_NOW: '2026-11-23T09:30:00+08:00' };
const dir = tempDir();
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

/** Everything the book holds but the import journal itself and the search index's internals (checked through crm find). */
function bookState(db: string): Record<string, unknown[]> {
  const state = dbState(db);
  for (const t of Object.keys(state)) if (t.startsWith('import_') || t.startsWith('customer_search') || t === 'sqlite_sequence') delete state[t];
  return state;
}

const exports = (db: string) => [crm(['export', 'customers'], { db }).stdout, crm(['export', 'orders'], { db }).stdout];

const customersFile = write(
  'members.csv',
  'name,phone,city,note,tags,level,field:微信\n张三,13700137000,上海,VIP since 2020,vip;friend,Gold,zs88\n李四,13800138000,北京,,new,Gold,ls\n王五,13900139000,,,,,\n',
);
const ordersFile = write('sales.csv', 'customer_phone,customer_name,amount,refunded,day\n13700137000,张三,120,20,2026-11-01\n13600136000,赵六,50,0,2026-11-02\n');

/**
 * A shop with one customer and their order, then import 1 (customers: 张三 updated with a level,
 * tags and a custom field; 李四 and 王五 new) and import 2 (orders: one of 张三's with a refund,
 * one of a new buyer 赵六). Returns the book as it was before the imports.
 */
async function shop(db: string): Promise<{ state: Record<string, unknown[]>; exported: string[] }> {
  await setUp(['customer', 'add', '--name', '张三', '--phone', '13700137000', '--city', '杭州', '--tag', 'old', '--note', 'walk-in'], { db });
  await setUp(['order', 'add', '张三', '--amount', '88'], { db });
  const before = { state: bookState(db), exported: exports(db) };
  await setUp(['import', 'customers', customersFile, '--on-conflict', 'merge'], { db });
  await setUp(['import', 'orders', ordersFile], { db });
  return before;
}

describe('crm import history and undo', () => {
  const db = tempDb();
  let before: Awaited<ReturnType<typeof shop>>;
  beforeAll(async () => {
    before = await shop(db);
  });

  it('lists every import with its file, kind and counts, newest first', () => {
    const runs = crmJson<Run[]>(['import', 'history'], { db });
    expect(runs.map((r) => [r.id, r.kind, r.file, r.rows, r.inserted, r.updated, r.customers_created, r.undone_at])).toEqual([
      [2, 'orders', ordersFile, 2, 2, 0, 1, null],
      [1, 'customers', customersFile, 3, 2, 1, 0, null],
    ]);
    expect(crm(['import', 'history', '--format', 'csv'], { db }).stdout.split('\n')[0]).toBe(
      'id,kind,file,at,rows,inserted,updated,unchanged,skipped,rejected,customers_created,undone_at',
    );
  });

  it('records nothing for a dry run, or for a --strict import that was refused', () => {
    const other = tempDb();
    expect(crm(['import', 'customers', customersFile, '--dry-run'], { db: other }).code).toBe(0);
    const bad = write('bad.csv', 'name,phone\nGood,13500135000\nShifted,13500135001,extra\n');
    expect(crm(['import', 'customers', bad, '--strict'], { db: other }).code).toBe(2);
    expect(crmJson<Run[]>(['import', 'history'], { db: other })).toEqual([]);
  });

  it('says what an undo would do with --dry-run, and changes nothing', () => {
    const state = bookState(db);
    const r = crm(['import', 'undo', '1', '--dry-run'], { db });
    expect(r.stdout).toContain('would remove 2 customers and 0 orders and put back 1 customers as they were; nothing was changed');
    expect(bookState(db)).toEqual(state);
  });

  it('leaves the book exactly as it was before the imports, the updated customer with their old values', () => {
    expect(crm(['import', 'undo', '2'], { db }).stdout).toContain('removed 1 customers and 2 orders, put back 0 customers');
    expect(crm(['import', 'undo', '1'], { db }).stdout).toContain('removed 2 customers and 0 orders, put back 1 customers');
    const [zhang] = crmJson<{ city: string; note: string; tags: string[]; tier: string | null; spend: string }[]>(['customer', 'list'], { db });
    expect(zhang).toMatchObject({ city: '杭州', note: 'walk-in', tags: ['old'], tier: null, spend: '88.00' });
    expect(exports(db)).toEqual(before.exported);
    expect(bookState(db)).toEqual(before.state); // tags, phones, custom fields, tier changes, refunds: every table
    expect(crm(['find', '李四'], { db }).stdout).toBe(''); // the search index forgot them
    expect(crm(['find', 'VIP'], { db }).stdout).toBe('');
    expect(crmJson<Run[]>(['import', 'history'], { db }).map((r) => r.undone_at)).toEqual(['2026-11-22T10:00:00+08:00', '2026-11-22T10:00:00+08:00']);
  });

  it('refuses to undo an import twice', () => {
    const r = crm(['import', 'undo', '1'], { db });
    expect([r.code, r.stderr]).toEqual([1, 'crm: import 1 was undone already (2026-11-22 10:00)\n']);
    expect(crm(['import', 'undo', '9'], { db }).stderr).toContain('no import 9');
  });

  it('refuses where customers were changed since, naming them, until --force; a later merge must be undone first', async () => {
    const later = tempDb();
    await shop(later);
    await setUp(['order', 'add', '李四', '--amount', '30'], { db: later, env: LATER });
    await setUp(['customer', 'edit', '张三', '--note', 'moved'], { db: later, env: LATER });
    await setUp(['log', '赵六', '--type', 'call', '--note', 'thanks'], { db: later, env: LATER });
    const state = bookState(later);
    const orders = crm(['import', 'undo', '2'], { db: later });
    expect([orders.code, orders.stderr.split('\n')[0]]).toEqual([1, 'crm: cannot undo import 2: these customers were changed after it, and undoing would lose that: #4 赵六 (an interaction since)']);
    const customers = crm(['import', 'undo', '1'], { db: later });
    expect(customers.code).toBe(1);
    expect(customers.stderr).toContain('#1 张三 (edited 2026-11-23 09:30)');
    expect(customers.stderr).toMatch(/#2 李四 \(order #\d+ since\)/);
    expect(customers.stderr).toContain('add --force to undo anyway (crm import undo 1 --force)');
    expect(bookState(later)).toEqual(state);
    await setUp(['merge', '李四', '王五', '--yes'], { db: later, env: LATER });
    const merged = crm(['import', 'undo', '1', '--force'], { db: later });
    expect([merged.code, merged.stderr]).toEqual([1, 'crm: cannot undo import 1: merge 1 merged customers of it since\nundo merge 1 first (crm dedupe undo 1)\n']);
    await setUp(['dedupe', 'undo', '1'], { db: later, env: LATER });
    expect(crm(['import', 'undo', '1', '--force'], { db: later }).code).toBe(0);
    const left = crmJson<{ name: string; note: string }[]>(['customer', 'list'], { db: later });
    expect(left.map((c) => [c.name, c.note])).toEqual([['张三', 'walk-in'], ['赵六', null]]);
  });
});

describe('kill -9 in the middle', () => {
  const ROWS = 20_000;
  const big = write('big.csv', `name,phone,tags\n${Array.from({ length: ROWS }, (_, i) => `客户${i},139${String(i).padStart(8, '0')},bulk`).join('\n')}\n`);
  /** Starts crm, waits until it holds the write lock (inside its one transaction), and kills it. */
  async function killWhileWriting(args: string[], db: string): Promise<boolean> {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8' }, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const writing = await untilWriting(db);
    child.kill('SIGKILL');
    await exited;
    return writing;
  }
  const book = (db: string) => {
    const raw = new Database(db, { readonly: true });
    try {
      return raw.prepare("SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM customer_tags WHERE tag = 'bulk') AS tagged, (SELECT json_group_array(undone_at IS NOT NULL) FROM import_runs) AS undone").get() as { customers: number; tagged: number; undone: string };
    } finally {
      raw.close();
    }
  };

  it('leaves no record and no rows of an import killed mid-way, and an undo killed mid-way whole or not at all', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Mine'], { db });
    expect(await killWhileWriting(['import', 'customers', big], db)).toBe(true);
    expect(book(db)).toEqual({ customers: 1, tagged: 0, undone: '[]' });
    expect(crm(['import', 'customers', big], { db }).code).toBe(0); // (a file this large is read on a worker thread: the binary)
    expect(book(db)).toEqual({ customers: 1 + ROWS, tagged: ROWS, undone: '[0]' });
    expect(await killWhileWriting(['import', 'undo', '1'], db)).toBe(true);
    // The undo either happened whole or not at all; if not, it can be run again.
    const after = book(db);
    expect([{ customers: 1, tagged: 0, undone: '[1]' }, { customers: 1 + ROWS, tagged: ROWS, undone: '[0]' }]).toContainEqual(after);
    if (after.undone === '[0]') expect(crm(['import', 'undo', '1'], { db }).code).toBe(0);
    expect(book(db)).toEqual({ customers: 1, tagged: 0, undone: '[1]' });
    expect(crm(['find', '客户12'], { db }).stdout).toBe('');
  });
});
