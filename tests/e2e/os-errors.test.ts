// What the operating system refuses, said as crm's one line naming the file and what to do (never a
// stack, never "unexpected error"); files crm makes are its user's only; --force replaces only a
// regular file; a pipe can be read.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemError } from '../../src/errors.js';
import { translate } from '../../src/messages/index.js';
import { BIN, crm, crmJson, NOW, tempDb, tempDir, type Result } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

const isRoot = process.getuid?.() === 0;

/** crm with its standard output on a file descriptor of ours (/dev/full), or as another user. */
function crmWith(args: string[], o: { db?: string; stdout?: number; asOther?: boolean; tmp?: string }): Result {
  const env = { PATH: process.env.PATH, LANG: 'en_US.UTF-8', CRM_NOW: NOW, TZ: 'Asia/Shanghai', ...(o.db ? { CRM_DB: o.db } : {}), ...(o.tmp ? { TMPDIR: o.tmp } : {}) };
  // Root writes through any permission: the refusals of permissions are a user's (nobody's).
  const user = o.asOther && isRoot ? { uid: 65534, gid: 65534 } : {};
  const r = spawnSync(process.execPath, [BIN, ...args], { env, ...user, cwd: '/', encoding: 'utf8', stdio: ['ignore', o.stdout ?? 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr };
}

/** The two lines of an error: `crm: …` and its hint, and nothing else (no stack, no second error). */
function twoLines(r: Result): [string, string] {
  const lines = r.stderr.split('\n');
  expect(lines, r.stderr).toHaveLength(3);
  expect(lines[2]).toBe('');
  expect(r.stderr).not.toMatch(/unexpected error|TypeError|\n\s+at /);
  return [lines[0]!, lines[1]!];
}

let db: string;
beforeAll(async () => {
  db = tempDb();
  await setUp(['customer', 'add', '--name', '张三', '--phone', '13800138000'], { db });
  await setUp(['customer', 'add', '--name', 'Li Si', '--phone', '13900139000'], { db });
});

describe('an operating-system error is one line naming the file, and a hint', () => {
  it('says a full disk under standard output (/dev/full) in one line, for an export and a listing', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      for (const args of [['export', 'customers'], ['customer', 'list', '--format', 'csv']]) {
        const r = crmWith(args, { db, stdout: full });
        expect(r.code).toBe(1);
        expect(twoLines(r)).toEqual(['crm: no space left on the disk to write standard output', 'free some disk space and run the command again']);
      }
    } finally {
      fs.closeSync(full);
    }
  });

  it('says an export into a folder that does not exist once, with no stack after it', () => {
    const out = path.join(tempDir(), 'no-such-folder', 'x.csv');
    const r = crm(['export', 'orders', '--out', out], { db });
    expect(r.code).toBe(1);
    const [line, hint] = twoLines(r);
    expect(line).toBe(`crm: ${out}: no such file or folder`);
    expect(hint).toContain('check the path');
  });

  it('names a template, holiday or survey file that is not there in the same one line, with what to do', () => {
    const gone = path.join(tempDir(), 'gone');
    for (const args of [['template', 'new', 'zz', '--file', `${gone}.liquid`], ['holidays', 'import', `${gone}.json`], ['survey', 'import', `${gone}.csv`]]) {
      const r = crm(args, { db });
      expect(r.code, args.join(' ')).toBe(1);
      const [line, hint] = twoLines(r);
      expect(line).toBe(`crm: ${args.at(-1)}: no such file or folder`);
      expect(hint).toContain('check the path');
    }
  });

  it('says a read-only database is read-only, naming it, and changes nothing', () => {
    const dir = tempDir();
    const ro = path.join(dir, 'shop.db');
    fs.copyFileSync(db, ro);
    fs.chmodSync(ro, 0o444);
    fs.chmodSync(dir, 0o555);
    try {
      const r = crmWith(['order', 'add', '张三', '--amount', '12'], { db: ro, asOther: true });
      expect(r.code).toBe(1);
      const [line, hint] = twoLines(r);
      expect(line).toBe(`crm: the database ${ro} is read-only: nothing was changed`);
      expect(hint).toContain('check their permissions');
    } finally {
      fs.chmodSync(dir, 0o755);
    }
    expect(crmJson<unknown[]>(['order', 'list'], { db: ro })).toEqual([]);
  });

  it('says a permission refused (EACCES) naming the file, for a file read and a file written', () => {
    // A shop of the other user's own, and a file and a folder that user may not use.
    const dir = tempDir();
    fs.chmodSync(dir, 0o777);
    const theirs = path.join(dir, 'theirs.db');
    expect(crmWith(['customer', 'add', '--name', 'A'], { db: theirs, asOther: true }).code).toBe(0);
    const secret = path.join(dir, 'secret.csv');
    fs.writeFileSync(secret, 'name\nB\n', { mode: 0o600 });
    fs.chmodSync(secret, 0o000);
    const closed = path.join(dir, 'closed');
    fs.mkdirSync(closed, { mode: 0o555 });
    fs.chmodSync(closed, 0o555);

    const read = crmWith(['import', 'customers', secret], { db: theirs, asOther: true });
    expect(read.code).toBe(1);
    expect(twoLines(read)).toEqual([`crm: ${secret}: permission denied`, `check the permissions of ${secret} and its folder (ls -l), or choose a place you may write`]);
    const out = path.join(closed, 'x.csv');
    const write = crmWith(['export', 'customers', '--out', out], { db: theirs, asOther: true });
    expect(write.code).toBe(1);
    expect(twoLines(write)[0]).toBe(`crm: ${out}: permission denied`);
    expect(fs.readdirSync(closed)).toEqual([]);
  });

  it('has a catalog line, in both languages, for the codes a full, read-only or broken disk gives', () => {
    const cases: [string, string][] = [
      ['ENOSPC', 'no space left on the disk to write /x/y.csv'],
      ['EROFS', '/x/y.csv is on a read-only file system'],
      ['SQLITE_FULL', 'the disk holding the database /x/y.csv is full: nothing was changed'],
      ['SQLITE_READONLY_DBMOVED', 'the database /x/y.csv is read-only: nothing was changed'],
      ['SQLITE_IOERR_WRITE', 'the disk could not read or write /x/y.csv: nothing was changed'],
      ['SQLITE_BUSY', 'the database /x/y.csv stayed locked by another program: nothing was changed'],
    ];
    for (const [code, line] of cases) {
      const e = systemError(Object.assign(new Error(code), { code }), '/x/y.csv')!;
      expect(e.exitCode).toBe(1);
      expect(translate('en', e.id, e.params)).toBe(line);
      expect(translate('zh', e.id, e.params)).toContain('/x/y.csv');
      expect(e.hint).toBeDefined();
    }
    expect(systemError(Object.assign(new Error('?'), { code: 'SQLITE_CONSTRAINT' }), '/x')).toBeNull();
  });
});

