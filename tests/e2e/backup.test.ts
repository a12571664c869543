// Backups and restores as a shop owner (and cron) uses them: a backup made while another crm imports
// is whole and checked, a rotation removes only crm's own older backups, a restore refuses every
// file that is not a sound crm book and any book another crm has open, and replaces the book
// keeping the old one aside; a backup killed halfway leaves nothing under the name asked for.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { openDatabase } from '../../src/store/db.js';
import { BIN, crm, crmJson, NOW, tempDb, tempDir, untilWriting, type Result } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';
import { tty } from '../helpers/tty.js';

// The fake terminal is an xterm: under TERM=dumb Node's readline ignores line-editing keys.
process.env.TERM = 'xterm';

/** Runs crm in the background (the built binary), resolving with what it said. */
function crmAsync(args: string[], db: string, env: Record<string, string> = {}): { child: ReturnType<typeof spawn>; done: Promise<Result> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai', CRM_NOW: NOW, CRM_DB: db, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Result>((resolve) => child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? -1 : 0), stdout, stderr })));
  return { child, done };
}

/** What a user would compare: every customer's id, name and phone, in id order. */
function customersOf(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT id, name, (SELECT group_concat(phone) FROM customer_phones p WHERE p.customer_id = c.id) AS phone FROM customers c ORDER BY id').all() as { id: number; name: string; phone: string }[]).map((r) => `${r.id} ${r.name} ${r.phone}`);
  } finally {
    db.close();
  }
}

