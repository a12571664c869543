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
const LATER_STILL = { CRM_NOW: '2026-11-24T08:00:00+08:00' };
const ZH = { LANG: 'zh_CN.UTF-8' };
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
  'name,phone,email,city,note,tags,level,field:微信\n张三,13700137000;13711112222,zs@example.com,上海,VIP since 2020,vip;friend,Gold,zs88\n李四,13800138000,,北京,,new,Gold,ls\n王五,13900139000,,,,,,\n',
);
const ordersFile = write('sales.csv', 'customer_phone,customer_name,amount,refunded,day\n13700137000,张三,120,20,2026-11-01\n13600136000,赵六,50,0,2026-11-02\n');

/**
 * A shop with one customer and their order, then import 1 (customers: 张三 updated with a level,
 * tags, a custom field, a second phone and an email, merged in; 李四 and 王五 new) and import 2 (orders: one of 张三's with a refund,
 * one of a new buyer 赵六). Returns the book as it was before the imports: its tables, and with
 * `exported` what crm exports of it (two crm starts, for the test that compares the exports).
 */
async function shop(db: string, exported = false): Promise<{ state: Record<string, unknown[]>; exported: string[] | null }> {
  await setUp(['customer', 'add', '--name', '张三', '--phone', '13700137000', '--city', '杭州', '--tag', 'old', '--note', 'walk-in'], { db });
  await setUp(['order', 'add', '张三', '--amount', '88'], { db });
  const before = { state: bookState(db), exported: exported ? exports(db) : null };
  await setUp(['import', 'customers', customersFile, '--on-conflict', 'merge'], { db });
  await setUp(['import', 'orders', ordersFile], { db });
  return before;
}