describe('--force replaces only a regular file', () => {
  it('refuses a symbolic link, a folder, a pipe and a device, and leaves each as it was', () => {
    const dir = tempDir();
    const mine = path.join(dir, 'mine.txt');
    fs.writeFileSync(mine, 'my own notes');
    const link = path.join(dir, 'link.csv');
    fs.symlinkSync(mine, link);
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    const fifo = path.join(dir, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const cases: [string, string][] = [
      [link, 'a symbolic link'],
      [folder, 'a folder'],
      [fifo, 'a pipe'],
      ['/dev/full', 'a device'],
    ];
    for (const [target, what] of cases) {
      const r = crm(['export', 'customers', '--out', target, '--force'], { db });
      expect(r.code, target).toBe(2);
      expect(twoLines(r)).toEqual([`crm: ${target} is ${what}: crm replaces only regular files`, 'name a new file or a regular one; to write to standard output, leave out --out']);
    }
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(mine, 'utf8')).toBe('my own notes');
    expect(fs.statSync(folder).isDirectory()).toBe(true);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['fifo', 'folder', 'link.csv', 'mine.txt']);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('refuses a --rejects file that is a symbolic link, and imports nothing', () => {
    const dir = tempDir();
    const mine = path.join(dir, 'mine.txt');
    fs.writeFileSync(mine, 'keep');
    fs.symlinkSync(mine, path.join(dir, 'r.csv'));
    const file = path.join(dir, 'in.csv');
    fs.writeFileSync(file, 'name,phone\nX,12345\nY,13700137000\n');
    const shop = tempDb();
    const r = crm(['import', 'customers', file, '--rejects', path.join(dir, 'r.csv')], { db: shop });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a symbolic link: crm replaces only regular files');
    expect(fs.readFileSync(mine, 'utf8')).toBe('keep');
    expect(crmJson<unknown[]>(['customer', 'list'], { db: shop })).toEqual([]);
  });
});

describe('files crm makes are its user’s only', () => {
  it('makes a --db database 0600 in a new folder 0700, and exports, rejects files and its own folder 0600/0700', () => {
    const tmp = tempDir();
    const dir = tempDir();
    const shop = path.join(dir, 'new', 'deeper', 'shop.db');
    const env = { TMPDIR: tmp };
    const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);
    expect(crm(['--db', shop, 'customer', 'add', '--name', 'A'], { env }).code).toBe(0);
    expect([mode(shop), mode(path.dirname(shop)), mode(path.join(dir, 'new'))]).toEqual(['600', '700', '700']);

    const out = path.join(dir, 'out.csv');
    expect(crm(['--db', shop, 'export', 'customers', '--out', out], { env }).code).toBe(0);
    expect(mode(out)).toBe('600');
    fs.chmodSync(out, 0o644); // a file made by hand or another program: --force puts a 0600 one in its place
    expect(crm(['--db', shop, 'export', 'customers', '--out', out, '--force'], { env }).code).toBe(0);
    expect(mode(out)).toBe('600');

    const input = path.join(dir, 'in.csv');
    fs.writeFileSync(input, 'name,phone\nX,12345\n');
    expect(crm(['--db', shop, 'import', 'customers', input], { env }).code).toBe(2);
    expect(mode(path.join(dir, 'in.rejects.csv'))).toBe('600');
    // The folder of pending files (copies of standard input, notes of temporary files).
    expect(crm(['--db', shop, 'import', 'customers', '-'], { env, input: 'name\nB\n' }).code).toBe(0);
    const own = fs.readdirSync(tmp);
    expect(own).toHaveLength(1);
    expect(mode(path.join(tmp, own[0]!))).toBe('700');
    expect(fs.readdirSync(path.join(tmp, own[0]!))).toEqual([]); // nothing left once it is done
  });
});