function integrity(file: string): { check: string; journal: string } {
  const db = new Database(file);
  try {
    return { check: db.pragma('integrity_check', { simple: true }) as string, journal: db.pragma('journal_mode', { simple: true }) as string };
  } finally {
    db.close();
  }
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

/**
 * Starts crm in the background and kills it (SIGKILL, as a power cut or `kill -9` would) `delayMs`
 * after a file whose name starts with `prefix` appears in `dir`: the run's own temporary file, or the
 * replaced book's copy a restore puts aside just before it writes into the book.
 */
async function killWhen(dir: string, prefix: string, args: string[], db: string, delayMs = 0): Promise<{ seen: boolean; result: Result }> {
  fs.mkdirSync(dir, { recursive: true });
  const watcher = fs.watch(dir);
  const started = crmAsync(args, db);
  let seen = false;
  watcher.on('change', (_e, name) => {
    if (!seen && String(name).startsWith(prefix)) {
      seen = true;
      setTimeout(() => started.child.kill('SIGKILL'), delayMs);
    }
  });
  const result = await started.done;
  watcher.close();
  return { seen, result };
}

/** Runs crm in this process at a fake terminal, typing each answer once its question is on the screen. */
async function atTerminal(argv: string[], db: string, script: [RegExp, string][]) {
  const [stdin, stdout, stderr] = [tty(), tty(), tty()];
  let screen = '';
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => {
    screen += d.toString();
    err += d.toString();
    const next = script[0];
    if (next && next[0].test(stripVTControlCharacters(screen))) {
      script.shift();
      screen = '';
      setTimeout(() => stdin.write(next[1]), 5);
    }
  });
  const code = await run(argv, { stdin, stdout, stderr }, { CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8', TZ: 'Asia/Shanghai' });
  return { code, out, err: stripVTControlCharacters(err), left: script.length };
}

let shop: string; // a book of 150 demo customers, with one backup of it
let backup: string;

let big: Promise<string> | undefined;
/** A book of 3000 demo customers (made once, for the tests that kill a backup or a restore halfway): it is never written to. */
function bigBook(): Promise<string> {
  big ??= (async () => {
    const db = path.join(tempDir(), 'kill.db');
    await setUp(['demo', '--customers', '3000'], { db });
    return db;
  })();
  return big;
}

beforeAll(async () => {
  shop = path.join(tempDir(), 'shop.db');
  await setUp(['demo', '--customers', '150'], { db: shop });
  backup = crmJson<{ file: string }>(['backup'], { db: shop }).file;
});

describe('crm backup', () => {
  it('makes a checked copy, 0600 in a 0700 folder beside the book, named in shop time, and never over a file', () => {
    expect(backup).toBe(path.join(path.dirname(shop), 'backups', 'shop-2026-11-22T100000.db'));
    expect(mode(backup)).toBe(0o600);
    expect(mode(path.dirname(backup))).toBe(0o700);
    // One self-contained file (no -wal needed beside it), sound, with every customer.
    expect(integrity(backup)).toEqual({ check: 'ok', journal: 'delete' });
    expect(customersOf(backup)).toEqual(customersOf(shop));

    const dir = tempDir();
    const to = path.join(dir, 'usb.db');
    const made = crmJson<{ file: string; size: number; customers: number; seconds: number }>(['backup', '--to', to], { db: shop });
    expect(made).toMatchObject({ file: to, size: fs.statSync(to).size, customers: 150 });
    const again = crm(['backup', '--to', to], { db: shop });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    fs.symlinkSync(backup, path.join(dir, 'link.db'));
    const link = crm(['backup', '--to', path.join(dir, 'link.db'), '--force'], { db: shop });
    expect(link.code).toBe(2);
    expect(link.stderr).toContain('is not a regular file');
    expect(crm(['backup', '--to', `${shop}-wal`], { db: shop }).code).toBe(2);
  });

  it('copies the book while another crm imports into it, and a restore meanwhile is refused', async () => {
    const db = path.join(tempDir(), 'busy.db');
    await setUp(['demo', '--customers', '100'], { db });
    const before = customersOf(db);
    const csv = path.join(path.dirname(db), 'big.csv');
    fs.writeFileSync(csv, `name,phone,city\n${Array.from({ length: 40_000 }, (_, i) => `客户${i},139${String(i).padStart(8, '0')},上海`).join('\n')}\n`);
    const imp = crmAsync(['import', 'customers', csv], db);
    expect(await untilWriting(db)).toBe(true);
    const to = path.join(path.dirname(db), 'during.db');
    const [made, restore] = await Promise.all([crmAsync(['backup', '--to', to, '--format', 'json'], db).done, crmAsync(['restore', backup, '--yes'], db).done]);
    const imported = await imp.done;
    expect(made.code, made.stderr).toBe(0);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('is open in another crm');
    expect(imported.code, imported.stderr).toBe(0);
    // The copy is sound and is a state the book went through: what it had, maybe some of the import.
    expect(integrity(to).check).toBe('ok');
    const copied = customersOf(to);
    const after = customersOf(db);
    expect(after).toHaveLength(40_100);
    expect(copied.slice(0, before.length)).toEqual(before);
    expect(after.slice(0, copied.length)).toEqual(copied);
  });

  it('keeps the N newest backups of this book and removes no file it did not name', () => {
    const db = path.join(path.dirname(shop), 'rot.db');
    fs.copyFileSync(backup, db);
    const dir = path.join(path.dirname(db), 'backups');
    const others = ['rot-notes.txt', 'rot-2026-11-01.db', 'other-2026-11-01T000000.db', 'rot-2026-11-01T000000.db.txt'];
    for (const f of others) fs.writeFileSync(path.join(dir, f), 'mine');
    fs.mkdirSync(path.join(dir, 'rot-2026-10-01T000000.db')); // a folder with a backup's name stays too
    for (const day of ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']) {
      const r = crm(['backup', '--keep', '2'], { db, env: { CRM_NOW: `${day}T03:00:00+08:00` } });
      // Removing old backups is news, not a problem: on stdout, so cron's `> /dev/null` keeps the night quiet.
      expect([r.code, r.stderr]).toEqual([0, '']);
      if (day === '2026-11-23') expect(r.stdout).toContain('Removed 1 older backups; 2 kept in');
    }
    const listed = crmJson<{ file: string; taken: string }[]>(['backup', 'list'], { db });
    expect(listed.map((b) => [b.file, b.taken])).toEqual([
      ['rot-2026-11-23T030000.db', '2026-11-23T03:00:00+08:00'],
      ['rot-2026-11-22T030000.db', '2026-11-22T03:00:00+08:00'],
    ]);
    for (const f of [...others, 'rot-2026-10-01T000000.db']) expect(fs.existsSync(path.join(dir, f)), f).toBe(true);
    expect(crmJson<unknown[]>(['backup', '--list'], { db })).toEqual(listed);
    const size = fs.statSync(path.join(dir, 'rot-2026-11-23T030000.db')).size;
    expect(crm(['backup', 'list', '--format', 'csv'], { db }).stdout.split('\n').slice(0, 2)).toEqual([
      'file,taken,size,path',
      `rot-2026-11-23T030000.db,2026-11-23T03:00:00+08:00,${size},${path.join(dir, 'rot-2026-11-23T030000.db')}`,
    ]);
    const table = crm(['backup', 'list'], { db }).stdout;
    expect(table).toMatch(/File +│ Taken +│ +Size │ Path/);
    expect(table).toMatch(/rot-2026-11-23T030000\.db │ 2026-11-23 03:00 │ +[\d.]+ KB │/);
    expect(crm(['backup', 'list', '--format', 'xml'], { db }).code).toBe(2);
    // A book with no backups: nothing on stdout in a table, one line saying so; [] for machines.
    const lone = path.join(tempDir(), 'lone.db');
    fs.copyFileSync(backup, lone);
    expect(crm(['backup', 'list'], { db: lone })).toEqual({ code: 0, stdout: '', stderr: `No backups of this book in ${path.join(path.dirname(lone), 'backups')}\n` });
    expect(crmJson(['backup', 'list'], { db: lone })).toEqual([]);
  });

  it('leaves no half file that looks like a backup, and the book untouched, when killed during a backup', async () => {
    const db = await bigBook();
    const before = customersOf(db);
    // Into the backups folder: what is left is a temporary name that no listing or rotation takes for a backup.
    const folder = path.join(path.dirname(db), 'backups');
    const dated = await killWhen(folder, '.crm-backup-', ['backup'], db);
    expect(dated.seen).toBe(true);
    expect(dated.result.code).toBe(-1); // killed, not finished
    expect(fs.readdirSync(folder).every((f) => f.startsWith('.crm-backup-'))).toBe(true);
    expect(crmJson(['backup', 'list'], { db })).toEqual([]);
    // To a file named with --to: nothing under that name.
    const dir = path.join(path.dirname(db), 'out');
    const to = path.join(dir, 'copy.db');
    const named = await killWhen(dir, '.crm-backup-', ['backup', '--to', to], db);
    expect(named.result.code).toBe(-1);
    expect(fs.existsSync(to)).toBe(false);
    expect(fs.readdirSync(dir).some((f) => f.startsWith('.crm-backup-'))).toBe(true);
    expect(integrity(db).check).toBe('ok');
    expect(customersOf(db)).toEqual(before);
    // Any next crm removes the killed one's copy, wherever --to put it (it holds every customer).
    expect(crm(['customer', 'list', '--limit', '1'], { db }).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
    // The next backup succeeds.
    expect(crm(['backup', '--to', to], { db }).code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['copy.db']);
    expect(crm(['backup'], { db }).code).toBe(0);
    expect(fs.readdirSync(folder)).toEqual(['kill-2026-11-22T100000.db']);
    expect(customersOf(to)).toEqual(before);
  });
});

describe('a backups folder that cannot be made', () => {
  it('fails in one line, quickly, when backup_dir\'s parent does not exist (it never makes a tree of folders)', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A'], { db });
    const missing = path.join(tempDir(), 'no-such-parent', 'backups');
    await setUp(['config', 'set', 'backup_dir', missing], { db });
    const r = crm(['backup'], { db });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`crm: ${missing}: no such file or folder`);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('crm restore', () => {
  it('refuses a file that is not a sound crm book, and without a terminal or --yes, leaving the book as it was', () => {
    const dir = path.dirname(shop);
    const text = path.join(dir, 'text.db');
    fs.writeFileSync(text, 'name,phone\n张伟,13800138000\n');
    const foreign = path.join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec("CREATE TABLE mine (x); INSERT INTO mine VALUES ('keep me')");
    f.close();
    const newer = path.join(dir, 'newer.db');
    fs.copyFileSync(backup, newer);
    const n = new Database(newer);
    n.pragma('user_version = 999');
    n.close();
    const damaged = path.join(dir, 'damaged.db');
    const bytes = fs.readFileSync(backup);
    for (let page = 1; page < 40; page++) bytes.fill(0xa5, page * 4096 + 8, page * 4096 + 200); // scribble over b-tree pages
    fs.writeFileSync(damaged, bytes);
    const book = fs.readFileSync(shop);
    const files = fs.readdirSync(dir).sort();
    for (const [file, says] of [
      [text, 'is not a SQLite database'],
      [damaged, 'is damaged'],
      [foreign, 'is not a crm book'],
      [newer, 'was written by a newer crm (schema 999'],
      [path.join(dir, 'missing.db'), 'cannot read'],
      [dir, 'is not a file: name a backup file to restore'],
    ] as const) {
      const r = crm(['restore', file, '--yes'], { db: shop });
      expect(r.code, file).toBe(2);
      expect(r.stderr, file).toContain(says);
      expect(r.stderr.trimEnd().split('\n'), file).toHaveLength(1); // one clear line
      if (says !== 'cannot read' && file !== dir) expect(r.stderr, file).toContain('the book was not changed');
    }
    const zh = crm(['--lang', 'zh', 'restore', damaged, '--yes'], { db: shop });
    expect(zh.code).toBe(2);
    expect(zh.stderr).toContain(`${damaged} 已损坏`);
    expect(zh.stderr).toContain('客户库未改动');
    expect(crm(['--lang', 'zh', 'restore', newer, '--yes'], { db: shop }).stderr).toContain('由更新版本的 crm 写入（结构版本 999');
    const noTty = crm(['restore', backup], { db: shop });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toContain('needs confirmation');
    expect(noTty.stderr).toContain('--yes');
    expect(fs.readFileSync(shop).equals(book)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(files); // no staged copy left behind
  });

  it('replaces the book with a backup, keeps the replaced one aside and names both', async () => {
    const db = path.join(tempDir(), 'shop.db');
    fs.copyFileSync(backup, db);
    await setUp(['customer', 'add', '--name', 'Added after the backup'], { db });
    const r = crm(['restore', backup, '--yes'], { db });
    expect(r.code, r.stderr).toBe(0);
    const aside = `${db}.before-restore-2026-11-22T100000`;
    expect(r.stdout).toBe(`Restored ${backup} into ${db}\nThe replaced book is kept as ${aside}\n`);
    expect(customersOf(db)).toEqual(customersOf(backup));
    expect(crm(['find', 'Added after the backup'], { db }).stdout).not.toContain('Added after the backup');
    expect(crm(['find', 'Added after the backup'], { db: aside }).stdout).toContain('Added after the backup');
    expect(mode(aside)).toBe(0o600);
    expect(integrity(db)).toEqual({ check: 'ok', journal: 'wal' });
    // A second restore in the same second keeps the first one's aside copy too.
    const json = crmJson<{ book: string; kept_as: string; customers: number }>(['restore', backup, '--yes'], { db });
    expect(json).toEqual({ book: db, restored_from: backup, kept_as: `${aside}-2`, customers: 150 });
    expect(fs.existsSync(aside)).toBe(true);
  });
});

describe('crm restore at a terminal, and killed', () => {
  it('asks at a terminal before it replaces the book: no leaves it, yes restores', async () => {
    const db = path.join(tempDir(), 'shop.db');
    fs.copyFileSync(backup, db);
    await setUp(['customer', 'add', '--name', 'Kept unless restored'], { db });
    const before = customersOf(db);
    const no = await atTerminal(['restore', backup], db, [[/\(y\/N\)/, 'n\r']]);
    expect([no.code, no.left]).toEqual([0, 0]);
    expect(no.err.replace(/\s+/g, ' ')).toContain(`Replace the book ${db} with ${backup} (150 customers)? The replaced book is kept aside.`);
    expect(no.err).toContain('Cancelled; nothing was changed.');
    expect(customersOf(db)).toEqual(before);
    expect(fs.readdirSync(path.dirname(db)).filter((f) => !f.startsWith('shop.db'))).toEqual([]); // no staged copy left
    const yes = await atTerminal(['restore', backup], db, [[/\(y\/N\)/, 'y\r']]);
    expect([yes.code, yes.left]).toEqual([0, 0]);
    expect(yes.out).toContain(`The replaced book is kept as ${db}.before-restore-2026-11-22T100000`);
    expect(customersOf(db)).toEqual(customersOf(backup));
  });

  it('leaves the old book or the new one, whole, when killed at any moment of a restore', async () => {
    const dir = tempDir();
    const fresh = path.join(dir, 'fresh-backup.db');
    await setUp(['backup', '--to', fresh], { db: await bigBook() }); // the backup restored (set up in this process)
    const [oldBook, newBook] = [customersOf(backup), customersOf(fresh)];
    const book = path.join(dir, 'book', 'shop.db');
    const outcomes: string[] = [];
    for (const delay of [0, 15, 30, 45, 60, 80, 120]) {
      fs.rmSync(path.dirname(book), { recursive: true, force: true });
      fs.mkdirSync(path.dirname(book), { mode: 0o700 });
      fs.copyFileSync(backup, book);
      // Killed once the replaced book's copy is aside, when the restore writes into the book (or just before, or after).
      const { seen, result } = await killWhen(path.dirname(book), 'shop.db.before-restore-', ['restore', fresh, '--yes'], book, delay);
      expect(seen, `${delay} ms`).toBe(true);
      expect(integrity(book).check, `${delay} ms`).toBe('ok');
      const now = customersOf(book);
      const which = now.length === oldBook.length && now.every((c, i) => c === oldBook[i]) ? 'old' : now.length === newBook.length && now.every((c, i) => c === newBook[i]) ? 'new' : 'mixed';
      outcomes.push(`${delay}:${result.code === -1 ? 'killed' : result.code}:${which}`);
      expect(which, outcomes.join(' ')).not.toBe('mixed');
      // crm opens it as usual afterwards, and a restore again removes what the killed one left.
      expect(crm(['customer', 'list', '--format', 'json', '--limit', '1'], { db: book }).code).toBe(0);
    }
    expect(outcomes.some((o) => o.includes('killed')), outcomes.join(' ')).toBe(true);
    expect(outcomes.some((o) => o.endsWith(':old')), outcomes.join(' ')).toBe(true);
    const again = crm(['restore', fresh, '--yes'], { db: book });
    expect(again.code, again.stderr).toBe(0);
    expect(customersOf(book)).toEqual(newBook);
    expect(fs.readdirSync(path.dirname(book)).filter((f) => f.startsWith('.crm-'))).toEqual([]);
  });
});

describe('what a commit survives', () => {
  it('syncs at checkpoints (synchronous NORMAL) by default, and every commit with durability full', async () => {
    const db = path.join(tempDir(), 'sync.db');
    fs.copyFileSync(backup, db);
    const sync = () => {
      const d = openDatabase(db);
      try {
        return { mode: d.pragma('journal_mode', { simple: true }), synchronous: d.pragma('synchronous', { simple: true }) };
      } finally {
        d.close();
      }
    };
    expect(sync()).toEqual({ mode: 'wal', synchronous: 1 }); // NORMAL
    await setUp(['config', 'set', 'durability', 'full'], { db });
    expect(sync()).toEqual({ mode: 'wal', synchronous: 2 }); // FULL
    const bad = crm(['config', 'set', 'durability', 'fast'], { db });
    expect(bad.code).toBe(2);
  });
});

describe('the daily backup of crm remind run', () => {
  it('makes one backup a shop day when backup_keep is set, rotates, and fails the run when it cannot', async () => {
    const db = path.join(tempDir(), 'cron.db');
    fs.copyFileSync(backup, db);
    const dir = path.join(path.dirname(db), 'backups');
    expect(crm(['remind', 'run'], { db }).stderr).not.toContain('backup');
    expect(fs.existsSync(dir)).toBe(false); // off by default
    await setUp(['config', 'set', 'backup_keep', '2'], { db });
    for (const at of ['2026-11-22T03:00:00+08:00', '2026-11-22T03:15:00+08:00', '2026-11-23T03:00:00+08:00', '2026-11-24T03:00:00+08:00']) {
      const r = crm(['remind', 'run'], { db, env: { CRM_NOW: at } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.includes('Daily backup:'), at).toBe(!at.endsWith('03:15:00+08:00'));
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['cron-2026-11-23T030000.db', 'cron-2026-11-24T030000.db']);
    fs.writeFileSync(path.join(path.dirname(db), 'a-file'), '');
    await setUp(['config', 'set', 'backup_dir', path.join(path.dirname(db), 'a-file', 'backups')], { db });
    const failed = crm(['remind', 'run'], { db, env: { CRM_NOW: '2026-11-25T03:00:00+08:00' } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('crm: the daily backup failed: ' + path.join(path.dirname(db), 'a-file', 'backups') + ': part of the path is a file, not a folder');
  });
});
