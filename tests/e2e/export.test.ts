// crm export, run as a user would: what lands in the file or on stdout, byte for byte where Excel
// cares (BOM, line ends, encodings), and what a spreadsheet would make of each cell.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli.js';
import { BIN, crm, NOW, tempDb, tempDir, type Result } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

type Row = Record<string, string>;

function parseCsv(text: string): { fields: string[]; rows: Row[] } {
  const r = Papa.parse<Row>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true });
  expect(r.errors).toEqual([]);
  return { fields: r.meta.fields ?? [], rows: r.data };
}

function ok(args: string[], db: string, env?: Record<string, string>) {
  const r = crm(args, { db, env });
  expect(r.code, `crm ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

const BUILT_IN = [
  'id', 'name', 'phone', 'email', 'gender', 'birthday', 'birthday_lunar', 'birthday_leap', 'city', 'address', 'external_id', 'tags', 'tier',
  'orders', 'spend', 'first_order', 'last_order', 'do_not_contact', 'marketing_opt_out', 'note', 'created_at', 'updated_at', 'name_raw', 'email_raw', 'phone_raw',
];

/**
 * A small shop: two Chinese customers, one English one, orders and interactions. Set up once, in this
 * process (src/cli run, what bin/crm.js calls; what the tests check runs the built binary), before
 * any test; each describe works on its own copy of the file.
 */
let template = '';
beforeAll(async () => {
  template = tempDb();
  const db = template;
  await setUp(['customer', 'add', '--name', '张伟', '--phone', '+86 138-0013-8000', '--email', 'Zhang@Example.com', '--gender', '男', '--birthday', '1990-03-05',
    '--city', '上海', '--address', '上海市徐汇区漕溪北路1234号', '--tag', 'VIP', '--tag', '老客户', '--field', '微信=wxid_zw', '--note', '喜欢绿茶，要发票'], { db, env: { CRM_NOW: '2025-06-01T10:00:00+08:00' } });
  await setUp(['customer', 'add', '--name', '欧阳娜娜', '--phone', '13900139000', '--phone', '02164871234', '--city', '上海市', '--tag', 'VIP', '--field', '尺码=L'], { db });
  await setUp(['customer', 'add', '--name', 'Emily Chen', '--email', 'emily@example.com', '--city', 'Seattle', '--address', '12 Pike St, Seattle'], { db });
  await setUp(['order', 'add', '张伟', '--amount', '1280.50', '--date', '2026-02-14', '--id', 'SO-001', '--note', '情人节礼盒'], { db });
  await setUp(['order', 'add', '张伟', '--amount', '12.50', '--date', '2026-11-01'], { db });
  await setUp(['order', 'add', '欧阳娜娜', '--amount', '99', '--date', '2025-12-24'], { db });
  await setUp(['log', '张伟', '--type', 'call', '--note', '回访：对新品很满意', '--at', '2026-11-20 15:30'], { db });
  await setUp(['log', 'Emily Chen', '--type', 'email', '--note', 'sent the catalogue', '--at', '2026-10-01'], { db });
});

function shop(): string {
  const db = tempDb();
  for (const ext of ['', '-wal']) if (fs.existsSync(template + ext)) fs.copyFileSync(template + ext, db + ext);
  return db;
}

describe('crm export customers', () => {
  let db: string;
  beforeAll(() => {
    db = shop();
  });
  // No test here changes the shop: crm export customers of it is one output, made once by the
  // binary (the first test checks it) and compared against by the others.
  let exported: Result | undefined;
  const plain = () => (exported ??= ok(['export', 'customers'], db));

  it('writes every customer as CSV with the columns of customer list, Chinese intact', () => {
    const r = plain();
    expect(r.stderr).toBe('');
    const { fields, rows } = parseCsv(r.stdout);
    expect(fields).toEqual([...BUILT_IN, '尺码', '微信']);
    expect(rows.map((c) => c.name)).toEqual(['张伟', '欧阳娜娜', 'Emily Chen']);
    expect(rows[0]).toMatchObject({
      id: '1',
      phone: '+8613800138000',
      email: 'zhang@example.com',
      gender: 'male',
      birthday: '1990-03-05',
      address: '上海市徐汇区漕溪北路1234号',
      tags: 'VIP, 老客户',
      orders: '2',
      spend: '1293.00',
      first_order: '2026-02-14',
      last_order: '2026-11-01',
      note: '喜欢绿茶，要发票',
      created_at: '2025-06-01T10:00:00+08:00',
      email_raw: 'Zhang@Example.com',
      phone_raw: '+86 138-0013-8000', // starts with + but calls nothing: no mark
      微信: 'wxid_zw',
      尺码: '',
    });
    expect(rows[1]).toMatchObject({ phone: '+8613900139000, +862164871234', 尺码: 'L', 微信: '' });
    // The same bytes as the listing, so one reader (crm import) takes both.
    expect(r.stdout).toBe(ok(['customer', 'list', '--format', 'csv'], db).stdout);
  });

  it('filters, sorts, limits and picks columns as customer list does', () => {
    const names = (...args: string[]) => parseCsv(ok(['export', 'customers', ...args], db).stdout).rows.map((c) => c.name);
    expect(names('--tag', 'vip')).toEqual(['张伟', '欧阳娜娜']);
    expect(names('--tag', 'VIP', '--tag', '老客户')).toEqual(['张伟']);
    expect(names('--city', '上海')).toEqual(['张伟', '欧阳娜娜']);
    expect(names('--since', '2026-01-01')).toEqual(['欧阳娜娜', 'Emily Chen']);
    expect(names('--sort', 'spend')).toEqual(['张伟', '欧阳娜娜', 'Emily Chen']);
    expect(names('--sort', 'name', '--limit', '2')).toEqual(['Emily Chen', '张伟']);
    expect(ok(['export', 'customers', '--columns', 'name,phone,微信'], db).stdout).toBe(
      // Two phones in one cell start with + but call nothing: no mark (docs/spreadsheets.md).
      'name,phone,微信\n张伟,+8613800138000,wxid_zw\n欧阳娜娜,"+8613900139000, +862164871234",\nEmily Chen,,\n',
    );
    // Custom field columns are those of the customers exported.
    expect(parseCsv(ok(['export', 'customers', '--tag', '老客户'], db).stdout).fields).toEqual([...BUILT_IN, '微信']);
    for (const args of [['--sort', 'bogus'], ['--limit', '0'], ['--columns', 'nope'], ['--since', 'someday'], ['--format', 'table']]) {
      const r = crm(['export', 'customers', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('writes a file with --out, refuses to overwrite it without --force, and leaves no half file', () => {
    const dir = tempDir();
    const file = path.join(dir, '客户.csv');
    const first = ok(['export', 'customers', '--out', file], db);
    expect(first.stdout).toBe('');
    expect(first.stderr).toBe(`Exported 3 rows to ${file}\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe(plain().stdout);

    fs.writeFileSync(file, 'my own notes');
    const again = crm(['export', 'customers', '--out', file], { db });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`${file} already exists`);
    expect(again.stderr).toContain('--force');
    expect(fs.readFileSync(file, 'utf8')).toBe('my own notes');

    ok(['export', 'customers', '--out', file, '--force', '--tag', '老客户'], db);
    expect(parseCsv(fs.readFileSync(file, 'utf8')).rows).toHaveLength(1);
    expect(fs.readdirSync(dir)).toEqual(['客户.csv']); // no temporary file left behind

    const nowhere = crm(['export', 'customers', '--out', path.join(dir, 'no-such-folder', 'x.csv')], { db });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/^crm: .*x\.csv: no such file or folder\ncheck the path/);
    const bad = crm(['export', 'customers', '--out', path.join(dir, 'bad.csv'), '--columns', 'nope'], { db });
    expect(bad.code).toBe(2);
    expect(fs.readdirSync(dir)).toEqual(['客户.csv']);
    expect(crm(['--lang', 'zh', 'export', 'customers', '--out', path.join(dir, 'zh.csv')], { db }).stderr).toBe(`已导出 3 行到 ${path.join(dir, 'zh.csv')}\n`);
    const overDb = crm(['export', 'customers', '--out', db, '--force'], { db });
    expect(overDb.code).toBe(2);
    expect(overDb.stderr).toContain('is the database itself');
    expect(ok(['customer', 'list', '--format', 'json'], db).stdout).toContain('"name"');
  });

  it('writes UTF-8 with a BOM and CRLF line ends for Excel', () => {
    const file = path.join(tempDir(), 'excel.csv');
    ok(['export', 'customers', '--excel', '--out', file], db);
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')).toHaveLength(5); // header, 3 rows, and the end
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('欧阳娜娜');
    // Phones, numbers with leading zeros, lists of phones and birthdays without year are written as
    // ="…", which Excel shows as that text; times as the shop's wall clock time, which it reads as a time.
    expect(text).toContain('"=""+8613800138000"""');
    expect(text).toContain('"=""+8613900139000, +862164871234"""');
    expect(text).toContain(',2025-06-01 10:00:00,');
    expect(text).not.toMatch(/T\d\d:\d\d:\d\d/);
    const unwrapped = text.replace(/\r\n/g, '\n').replace(/"=""([^"]*)"""/g, (_, v: string) => (v.includes(',') ? `"${v}"` : v));
    expect(unwrapped).toBe(plain().stdout.replace(/(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)\+08:00/g, '$1 $2'));
    // And crm import reads them back as they were.
    const back = tempDb();
    expect(crm(['import', 'customers', file], { db: back }).code).toBe(0);
    expect(ok(['customer', 'list', '--format', 'json', '--columns', 'name,phone'], back).stdout).toBe(ok(['customer', 'list', '--format', 'json', '--columns', 'name,phone'], db).stdout);
  });

  it('writes GB18030, GBK and UTF-16LE that decode back to the same text', () => {
    const utf8 = plain().stdout;
    const dir = tempDir();
    for (const [encoding, bom] of [['gb18030', []], ['GBK', []], ['utf-16le', [0xff, 0xfe]]] as const) {
      const file = path.join(dir, `${encoding}.csv`);
      ok(['export', 'customers', '--encoding', encoding, '--out', file], db);
      const bytes = fs.readFileSync(file);
      expect([...bytes.subarray(0, bom.length)]).toEqual(bom);
      expect(bytes.includes(Buffer.from('张伟', 'utf8'))).toBe(false);
      expect(iconv.decode(bytes.subarray(bom.length), encoding)).toBe(utf8);
    }
    expect(fs.readFileSync(path.join(dir, 'gb18030.csv')).includes(iconv.encode('欧阳娜娜', 'gb18030'))).toBe(true);
    const unknown = crm(['export', 'customers', '--encoding', 'latin1'], { db });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('crm: unknown encoding "latin1": use utf-8|gb18030|gbk|utf-16le\n');
    expect(crm(['export', 'customers', '--format', 'json', '--encoding', 'gb18030'], { db }).code).toBe(2);
    expect(crm(['export', 'customers', '--format', 'json', '--excel'], { db }).code).toBe(2);
  });

  it('says when GBK cannot hold a character instead of losing it silently', async () => {
    const db2 = tempDb();
    await setUp(['customer', 'add', '--name', '王😀'], { db: db2 });
    const file = path.join(tempDir(), 'gbk.csv');
    const r = ok(['export', 'customers', '--encoding', 'gbk', '--out', file], db2);
    expect(r.stderr).toContain('1 row(s) hold characters that gbk cannot represent');
    expect(iconv.decode(fs.readFileSync(file), 'gbk')).toContain('王?');
  });

  it('writes JSON that parses, the same as customer list --format json', () => {
    const r = ok(['export', 'customers', '--format', 'json'], db);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((c) => c.name)).toEqual(['张伟', '欧阳娜娜', 'Emily Chen']);
    expect(rows[0]).toMatchObject({ id: 1, phone: ['+8613800138000'], tags: ['VIP', '老客户'], spend: '1293.00', do_not_contact: false, 微信: 'wxid_zw' });
    expect(r.stdout).toBe(ok(['customer', 'list', '--format', 'json'], db).stdout);
    expect(JSON.parse(ok(['export', 'customers', '--format', 'json', '--tag', 'nobody'], db).stdout)).toEqual([]);
  });
});

describe('formula injection', () => {
  it('neutralizes cells a spreadsheet would run, and leaves numbers and phones alone', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '=HYPERLINK("http://evil.example","点我")', '--phone', '13800138000', '--note', '@SUM(A1:A9)', '--field', 'x=+1-2'], { db });
    await setUp(['customer', 'add', '--name', '-5', '--note', '-5', '--field', 'x=+86 10086'], { db });
    await setUp(['order', 'add', '13800138000', '--amount', '12.50', '--note', '=1+1'], { db });
    await setUp(['log', '13800138000', '--note', '+1-2'], { db });
    const out = ok(['export', 'customers', '--columns', 'name,phone,note,spend,x'], db).stdout;
    expect(out).toContain('"\'=HYPERLINK(""http://evil.example"",""点我"")"');
    expect(parseCsv(out).rows).toEqual([
      { name: '\'=HYPERLINK("http://evil.example","点我")', phone: '+8613800138000', note: "'@SUM(A1:A9)", spend: '12.50', x: '+1-2' },
      { name: '-5', phone: '', note: '-5', spend: '0.00', x: '+86 10086' },
    ]);
    expect(parseCsv(ok(['export', 'orders'], db).stdout).rows[0]).toMatchObject({ amount: '12.50', note: "'=1+1" });
    // For Excel, a cell it would run or change is a string formula: shown as typed, unmarked, never run.
    expect(ok(['export', 'orders', '--excel'], db).stdout).toContain(',"=""=1+1"""');
    expect(parseCsv(ok(['export', 'interactions'], db).stdout).rows[0]).toMatchObject({ note: '+1-2' });
    // JSON carries the data as it is.
    expect(JSON.parse(ok(['export', 'customers', '--format', 'json'], db).stdout)[0].note).toBe('@SUM(A1:A9)');
  });
});