describe('crm import history and undo', () => {
  const db = tempDb();
  let before: Awaited<ReturnType<typeof shop>>;
  beforeAll(async () => {
    before = await shop(db, true);
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

  it('says which import it recorded, and records nothing for a dry run, or for a --strict import that was refused', () => {
    const other = tempDb();
    const dry = crm(['import', 'customers', customersFile, '--dry-run'], { db: other });
    expect([dry.code, dry.stdout]).toEqual([0, expect.not.stringContaining('Recorded as import')]);
    expect(crmJson<{ import_id: number | null }>(['import', 'customers', customersFile, '--dry-run'], { db: other }).import_id).toBe(null);
    const bad = write('bad.csv', 'name,phone\nGood,13500135000\nShifted,13500135001,extra\n');
    expect(crm(['import', 'customers', bad, '--strict'], { db: other }).code).toBe(2);
    expect(crmJson<Run[]>(['import', 'history'], { db: other })).toEqual([]);
    expect(crm(['import', 'customers', customersFile], { db: other }).stdout).toContain('Recorded as import 1: crm import undo 1 reverses it.');
    expect(crmJson<{ import_id: number | null }>(['import', 'orders', ordersFile], { db: other }).import_id).toBe(2);
  });

  it('says what an undo would do with --dry-run, and changes nothing', () => {
    const state = bookState(db);
    const r = crm(['import', 'undo', '1', '--dry-run'], { db });
    expect(r.stdout).toContain('would remove 2 customers and 0 orders and put back 1 customers as they were; nothing was changed');
    expect(bookState(db)).toEqual(state);
  });

  it('leaves the book exactly as it was before the imports, the updated customer with their old values', () => {
    const merged = crmJson<{ customer: { phone: string[]; email: string | null; tier: string } }>(['customer', 'show', '张三'], { db }).customer;
    expect(merged).toMatchObject({ phone: ['+8613700137000', '+8613711112222'], email: 'zs@example.com', tier: 'Gold' });
    expect(crm(['import', 'undo', '2'], { db }).stdout).toContain('removed 1 customers and 2 orders, put back 0 customers');
    expect(crm(['import', 'undo', '1'], { db }).stdout).toContain('removed 2 customers and 0 orders, put back 1 customers');
    const [zhang] = crmJson<{ city: string; note: string; tags: string[]; tier: string | null; spend: string; phone: string[]; email: string | null }[]>(['customer', 'list'], { db });
    expect(zhang).toMatchObject({ city: '杭州', note: 'walk-in', tags: ['old'], tier: null, spend: '88.00', phone: ['+8613700137000'], email: null });
    expect(before.exported).not.toBeNull();
    expect(exports(db)).toEqual(before.exported);
    expect(bookState(db)).toEqual(before.state); // tags, phones, custom fields, tier changes, refunds: every table
    expect(crm(['find', '李四'], { db }).stdout).toBe(''); // the search index forgot them
    expect(crm(['find', 'VIP'], { db }).stdout).toBe('');
    expect(crm(['find', '13711112222'], { db }).stdout).toBe('');
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

describe('an import undone after later imports of the same customers', () => {
  const db = tempDb();
  let before: Awaited<ReturnType<typeof shop>>;
  const again = write('again.csv', 'name,phone,note\n张三,13700137000,moved again\n');
  const calls = write('calls.csv', 'phone,at,type,note\n13800138000,2026-11-23 09:00,call,asked about sizes\n13700137000,2026-11-23 09:10,visit,\n');
  beforeAll(async () => {
    before = await shop(db);
    await setUp(['import', 'customers', again, '--on-conflict', 'merge'], { db, env: LATER }); // import 3: 张三 updated again
    await setUp(['import', 'interactions', calls], { db, env: LATER }); // import 4: a call to 李四 (of import 1), a visit of 张三
  });

  it('lists the interactions import too', () => {
    const [latest] = crmJson<Run[]>(['import', 'history'], { db });
    expect(latest).toMatchObject({ id: 4, kind: 'interactions', file: calls, rows: 2, inserted: 2 });
    expect(crm(['import', 'history'], { db, env: ZH }).stdout).toContain('互动记录');
  });

  it('refuses, naming each customer and the later import, in English and Chinese', () => {
    const state = bookState(db);
    const r = crm(['import', 'undo', '1'], { db });
    expect([r.code, r.stderr]).toEqual([
      1,
      'crm: cannot undo import 1: these customers were changed after it, and undoing would lose that: #1 张三 (updated by import 3 on 2026-11-23 09:30), #2 李四 (interactions from import 4 on 2026-11-23 09:30)\n' +
        'add --force to undo anyway (crm import undo 1 --force)\n',
    ]);
    const zh = crm(['import', 'undo', '1'], { db, env: ZH });
    expect(zh.stderr).toBe(
      'crm: 无法撤销导入 1：以下客户在导入之后有改动，撤销会丢失这些改动：#1 张三 (于 2026-11-23 09:30 被导入 3 更新), #2 李四 (于 2026-11-23 09:30 由导入 4 添加了互动记录)\n' +
        '加上 --force 仍然撤销（crm import undo 1 --force）\n',
    );
    expect(bookState(db)).toEqual(state);
  });

  it('undoes it with --force, and then the later import says the undo put its customer back', () => {
    const r = crm(['import', 'undo', '1', '--force'], { db, env: LATER_STILL });
    expect([r.code, r.stdout]).toEqual([0, `Undid import 1 (customers from ${customersFile}): removed 2 customers and 0 orders, put back 1 customers as they were.\n`]);
    const left = crmJson<{ name: string; note: string | null; city: string }[]>(['customer', 'list'], { db });
    expect(left.map((c) => [c.name, c.note, c.city])).toEqual([['张三', 'walk-in', '杭州'], ['赵六', null, null]]);
    const later = crm(['import', 'undo', '3'], { db });
    expect([later.code, later.stderr.split('\n')[0]]).toEqual([1, 'crm: cannot undo import 3: these customers were changed after it, and undoing would lose that: #1 张三 (put back by the undo of import 1 on 2026-11-24 08:00)']);
    // (Forced, it would put back 张三 as import 3 found them: with import 1's values.) Undo the others:
    // the book is as it was before any of them (李四's call went with 李四, 张三 is as import 1 found them).
    expect(crm(['import', 'undo', '4', '--dry-run'], { db }).stdout).toBe(`Dry run: undoing import 4 (interactions from ${calls}) would remove 1 interactions; nothing was changed.\n`);
    expect(crm(['import', 'undo', '4'], { db }).stdout).toBe(`Undid import 4 (interactions from ${calls}): removed 1 interactions.\n`);
    expect(crm(['import', 'undo', '2'], { db }).code).toBe(0);
    expect(bookState(db)).toEqual(before.state);
    expect(crmJson<Run[]>(['import', 'history'], { db }).map((run) => [run.id, run.undone_at !== null])).toEqual([[4, true], [3, false], [2, true], [1, true]]);
  });

  it('refuses where a level was changed or a coupon issued since', async () => {
    const other = tempDb();
    await shop(other);
    await setUp(['tier', 'set', 'Regular=0', 'Gold=1000'], { db: other });
    await setUp(['tier', 'apply'], { db: other, env: LATER });
    await setUp(['coupon', 'issue', '王五', '--value', '20'], { db: other, env: LATER });
    const r = crm(['import', 'undo', '1'], { db: other });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('#1 张三 (level changed since)')]);
    expect(r.stderr).toContain('#3 王五 (a coupon since)');
  });

  it('refuses to remove a customer removed since and made again by a later import; one removed since does not block', async () => {
    const other = tempDb();
    const list = write('three.csv', 'name,phone\nAnn,13500135001\nBob,13500135002\nCat,13500135003\n');
    await setUp(['import', 'customers', list], { db: other });
    const exported = crm(['export', 'customers'], { db: other }).stdout.split('\n');
    await setUp(['customer', 'rm', '2', '--yes'], { db: other, env: LATER });
    // Bob's row of crm's own export, id included: import 2 makes him again as #2.
    const bob = write('bob.csv', `${exported[0]}\n${exported.find((l) => l.includes('Bob'))}\n`);
    await setUp(['import', 'customers', bob], { db: other, env: LATER });
    expect(crmJson<{ id: number }[]>(['export', 'customers'], { db: other }).map((c) => c.id)).toEqual([1, 2, 3]);
    const r = crm(['import', 'undo', '1'], { db: other, env: LATER_STILL });
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('#2 Bob (removed since and made again by import 2 on')]);
    // Undo 2 first, then 1: Bob is gone with import 2, and his removal does not stop import 1's undo.
    expect(crm(['import', 'undo', '2'], { db: other, env: LATER_STILL }).code).toBe(0);
    const undo1 = crm(['import', 'undo', '1'], { db: other, env: LATER_STILL });
    expect([undo1.code, undo1.stderr]).toEqual([0, '']);
    expect(crmJson<unknown[]>(['export', 'customers'], { db: other })).toEqual([]);
  });

  it('undoes an interactions import exactly', async () => {
    const other = tempDb();
    await setUp(['customer', 'add', '--name', '李四', '--phone', '13800138000'], { db: other });
    await setUp(['customer', 'add', '--name', '张三', '--phone', '13700137000'], { db: other });
    const state = bookState(other);
    await setUp(['import', 'interactions', calls], { db: other });
    expect(bookState(other)).not.toEqual(state);
    expect(crm(['import', 'undo', '1'], { db: other }).stdout).toContain('removed 2 interactions');
    expect(bookState(other)).toEqual(state);
  });
});

describe('kill -9 in the middle', () => {
  const ROWS = 20_000;
  const big = write('big.csv', `name,phone,tags\n${Array.from({ length: ROWS }, (_, i) => `客户${i},139${String(i).padStart(8, '0')},bulk`).join('\n')}\n`);
  /**
   * Starts crm, waits until it holds the write lock (inside its one transaction), and kills it.
   * Says whether it was still running when killed (else it had finished, and proved nothing).
   */
  async function killWhileWriting(args: string[], db: string): Promise<boolean> {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8' }, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on('exit', (_code, signal) => r(signal)));
    expect(await untilWriting(db)).toBe(true);
    child.kill('SIGKILL');
    return (await exited) === 'SIGKILL';
  }
  const runs = (db: string) => (dbState(db).import_runs as { undone_at: string | null }[]).map((r) => r.undone_at !== null);

  it('leaves the book exactly as before an import killed mid-way, with no record of it', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Mine', '--phone', '13912345678'], { db });
    const before = dbState(db);
    expect(await killWhileWriting(['import', 'customers', big], db)).toBe(true);
    expect(dbState(db)).toEqual(before); // every table, the history and the search index among them
    expect(crmJson<Run[]>(['import', 'history'], { db })).toEqual([]);
    expect(crm(['find', '客户12'], { db }).stdout).toBe('');
  });

  it('leaves an undo killed mid-way whole or not at all, and the undo can be run again', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Mine', '--phone', '13912345678'], { db });
    const before = bookState(db);
    expect(crm(['import', 'customers', big], { db }).code).toBe(0); // (a file this large is read on a worker thread: the binary)
    const imported = dbState(db);
    expect((imported.customers as unknown[]).length).toBe(1 + ROWS);
    expect(await killWhileWriting(['import', 'undo', '1'], db)).toBe(true);
    // Killed inside its transaction, the undo left the book as imported, exactly; had it just committed, it is undone whole.
    const untouched = JSON.stringify(dbState(db)) === JSON.stringify(imported);
    if (untouched) {
      expect(runs(db)).toEqual([false]);
      const again = crm(['import', 'undo', '1'], { db });
      expect([again.code, again.stdout]).toEqual([0, expect.stringContaining(`removed ${ROWS} customers`)]);
    }
    expect(bookState(db)).toEqual(before);
    expect(runs(db)).toEqual([true]);
    expect(crm(['find', '客户12'], { db }).stdout).toBe('');
    expect(crm(['find', 'Mine'], { db }).stdout).toContain('Mine');
  });
});
