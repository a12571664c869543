// Writes while an import runs: the import holds the write lock for its whole run (one transaction),
// and a write at the counter waits for it, saying so, instead of failing after 5 s. A killed import
// or export leaves the book as it was, and its temporary files go with the next crm.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, NOW, tempDb, tempDir, untilWriting } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

/** crm in the background, its standard error collected as it comes. */
function background(args: string[], o: { db: string; tmp: string; stdin?: string }): { child: ChildProcess; stderr: () => string; exit: Promise<number | null> } {
  const stdin = o.stdin ? fs.openSync(o.stdin, 'r') : 'ignore';
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, LANG: 'en_US.UTF-8', CRM_NOW: NOW, TZ: 'Asia/Shanghai', CRM_DB: o.db, TMPDIR: o.tmp }, stdio: [stdin, 'ignore', 'pipe'] });
  if (typeof stdin === 'number') fs.closeSync(stdin);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exit };
}

async function until(what: () => boolean, timeoutMs = 30_000, everyMs = 20): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += everyMs) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything under a folder, as paths relative to it. */
function tree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

let big: string;
beforeAll(() => {
  // An import long enough to be caught in the middle: 400,000 new customers.
  const lines = ['name,phone,city'];
  for (let i = 0; i < 400_000; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')},上海`);
  big = path.join(tempDir(), 'big.csv');
  fs.writeFileSync(big, `${lines.join('\n')}\n`);
});

describe('a write while an import runs', () => {
  it('waits for the import (past the old 5 s), says so on stderr, and goes in; the killed import leaves the book and no copy of stdin', async () => {
    const db = tempDb();
    const tmp = tempDir();
    await setUp(['customer', 'add', '--name', 'Mine', '--phone', '13800138000'], { db });
    const imp = background(['import', 'customers', '-'], { db, tmp, stdin: big });
    expect(await untilWriting(db)).toBe(true); // in the middle of its one transaction
    const pending = fs.readdirSync(tmp);
    expect(pending).toHaveLength(1); // the user's own folder of pending files …
    expect(tree(path.join(tmp, pending[0]!)).some((f) => f.endsWith('stdin.csv'))).toBe(true); // … holding the copy of standard input

    const startedAt = Date.now();
    const order = background(['order', 'add', '13800138000', '--amount', '128.50'], { db, tmp });
    expect(await until(() => order.stderr().includes('waiting'))).toBe(true);
    expect(order.stderr()).toMatch(/^waiting for an import to finish \(crm, pid \d+\): this command goes on when it is done…\n$/);
    // Still waiting past the 5 s after which it used to fail with "database is locked".
    await sleep(Math.max(0, 6000 - (Date.now() - startedAt)));
    expect(order.child.exitCode).toBeNull();
    expect(imp.child.exitCode).toBeNull();

    imp.child.kill('SIGKILL');
    expect(await imp.exit).toBeNull();
    expect(await order.exit).toBe(0);
    expect(order.stderr()).not.toMatch(/locked|unexpected/);
    // The book as before the import, with the order of the counter.
    expect(crmJson<{ name: string }[]>(['customer', 'list'], { db, env: { TMPDIR: tmp } }).map((c) => c.name)).toEqual(['Mine']);
    expect(crmJson<{ amount: string }[]>(['order', 'list'], { db, env: { TMPDIR: tmp } }).map((o) => o.amount)).toEqual(['128.50']);
    // The next crm removed the killed one's copy of standard input.
    expect(tree(path.join(tmp, pending[0]!))).toEqual([]);
  }, 60_000);

  it('waits for another program holding the write lock, and says so', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Mine', '--phone', '13800138000'], { db });
    const shell = new Database(db); // a sqlite3 shell, say, in the middle of a write
    shell.exec('BEGIN IMMEDIATE');
    const order = background(['order', 'add', 'Mine', '--amount', '5'], { db, tmp: tempDir() });
    expect(await until(() => order.stderr().includes('waiting'))).toBe(true);
    expect(order.stderr()).toBe(`waiting for another program to finish writing to ${db}…\n`);
    shell.exec('ROLLBACK');
    shell.close();
    expect(await order.exit).toBe(0);
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toHaveLength(1);
  });
});

describe('temporary files of a killed crm', () => {
  it('removes the temporary file of an export killed halfway on the next run, and never leaves it as the export', async () => {
    const db = tempDb();
    await setUp(['demo', '--customers', '3000'], { db });
    const tmp = tempDir();
    const dir = tempDir();
    const out = path.join(dir, 'orders.csv');
    const exp = background(['export', 'orders', '--out', out], { db, tmp });
    expect(await until(() => fs.readdirSync(dir).length > 0, 30_000, 2)).toBe(true);
    exp.child.kill('SIGKILL');
    await exp.exit;
    const left = fs.readdirSync(dir);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.orders\.csv\.crm-\d+-[0-9a-f]{8}\.tmp$/); // hidden, never under the name asked for
    expect((fs.statSync(path.join(dir, left[0]!)).mode & 0o777).toString(8)).toBe('600');

    // Any next crm that opens the book removes it (the note of it is in the user's pending folder).
    expect(crm(['customer', 'list', '--limit', '1'], { db, env: { TMPDIR: tmp } }).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(tree(tmp).filter((f) => !fs.statSync(path.join(tmp, f)).isDirectory())).toEqual([]);
  }, 60_000);

  it('leaves a file of the same form that no crm noted, and one of a crm still running, alone', () => {
    const db = tempDb();
    const dir = path.dirname(db);
    crm(['customer', 'add', '--name', 'A'], { db });
    const running = path.join(dir, `.x.csv.crm-${process.pid}-0123abcd.tmp`); // this test's own process is alive
    const mine = path.join(dir, 'notes.tmp');
    fs.writeFileSync(running, 'x');
    fs.writeFileSync(mine, 'x');
    expect(crm(['export', 'customers', '--out', path.join(dir, 'y.csv')], { db, env: { TMPDIR: tempDir() } }).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.x.csv.crm-' + process.pid + '-0123abcd.tmp', 'notes.tmp', 'shop.db', 'y.csv']);
  });
});