describe('crm export --mask', () => {
  it('masks phones, emails, names, addresses, birth years, ids and what identifies inside notes, in CSV and JSON', () => {
    const db = shop();
    const { rows } = parseCsv(ok(['export', 'customers', '--mask'], db).stdout);
    expect(rows[0]).toMatchObject({
      name: '张*',
      phone: '+86138****8000', // starts with + but calls nothing: no mark
      email: 'z***@example.com',
      birthday: '--03-05',
      address: '上海市徐汇区***',
      city: '上海',
      note: '喜欢绿茶，要发票', // free text: its words stay, phones, emails and ids inside it are masked
      微信: '***w',
      name_raw: '',
      email_raw: '',
      phone_raw: '',
    });
    expect(rows[1]).toMatchObject({ name: '欧***', phone: '+86139****9000, +8621*****234' });
    expect(rows[2]).toMatchObject({ name: 'E**** C***', email: 'e***@example.com', address: '***, Seattle' });
    expect(rows.map((c) => Object.values(c).join(' ')).join('\n')).not.toMatch(/13800138000|zhang@|漕溪北路|1990|张伟/);

    const json = JSON.parse(ok(['export', 'customers', '--mask', '--format', 'json'], db).stdout) as Record<string, unknown>[];
    expect(json[0]).toMatchObject({ name: '张*', phone: ['+86138****8000'], email: 'z***@example.com', birthday: '--03-05', email_raw: null });
    const masked = parseCsv(ok(['export', 'orders', '--mask'], db).stdout).rows;
    expect(masked.map((o) => o.customer)).toEqual(['张*', '张*', '欧***']);
    expect(parseCsv(ok(['export', 'interactions', '--mask'], db).stdout).rows.map((i) => [i.customer, i.note])).toEqual([
      ['张*', '回访：对新品很满意'],
      ['E**** C***', 'sent the catalogue'],
    ]);
    expect(masked.map((o) => o.note)).toEqual(['', '情人节礼盒', '']);
  });
});

