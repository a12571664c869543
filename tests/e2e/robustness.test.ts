// Things that go wrong in real use: concurrent runs, foreign files, currencies, spreadsheets, odd refs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, NOW, tempDb, untilWriting } from '../helpers/crm.js';

function crmAsync(args: string[], db: string): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--debug', ...args], { env: { ...process.env, CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => resolve(`${code}${err ? `: ${err}` : ''}`));
  });
}

describe('the database under real use', () => {
  it('lets several crm processes create and write a new database at once', async () => {
    for (let round = 0; round < 3; round++) {
      const db = tempDb();
      const results = await Promise.all([1, 2, 3, 4].map((n) => crmAsync(['customer', 'add', '--name', `C${n}`], db)));
      expect(results).toEqual(['0', '0', '0', '0']);
      expect(crmJson<unknown[]>(['customer', 'list'], { db })).toHaveLength(4);
    }
  });

  it('leaves a SQLite file that is not a crm database byte for byte as it was', () => {
    const db = tempDb();
    const raw = new Database(db);
    raw.exec("CREATE TABLE mine (x); INSERT INTO mine VALUES ('keep me')");
    raw.close();
    const before = fs.readFileSync(db);
    expect(crm(['customer', 'add', '--name', 'A'], { db }).code).toBe(1);
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
  });

  it('leaves the shop as it was when a long write is killed halfway', async () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'Mine'], { db });
    const child = spawn(process.execPath, [BIN, 'demo', '--customers', '200000', '--force'], { env: { ...process.env, CRM_DB: db, CRM_NOW: NOW }, stdio: 'ignore' });
    expect(await untilWriting(db)).toBe(true); // it is in the middle of its one transaction
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(crmJson<{ name: string }[]>(['customer', 'list'], { db }).map((c) => c.name)).toEqual(['Mine']);
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toEqual([]);
  });

  it('records the machine time zone in a new database', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db, env: { TZ: 'Europe/Berlin' } });
    expect(crm(['config', 'get', 'timezone'], { db, env: { TZ: 'UTC' } }).stdout).toBe('Europe/Berlin\n');
  });
});

describe('money keeps its meaning', () => {
  it('refuses amounts in another currency and a currency change once orders exist', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db });
    for (const amount of ['$100', '€5', '100 USD']) {
      const r = crm(['order', 'add', 'A', '--amount', amount], { db });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`amount: "${amount}" is not in the shop's currency, CNY`);
    }
    expect(crm(['config', 'set', 'currency', 'USD'], { db }).code).toBe(0); // no orders yet: fine
    expect(crm(['config', 'set', 'currency', 'CNY'], { db }).code).toBe(0);
    crm(['order', 'add', 'A', '--amount', '128.50'], { db });
    const r = crm(['config', 'set', 'currency', 'JPY'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the currency stays CNY: 1 orders are recorded in it');
    expect(crmJson<{ amount: string }[]>(['order', 'list'], { db })[0]!.amount).toBe('128.50');
  });
});

describe('spreadsheets and refs', () => {
  it('neutralizes formulas in CSV but keeps phones and numbers as they are', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '=HYPERLINK("http://x","y")', '--phone', '13800138000', '--note', '+1-2'], { db });
    crm(['customer', 'add', '--name', '@SUM(A1)', '--note', '-5'], { db });
    const rows = Papa.parse<Record<string, string>>(crm(['customer', 'list', '--format', 'csv'], { db }).stdout.trim(), { header: true }).data;
    expect(rows.map((r) => [r.name, r.phone, r.note])).toEqual([
      ['\'=HYPERLINK("http://x","y")', '+8613800138000', '+1-2'],
      ["'@SUM(A1)", '', '-5'],
    ]);
  });

  it('reads a bare number as an id before a member number; ext: names the member number', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A', '--external-id', '2'], { db });
    crm(['customer', 'add', '--name', 'B'], { db });
    expect(crm(['customer', 'show', '2'], { db }).stdout).toContain('#2 B');
    expect(crm(['customer', 'show', 'ext:2'], { db }).stdout).toContain('#1 A');
  });

  it('normalizes tag filters like tags', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A', '--tag', 'VIP'], { db });
    expect(crmJson<unknown[]>(['customer', 'list', '--tag', '#vip '], { db })).toHaveLength(1);
  });

  it('finds landlines as dialled at home and digits in custom fields', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'Shop', '--phone', '021-6487 1234'], { db });
    crm(['customer', 'add', '--name', 'Card', '--field', '会员卡=88001234'], { db });
    const names = (q: string) => crmJson<{ name: string }[]>(['find', q], { db }).map((c) => c.name);
    expect(names('021')).toEqual(['Shop']);
    expect(names('021-6487')).toEqual(['Shop']);
    expect(names('1234')).toEqual(['Shop']);
    expect(names('88001234')).toEqual(['Card']);
  });
});

describe('usage errors', () => {
  it('refuses what it cannot do with exit 2 and a hint naming the command', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db });
    expect(crm(['customer', 'show', 'A', '--format', 'csv'], { db }).code).toBe(2);
    const big = crm(['customer', 'list', '--limit', '99999999999999999999'], { db });
    expect(big.code).toBe(2);
    expect(big.stderr).toContain('--limit must be a whole number');
    const bogus = crm(['customer', 'list', '--bogus'], { db });
    expect(bogus.stderr).toBe("crm: unknown option '--bogus'\nsee 'crm customer list --help'\n");
    expect(crm(['--lang', 'zh', 'customer', 'list', '--bogus'], { db }).stderr).toBe("crm: 未知选项 '--bogus'\n请参阅 'crm customer list --help'\n");
    expect(crm(['customer', 'lisst'], { db }).stderr).toContain("unknown command 'lisst' (did you mean list?)");
  });

  it('takes a bare date in CRM_NOW as that day, whatever the shop zone', () => {
    const db = tempDb();
    crm(['config', 'set', 'timezone', 'America/Los_Angeles'], { db });
    crm(['customer', 'add', '--name', 'A'], { db });
    crm(['order', 'add', 'A', '--amount', '1', '--date', 'today'], { db, env: { CRM_NOW: '2026-11-22' } });
    expect(crmJson<{ day: string }[]>(['order', 'list'], { db })[0]!.day).toBe('2026-11-22');
  });

  it('removes an interaction by id', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', 'A'], { db });
    crm(['log', 'A', '--type', 'call', '--note', 'x'], { db });
    expect(crm(['log', 'rm', '1'], { db }).stdout).toBe('Removed call #1 with A\n');
    expect(crm(['log', 'rm', '1'], { db }).code).toBe(1);
    expect(crmJson<unknown[]>(['log', 'list'], { db })).toEqual([]);
  });
});