describe('reading a pipe', () => {
  it('imports from /dev/stdin and from - when standard input is a pipe, for customers and interactions', () => {
    const shop = tempDb();
    const dir = tempDir();
    const env = { TMPDIR: dir };
    const viaDev = crm(['import', 'customers', '/dev/stdin'], { db: shop, env, input: 'name,phone\n王五,13700137000\n' });
    expect(viaDev.stderr).not.toMatch(/ESPIPE|unexpected/);
    expect(viaDev.code).toBe(0);
    // A shell's pipe (a FIFO; Node's own is a socket), as `cat list.csv | crm import customers /dev/stdin`.
    const sh = spawnSync('sh', ['-c', `printf 'name\\n赵六\\n' | "${process.execPath}" "${BIN}" import customers /dev/stdin`], { env: { PATH: process.env.PATH, LANG: 'en_US.UTF-8', CRM_NOW: NOW, CRM_DB: shop, TMPDIR: dir }, encoding: 'utf8' });
    expect(sh.stderr).not.toMatch(/ESPIPE|unexpected/);
    expect(sh.status).toBe(0);
    const interactions = 'phone,time,type,note\n13700137000,2026-11-20 10:00,call,问了价格\n';
    for (const file of ['/dev/stdin', '-']) {
      const r = crm(['import', 'interactions', file], { db: shop, env, input: interactions });
      expect(r.stderr).not.toMatch(/ESPIPE|unexpected|ENOENT/);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(crmJson<{ name: string }[]>(['customer', 'list'], { db: shop }).map((c) => c.name)).toEqual(['王五', '赵六']);
    expect(crmJson<unknown[]>(['log', 'list'], { db: shop })).toHaveLength(1);
    expect(fs.readdirSync(path.dirname(shop))).toEqual(['shop.db']); // no rejects file, no copy of stdin beside the book
  });
});