describe('crm export orders and interactions', () => {
  let db: string;
  beforeAll(() => {
    db = shop();
  });

  it('exports orders newest first with the columns of order list, for all or one customer', () => {
    const r = ok(['export', 'orders'], db);
    const { fields, rows } = parseCsv(r.stdout);
    expect(fields).toEqual(['id', 'day', 'ordered_at', 'customer_id', 'customer', 'amount', 'refunded', 'paid', 'order_no', 'note']);
    expect(rows.map((o) => [o.day, o.customer, o.amount, o.order_no, o.note])).toEqual([
      ['2026-11-01', '张伟', '12.50', '', ''],
      ['2026-02-14', '张伟', '1280.50', 'SO-001', '情人节礼盒'],
      ['2025-12-24', '欧阳娜娜', '99.00', '', ''],
    ]);
    expect(r.stdout).toBe(ok(['order', 'list', '--format', 'csv'], db).stdout);
    expect(parseCsv(ok(['export', 'orders', '13900139000'], db).stdout).rows.map((o) => o.customer)).toEqual(['欧阳娜娜']);
    expect(parseCsv(ok(['export', 'orders', '--since', '2026-01-01'], db).stdout).rows).toHaveLength(2);
    expect(JSON.parse(ok(['export', 'orders', '张伟', '--format', 'json'], db).stdout)).toMatchObject([{ amount: '12.50' }, { amount: '1280.50', order_no: 'SO-001' }]);
    const nobody = crm(['export', 'orders', 'nobody'], { db });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no customer matches "nobody"');
  });

  it('exports interactions newest first, by customer, type and date', () => {
    const r = ok(['export', 'interactions'], db);
    const { fields, rows } = parseCsv(r.stdout);
    expect(fields).toEqual(['id', 'at', 'customer_id', 'customer', 'type', 'note']);
    expect(rows.map((i) => [i.customer, i.type, i.note])).toEqual([
      ['张伟', 'call', '回访：对新品很满意'],
      ['Emily Chen', 'email', 'sent the catalogue'],
    ]);
    expect(rows[0]!.at).toBe('2026-11-20T15:30:00+08:00');
    expect(r.stdout).toBe(ok(['log', 'list', '--format', 'csv'], db).stdout);
    expect(parseCsv(ok(['export', 'interactions', '--type', '电话'], db).stdout).rows.map((i) => i.customer)).toEqual(['张伟']);
    expect(parseCsv(ok(['export', 'interactions', 'Emily Chen'], db).stdout).rows.map((i) => i.type)).toEqual(['email']);
    expect(parseCsv(ok(['export', 'interactions', '--since', '7d'], db).stdout).rows).toHaveLength(1);
    expect(crm(['export', 'interactions', '--type', 'fax'], { db }).code).toBe(2);
  });
});

describe('reading an export back', () => {
  it('gives the same customers and orders after crm import', () => {
    const db = shop();
    const dir = tempDir();
    ok(['export', 'customers', '--excel', '--out', path.join(dir, 'customers.csv')], db);
    ok(['export', 'orders', '--encoding', 'gb18030', '--out', path.join(dir, 'orders.csv')], db);
    const copy = tempDb();
    ok(['import', 'customers', path.join(dir, 'customers.csv')], copy);
    ok(['import', 'orders', path.join(dir, 'orders.csv')], copy);
    expect(ok(['export', 'customers'], copy).stdout).toBe(ok(['export', 'customers'], db).stdout);
    // Orders get new ids, in the order of the file.
    const orders = (d: string) => parseCsv(ok(['export', 'orders'], d).stdout).rows.map(({ id: _id, ...o }) => o);
    expect(orders(copy)).toEqual(orders(db));
  });
});

describe('a large shop', () => {
  it('exports all 20,000 customers of a demo, and leaves no file when killed mid-write', async () => {
    const db = tempDb();
    await setUp(['demo', '--customers', '20000'], { db });
    const file = path.join(tempDir(), 'all.csv');
    const r = ok(['export', 'customers', '--out', file], db);
    expect(r.stderr).toBe(`Exported 20,000 rows to ${file}\n`);
    const { rows } = parseCsv(fs.readFileSync(file, 'utf8'));
    expect(rows).toHaveLength(20000);
    expect(new Set(rows.map((c) => c.id)).size).toBe(20000);
    expect(rows[19999]!.id).toBe('20000');
    expect(rows.some((c) => /^[\u4e00-\u9fff]{2,4}$/.test(c.name!))).toBe(true);
    const jsonFile = path.join(tempDir(), 'all.json');
    ok(['export', 'customers', '--format', 'json', '--sort', 'spend', '--out', jsonFile], db);
    const json = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { spend: string }[];
    expect(json).toHaveLength(20000);
    expect(Number(json[0]!.spend)).toBeGreaterThanOrEqual(Number(json[19999]!.spend));

    // At a terminal, progress on stderr, cleared before the summary.
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    let said = '';
    stderr.on('data', (d: Buffer) => (said += d.toString()));
    const progressFile = path.join(tempDir(), 'progress.csv');
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr };
    expect(await run(['export', 'customers', '--out', progressFile], io, { CRM_DB: db, CRM_NOW: NOW, LANG: 'en_US.UTF-8' })).toBe(0);
    expect(said).toBe(`\r10,000 rows exported…\r20,000 rows exported…\r\x1b[KExported 20,000 rows to ${progressFile}\n`);

    // Killed in the middle of writing: nothing under the name asked for.
    const dir = tempDir();
    const target = path.join(dir, 'killed.json');
    const child = spawn(process.execPath, [BIN, '--db', db, 'export', 'customers', '--format', 'json', '--out', target], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'en_US.UTF-8', CRM_NOW: NOW },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    let killedMidWrite = false;
    for (let i = 0; i < 2000 && child.exitCode === null; i++) {
      const tmp = fs.readdirSync(dir).find((f) => f.endsWith('.tmp'));
      if (tmp && fs.statSync(path.join(dir, tmp)).size > 0) {
        killedMidWrite = child.kill('SIGKILL');
        break;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await exited;
    expect(killedMidWrite).toBe(true);
    expect(fs.existsSync(target)).toBe(false);
  });
});
