// crm import on real files: encodings, delimiters, headers, bad rows, conflicts, orders, atomicity.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, NOW, ROOT, tempDb, tempDir, untilWriting } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

const FIX = path.join(ROOT, 'tests', 'fixtures');
const require = createRequire(import.meta.url);
const fixture = (name: string) => path.join(FIX, name);

type Row = Record<string, unknown>;
const customers = (db: string) => crmJson<Row[]>(['customer', 'list'], { db });
const orders = (db: string) => crmJson<Row[]>(['order', 'list'], { db });

/** Writes a CSV file in a fresh folder and returns its path. */
function csvFile(text: string, name = 'in.csv'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, text);
  return file;
}

function readCsv(file: string): Record<string, string>[] {
  return Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
}

describe('reading spreadsheets', () => {
  it('imports a GBK file saved by Chinese Excel, with Chinese headers', () => {
    const db = tempDb();
    const r = crm(['import', 'customers', fixture('customers-gbk.csv')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('(gb18030, delimiter ","): 3 rows');
    expect(r.stdout).toContain('inserted 3, updated 0, unchanged 0, skipped 0, rejected 0');
    const [zw, wf, ln] = customers(db);
    expect(zw).toMatchObject({
      name: '张伟', phone: ['+8613800138000'], email: 'zhangwei@qq.com', gender: 'male', birthday: '1985-03-05', city: '上海',
      address: '上海市徐汇区漕溪北路123号', tags: ['VIP', '老客户'], external_id: 'M0001', note: '喜欢绿茶', 微信号: 'zw_85',
      phone_raw: ['138-0013-8000'], email_raw: 'ZhangWei@QQ.com',
    });
    expect(wf).toMatchObject({ name: '王芳', phone: ['+8613900139000'], gender: 'female', birthday: '1990-12-01' });
    expect(ln).toMatchObject({ name: '李娜', phone: ['+8613700137000'], birthday: '1992-11-11', note: '两行\r\n备注' });
  });

  it('imports UTF-8 with a BOM, UTF-16 with a BOM, semicolons and tabs', () => {
    const db = tempDb();
    expect(crm(['import', 'customers', fixture('customers-bom.csv')], { db }).code).toBe(0);
    expect(crm(['import', 'customers', fixture('customers-utf16.csv')], { db }).stdout).toContain('(utf-16le, delimiter "\\t")');
    expect(crm(['import', 'customers', fixture('customers-semicolon.csv')], { db }).stdout).toContain('delimiter ";"');
    const list = customers(db);
    expect(list.map((c) => [c.name, c.phone, c.city])).toEqual([
      ['Emily Chen', ['+8613800138001'], 'Shanghai'],
      ['James Wilson', ['+447911123456'], 'London'],
      ['赵敏', ['+8613800138002'], '成都'],
      ['Anna Müller', ['+4930901820'], 'Berlin'],
      ['Luca Rossi', ['+390669831'], 'Roma'],
    ]);
    expect(list[3]).toMatchObject({ note: 'likes tea; no sugar' });
  });

  it('keeps quoted fields with line breaks, commas and quotes, and counts lines across them', () => {
    const db = tempDb();
    const file = csvFile('姓名,备注,手机\n"陈静","第一行\n第二行\n第三行",13800138003\n"周杰, Jr.","说 ""你好""",13800138004\n坏,"a\nb",123\n');
    const r = crm(['import', 'customers', file], { db });
    expect(r.stderr).toContain('line 6, 手机: phone: "123" is not a valid phone number');
    expect(customers(db).map((c) => [c.name, c.note])).toEqual([
      ['陈静', '第一行\n第二行\n第三行'],
      ['周杰, Jr.', '说 "你好"'],
    ]);
  });

  it('refuses an empty file and imports nothing from a header-only file', () => {
    const db = tempDb();
    const empty = crm(['import', 'customers', fixture('empty.csv')], { db });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('empty.csv is empty: a header row is needed');
    const header = crm(['import', 'customers', fixture('header-only.csv')], { db });
    expect(header.code).toBe(0);
    expect(header.stdout).toContain('0 rows');
  });

  it('refuses a file whose first row is not a header naming the customer', () => {
    const r = crm(['import', 'customers', csvFile('13800138000,上海\n13900139000,北京\n')], { db: tempDb() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no column holds the customer\'s name, phone, email or member number; columns: 13800138000, 上海');
    expect(r.stderr).toContain('the first row holds values, not column names: give --no-header');
  });

  it('reads standard input with -', () => {
    const db = tempDb();
    const r = crm(['import', 'customers', '-'], { db, input: 'name,phone\nEmily,13800138000\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(customers(db).map((c) => c.name)).toEqual(['Emily']);
  });
});

describe('columns', () => {
  it('keeps a repeated phone column as a second phone and other repeated columns as custom fields', () => {
    const db = tempDb();
    crm(['import', 'customers', fixture('duplicate-headers.csv')], { db });
    // A custom field named like a known header is listed and exported as field:<name>, which import reads back.
    expect(customers(db)[0]).toMatchObject({ name: '孙丽', phone: ['+8613800138008', '+861012345678'], note: '一', 'field:备注': '二', 'field:姓名': '孙丽丽' });
  });

  it('joins a name and an address split over columns as their script writes them', () => {
    const db = tempDb();
    crm(['import', 'customers', fixture('split-names.csv')], { db });
    crm(['import', 'customers', fixture('split-names-en.csv')], { db });
    const list = customers(db);
    expect(list.map((c) => [c.name, c.address, c.city])).toEqual([
      ['欧阳娜娜', '浙江省杭州市西湖区文三路90号', '杭州市'],
      ['mitchell green', '7 wallaby place, delacey, nsw 2280', null],
    ]);
    expect(list[1]).toMatchObject({ birthday: '1956-04-09', soc_sec_id: '1804974', 'address.postcode': '2280', 'address.state': 'nsw' });
  });

  it('takes --map over the headers, and shows the mapping in a dry run that writes nothing', () => {
    const db = tempDb();
    const file = csvFile('联系人,微信号,区域经理,序号\n刘洋,ly_88,老王,1\n');
    const dry = crm(['import', 'customers', file, '--dry-run', '--map', '联系人=name', '--map', '微信号=field:微信', '--map', '区域经理=ignore', '--format', 'json'], { db });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({
      rows: 1,
      inserted: 1,
      dry_run: true,
      imported: false,
      columns: [
        { column: '联系人', field: 'name', how: 'map' },
        { column: '微信号', field: 'field:微信', how: 'map' },
        { column: '区域经理', field: 'ignore', how: 'map' },
        { column: '序号', field: 'ignore', how: 'header' },
      ],
    });
    expect(customers(db)).toEqual([]);
    crm(['import', 'customers', file, '--map', '联系人=name', '--map', '微信号=field:微信', '--map', '区域经理=ignore'], { db });
    const [liu] = customers(db);
    expect(liu).toMatchObject({ name: '刘洋', 微信: 'ly_88' });
    expect(liu).not.toHaveProperty('区域经理');
    expect(crm(['import', 'customers', file, '--map', '没有这列=name'], { db }).code).toBe(2);
    expect(crm(['import', 'customers', file, '--map', '联系人=nickname'], { db }).code).toBe(2);
  });
});

describe('bad rows', () => {
  it('refuses a row whose key does not parse, imports one with a bad optional value without it, and puts both with the reason in a rejects file that can be fixed and imported', () => {
    const dir = tempDir();
    const file = path.join(dir, 'list.csv');
    fs.copyFileSync(fixture('customers-bad.csv'), file);
    const db = tempDb();
    const r = crm(['import', 'customers', file], { db });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('inserted 6, updated 0, unchanged 0, skipped 0, rejected 1');
    expect(r.stdout).toContain('3 row(s) imported with a value left out or in doubt');
    expect(r.stderr).toContain('1 rows were refused; the other rows were imported');
    // The row with a phone and no name is a contact without a name; a bad email, birthday or gender is left out.
    expect(customers(db).map((c) => [c.name, c.phone, c.email, c.birthday, c.gender])).toEqual([
      ['好人', ['+8613800138005'], 'good@example.com', '1990-01-02', 'female'],
      ['坏邮箱', [], null, null, null],
      ['坏日期', [], null, null, null],
      ['坏性别', [], null, null, null],
      ['', ['+8613800138006'], null, null, null],
      ['另一个好人', ['+8613800138007'], null, '--03-08', 'male'],
    ]);
    const rejects = path.join(dir, 'list.rejects.csv');
    expect(fs.readFileSync(rejects).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = readCsv(rejects);
    expect(rows.map((x) => [x['姓名'], x.crm_reject_reason])).toEqual([
      ['坏电话', 'line 3, 手机: phone: "12345" is not a valid phone number'],
      ['坏邮箱', 'line 4, 邮箱: email: "not-an-email" is not a valid email address; imported without it'],
      ['坏日期', 'line 5, 生日: birthday: "2023-13-45" is not a date such as 1990-03-05 or 03-05; imported without it'],
      ['坏性别', 'line 6, 性别: gender: "maybe" is not one of female, male, other (女, 男, 其他); imported without it'],
    ]);
    // Fix the file in place (as a spreadsheet user would) and import it again: the values left out are filled in.
    const fixed = fs
      .readFileSync(rejects, 'utf8')
      .replace('12345', '13800138009')
      .replace('not-an-email', 'ok@example.com')
      .replace('2023-13-45', '2023-12-25')
      .replace(',maybe,', ',女,');
    fs.writeFileSync(rejects, fixed);
    const again = crm(['import', 'customers', rejects], { db });
    expect(again.code, again.stderr).toBe(0);
    const list = customers(db);
    expect(list).toHaveLength(7);
    expect(list.filter((c) => c.name.startsWith('坏')).map((c) => [c.name, c.phone, c.email, c.birthday, c.gender])).toEqual([
      ['坏邮箱', [], 'ok@example.com', null, null],
      ['坏日期', [], null, '2023-12-25', null],
      ['坏性别', [], null, null, 'female'],
      ['坏电话', ['+8613800138009'], null, null, null],
    ]);
    expect(list.every((c) => !('crm_reject_reason' in c))).toBe(true);
  });

  // The two --strict tests check one import of the same file with the same flags: it runs once.
  let strict: { db: string; rejects: string; r: ReturnType<typeof crm> } | undefined;
  const strictImport = () => {
    if (strict) return strict;
    const db = tempDb();
    const rejects = path.join(tempDir(), 'r.csv');
    return (strict = { db, rejects, r: crm(['import', 'customers', fixture('customers-bad.csv'), '--strict', '--rejects', rejects], { db }) });
  };
  let strictListed: Row[] | undefined;
  const strictCustomers = () => (strictListed ??= customers(strictImport().db));

  it('--strict refuses a row with any bad value, optional ones too, and imports nothing', () => {
    const { r, rejects } = strictImport();
    expect(r.code).toBe(2);
    expect(readCsv(rejects).map((x) => x.crm_reject_reason)).toEqual([
      'line 3, 手机: phone: "12345" is not a valid phone number',
      'line 4, 邮箱: email: "not-an-email" is not a valid email address',
      'line 5, 生日: birthday: "2023-13-45" is not a date such as 1990-03-05 or 03-05',
      'line 6, 性别: gender: "maybe" is not one of female, male, other (女, 男, 其他)',
    ]);
    expect(strictCustomers()).toEqual([]);
  });

  it('matches and refuses rows of a large file as in a small one (read on a second thread, indexes built after the rows)', () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.csv');
    const lines = ['姓名,手机,邮箱,城市'];
    for (let i = 0; i < 60_000; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')},,上海`);
    lines[5001] = '坏电话,12345,,北京'; // a value that does not parse: refused while reading
    lines[15001] = '别人,13900000007,,广州'; // the phone of 客户7 with another name: refused when matched
    lines[20001] = '客户8,13900000008,k8@example.com,'; // 客户8 again, with an email: an update
    lines[30001] = '无联系人,,,杭州'; // no phone or email, twice: one customer
    lines[30002] = '无联系人,,,杭州';
    lines[40001] = '另一个,,k8@example.com,'; // 客户8's new email with another name: refused
    fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const db = tempDb();
    const r = crm(['import', 'customers', file], { db });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('inserted 59,995, updated 1, unchanged 1, skipped 0, rejected 3');
    const rows = readCsv(path.join(dir, 'big.rejects.csv'));
    expect(rows.map((x) => [x['姓名'], x['手机'], x['邮箱'], x['城市']])).toEqual([
      ['坏电话', '12345', '', '北京'],
      ['别人', '13900000007', '', '广州'],
      ['另一个', '', 'k8@example.com', ''],
    ]);
    expect(rows[0]!.crm_reject_reason).toMatch(/^line 5002, 手机: phone: "12345"/);
    expect(rows[1]!.crm_reject_reason).toMatch(/^line 15002: its phone belongs to #8 客户7/);
    expect(rows[2]!.crm_reject_reason).toMatch(/^line 40002: its email belongs to #9 客户8/);
    expect(crmJson<Row[]>(['find', '13900000008'], { db })).toEqual([expect.objectContaining({ name: '客户8', email: 'k8@example.com', city: '上海' })]);
    expect(crmJson<Row[]>(['find', '无联系人'], { db })).toHaveLength(1);
    expect(crmJson<Row[]>(['find', '客户59999'], { db })[0]).toMatchObject({ phone: ['+8613900059999'] });
    // Again, into a full book (the indexes answer now): nothing new.
    const again = crm(['import', 'customers', file, '--format', 'json'], { db });
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 59_997, rejected: 3 });
  });

  it('imports nothing with --strict when any row is bad', () => {
    const { r } = strictImport();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('so nothing was imported (--strict)');
    expect(strictCustomers()).toEqual([]);
  });

  it('leaves the database as it was when an import is killed halfway', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Mine'], { db });
    const lines = ['name,phone,city'];
    for (let i = 0; i < 300_000; i++) lines.push(`客户${i},139${String(i).padStart(8, '0')},上海`);
    const file = csvFile(`${lines.join('\n')}\n`);
    const child = spawn(process.execPath, [BIN, 'import', 'customers', file], { env: { ...process.env, CRM_DB: db, CRM_NOW: NOW }, stdio: 'ignore' });
    expect(await untilWriting(db)).toBe(true); // it is in the middle of its one transaction
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    expect(customers(db).map((c) => c.name)).toEqual(['Mine']);
  });
});

describe('dates', () => {
  it('reads the forms spreadsheets write, Excel serial numbers included', () => {
    const db = tempDb();
    crm(['import', 'customers', csvFile('name,birthday\nA,2024/3/5\nB,2024年3月5日\nC,20240305\nD,45356\nE,03-05\n')], { db });
    expect(customers(db).map((c) => c.birthday)).toEqual(['2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05', '--03-05']);
  });

  it('never guesses the day/month order a column does not settle', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A', '--phone', '13800138000'], { db });
    const r = crm(['import', 'orders', fixture('orders-ambiguous.csv')], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('column date: dates such as 05/03/2026 could be day/month or month/day');
    expect(r.stderr).toContain('--date-format dd/mm/yyyy');
    expect(orders(db)).toEqual([]);
    expect(crm(['import', 'orders', fixture('orders-ambiguous.csv'), '--date-format', 'dd/mm/yyyy'], { db }).code).toBe(0);
    expect(orders(db).map((o) => o.day)).toEqual(['2026-04-07', '2026-03-05']);
  });

  it('takes the order a column settles by itself (25/04/2026 can only be day first)', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A', '--phone', '13800138000'], { db });
    expect(crm(['import', 'orders', fixture('orders-dayfirst.csv')], { db }).code).toBe(0);
    expect(orders(db).map((o) => o.day)).toEqual(['2026-04-25', '2026-03-05']);
  });
});

describe('customers that already exist', () => {
  const shop = async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--city', '上海', '--tag', 'VIP'], { db });
    return db;
  };
  const file = () => csvFile('姓名,手机,城市,邮箱,标签\n张伟,+86 138 0013 8000,杭州,zw@qq.com,老客户\n');

  it('update (the default) fills empty fields and adds tags, never overwriting what is stored', async () => {
    const db = await shop();
    const r = crm(['import', 'customers', file()], { db });
    expect(r.stdout).toContain('inserted 0, updated 1');
    expect(r.stdout).toContain('1 rows had values that differ from the stored ones, which were kept');
    expect(customers(db)).toMatchObject([{ name: '张伟', city: '上海', email: 'zw@qq.com', tags: ['VIP', '老客户'] }]);
  });

  it('merge takes the file\'s values; skip leaves the record; new adds a second customer', async () => {
    const merged = await shop();
    crm(['import', 'customers', file(), '--on-conflict', 'merge'], { db: merged });
    expect(customers(merged)).toMatchObject([{ city: '杭州', email: 'zw@qq.com', tags: ['VIP', '老客户'] }]);
    const skipped = await shop();
    expect(crm(['import', 'customers', file(), '--on-conflict', 'skip'], { db: skipped }).stdout).toContain('skipped 1');
    expect(customers(skipped)).toMatchObject([{ city: '上海', email: null, tags: ['VIP'] }]);
    const added = await shop();
    crm(['import', 'customers', file(), '--on-conflict', 'new'], { db: added });
    expect(customers(added).map((c) => [c.name, c.phone])).toEqual([
      ['张伟', ['+8613800138000']],
      ['张伟', ['+8613800138000']],
    ]);
  });

  it('refuses a row that matches two different customers', async () => {
    const db = await shop();
    await setUp(['customer', 'add', '--name', 'Emily', '--email', 'e@x.com'], { db });
    const r = crm(['import', 'customers', csvFile('name,phone,email\n张伟,13800138000,e@x.com\n'), '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(r.stderr).toContain('matches several existing customers: #1 (phone), #2 (email)');
  });

  it('imports the same file twice without duplicating anyone, contact details or not', async () => {
    const db = tempDb();
    const f = csvFile('姓名,手机,城市\n张伟,13800138000,上海\n无电话,,北京\n');
    await setUp(['import', 'customers', f], { db });
    const again = crm(['import', 'customers', f], { db });
    expect(again.stdout).toContain('inserted 0, updated 0, unchanged 2');
    expect(customers(db)).toHaveLength(2);
  });
});

describe('orders', () => {
  const shop = async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--external-id', 'M0001'], { db });
    await setUp(['customer', 'add', '--name', '王芳', '--phone', '13900139000'], { db });
    return db;
  };

  it('matches orders to customers by member number or phone and reads amounts and times', async () => {
    const db = await shop();
    const r = crm(['import', 'orders', fixture('orders.csv'), '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 5: no customer matches M9999 (add --create-customers to create them)');
    expect(orders(db).map((o) => [o.order_no, o.customer, o.amount, o.day, o.ordered_at, o.note])).toEqual([
      ['SO-002', '王芳', '99.90', '2026-03-01', '2026-03-01T00:00:00+08:00', null],
      ['SO-001', '张伟', '1280.50', '2026-02-14', '2026-02-14T15:30:00+08:00', '情人节礼盒'],
      ['SO-003', '张伟', '45.00', '2025-12-09', '2025-12-09T00:00:00+08:00', 'Excel 日期'],
    ]);
    expect(crmJson<{ customer: Row }>(['customer', 'show', 'M0001'], { db }).customer).toMatchObject({ orders: 2, spend: '1325.50' });
  });

  it('creates unknown customers with --create-customers, and imports the file again without duplicates', async () => {
    const db = await shop();
    expect(crm(['import', 'orders', fixture('orders.csv'), '--create-customers'], { db }).stdout).toContain('1 customers created for their orders');
    expect(orders(db)).toHaveLength(4);
    expect(crm(['customer', 'show', 'M9999'], { db }).code).toBe(0);
    const again = crm(['import', 'orders', fixture('orders.csv'), '--create-customers'], { db });
    expect(again.stdout).toContain('inserted 0, updated 0, unchanged 4');
    expect(orders(db)).toHaveLength(4);
  });

  it('imports orders without order numbers once, however often the file comes', async () => {
    const db = await shop();
    const f = csvFile('手机,金额,日期\n13900139000,10,2026-03-01\n13900139000,10,2026-03-01\n');
    crm(['import', 'orders', f], { db });
    expect(orders(db)).toHaveLength(2); // two equal rows in one file are two orders
    expect(crm(['import', 'orders', f], { db }).stdout).toContain('inserted 0, updated 0, unchanged 2');
    expect(orders(db)).toHaveLength(2);
  });

  it('refuses amounts that are no amounts and dates that are no dates', async () => {
    const db = await shop();
    const r = crm(['import', 'orders', csvFile('手机,金额,日期\n13900139000,abc,2026-03-01\n13900139000,10,2026-02-30\n13900139000,$5,2026-03-01\n'), '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(r.stderr).toContain('line 2, 金额: amount: "abc" is not an amount');
    expect(r.stderr).toContain('line 3, 日期: time: "2026-02-30" is not a date or time');
    expect(r.stderr).toContain('line 4, 金额: amount: "$5" is not in the shop\'s currency, CNY');
    expect(orders(db)).toEqual([]);
  });
});

describe('what real spreadsheets do wrong', () => {
  const refused = (file: string, db = tempDb()) => crm(['import', 'customers', file, '--rejects', path.join(tempDir(), 'r.csv')], { db });

  it('refuses a row whose quote never closes instead of swallowing the rows after it', () => {
    const db = tempDb();
    const r = refused(csvFile('姓名,手机,备注\n"大"张,13800138000,a\n李娜,13900139000,b\n'), db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('line 2: its quotes are broken');
    expect(customers(db).map((c) => c.name)).not.toContain(expect.stringContaining('李娜\n'));
  });

  it('refuses a row with more cells than the header has columns', () => {
    const db = tempDb();
    const r = refused(csvFile('姓名,手机,地址,备注\n张伟,13800138000,上海市,徐汇区漕溪北路1号,老客户\n'), db);
    expect(r.stderr).toContain('line 2: 1 cell(s) beyond the 4 columns of the header');
    expect(customers(db)).toEqual([]);
  });

  it('reads the encoding from the whole file: Chinese after 64 KB of ASCII, and a stray bad byte', () => {
    const iconv = require('iconv-lite') as typeof import('iconv-lite');
    const ascii = Array.from({ length: 3000 }, (_, i) => `Customer ${i},139${String(i).padStart(8, '0')},Shanghai`).join('\r\n');
    const gbk = csvFile('');
    fs.writeFileSync(gbk, iconv.encode(`name,phone,city\r\n${ascii}\r\n张伟,13800138000,上海\r\n`, 'gbk'));
    const db = tempDb();
    expect(crm(['import', 'customers', gbk], { db }).stdout).toContain('(gb18030');
    expect(customers(db).at(-1)).toMatchObject({ name: '张伟', city: '上海' });
    const broken = csvFile('');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from('姓名,城市\n张伟,上海\n李'), Buffer.from([0x96]), Buffer.from('娜,北京\n')]));
    const db2 = tempDb();
    const r = refused(broken, db2);
    expect(r.stdout).toContain('(utf-8');
    expect(r.stderr).toContain('line 3: it holds bytes that are not utf-8 text');
    expect(customers(db2).map((c) => [c.name, c.city])).toEqual([['张伟', '上海']]);
  });

  it('refuses numbers Excel rounded (6.22848E+18) instead of merging customers on them', () => {
    const db = tempDb();
    const r = refused(csvFile('姓名,会员卡号\n张伟,6.22848E+18\n李娜,6.22848E+18\n'), db);
    expect(r.stderr).toContain('会员卡号: "6.22848E+18" is a number Excel rounded');
    expect(customers(db)).toEqual([]);
  });

  it('does not read short numbers as Excel dates, and reads phones Excel wrote as 13800138000.0', () => {
    const db = tempDb();
    const r = crm(['import', 'customers', csvFile('姓名,生日,手机\nA,12.25,13800138000.0\nB,1990,\nC,45356,\n')], { db });
    expect(r.stderr).toContain('line 3, 生日: birthday: "1990" is not a date');
    // 12.25 is December 25th (as Chinese shops write it), not Excel's 12th of January 1900.
    const list = customers(db);
    expect(list.map((c) => [c.name, c.birthday])).toEqual([
      ['A', '--12-25'],
      ['B', null],
      ['C', '2024-03-05'],
    ]);
    expect(list[0]).toMatchObject({ name: 'A', phone: ['+8613800138000'] });
  });

  it('recognizes template headers with marks and notes', () => {
    const db = tempDb();
    crm(['import', 'customers', csvFile('姓名*,手机号*,性别（男/女）,电子邮箱(选填)\n张伟,13800138000,男,ZW@qq.com\n')], { db });
    expect(customers(db)[0]).toMatchObject({ name: '张伟', phone: ['+8613800138000'], gender: 'male', email: 'zw@qq.com' });
  });

  it('reads gender words shops use', () => {
    const db = tempDb();
    crm(['import', 'customers', csvFile('姓名,性别\nA,小姐\nB,先生\nC,保密\nD,Mr.\n')], { db });
    expect(customers(db).map((c) => c.gender)).toEqual(['female', 'male', null, 'male']);
  });

  it('takes the amount paid over a list price, and keeps other order columns in the note', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A', '--phone', '13800138000'], { db });
    crm(['import', 'orders', csvFile('Phone,Date,Item,Price,Qty,Total\n13800138000,2026-03-01,Tea,10.00,3,30.00\n')], { db });
    expect(orders(db)[0]).toMatchObject({ amount: '30.00', note: 'Item: Tea; Qty: 3' });
  });

  it('reads a date column beside a time column, and ISO times with a space and an offset', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A', '--phone', '13800138000'], { db });
    crm(['import', 'orders', csvFile('手机,金额,日期,时间\n13800138000,10,2026-03-01,14:30\n')], { db });
    crm(['import', 'orders', csvFile('phone,amount,ordered at\n13800138000,20,2026-03-02 10:00:00+00:00\n')], { db });
    expect(orders(db).map((o) => o.ordered_at)).toEqual(['2026-03-02T18:00:00+08:00', '2026-03-01T14:30:00+08:00']);
  });

  it('finds the customer of an order by name alone, once, however often the file comes', () => {
    const db = tempDb();
    const f = csvFile('客户,金额,日期\n张伟,10,2026-03-01\n张伟,20,2026-03-02\n');
    crm(['import', 'orders', f, '--create-customers'], { db });
    crm(['import', 'orders', f, '--create-customers'], { db });
    expect(customers(db).map((c) => c.name)).toEqual(['张伟']);
    expect(orders(db)).toHaveLength(2);
  });

  it('gives back custom fields named like known columns through export and import', async () => {
    const [from, to] = [tempDb(), tempDb()];
    await setUp(['customer', 'add', '--name', 'A', '--field', '电话=021-64871234', '--field', 'Tier=Gold'], { db: from });
    const file = path.join(tempDir(), 'c.csv');
    crm(['export', 'customers', '--out', file], { db: from });
    expect(fs.readFileSync(file, 'utf8').split('\n')[0]).toContain('field:电话');
    crm(['import', 'customers', file], { db: to });
    // Tier is a level column now (a sheet's member level): crm's export marks the custom field.
    expect(customers(to)[0]).toMatchObject({ phone: [], 'field:电话': '021-64871234', 'field:Tier': 'Gold', tier: null });
  });

  it('masks the address parts an import kept along with the address', async () => {
    const db = tempDb();
    await setUp(['import', 'customers', fixture('split-names.csv')], { db });
    const masked = crm(['export', 'customers', '--mask', '--format', 'json'], { db }).stdout;
    expect(masked).not.toContain('文三路90号');
    expect(masked).not.toContain('310012');
  });

  it('says an Excel workbook must be saved as CSV first', () => {
    const file = csvFile('');
    fs.writeFileSync(file, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]));
    const r = crm(['import', 'customers', file], { db: tempDb() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is an Excel workbook, not CSV');
  });
});

describe('title rows and dates without a year', () => {
  it('finds the header under a title row', () => {
    const db = tempDb();
    const r = crm(['import', 'customers', csvFile('客户名单 2026年11月,,\n,,\n姓名,手机,城市\n张伟,13800138000,上海\n')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(customers(db).map((c) => [c.name, c.city])).toEqual([['张伟', '上海']]);
  });

  it('reads 05/03 birthdays in the order the column or --date-format settles', () => {
    const db = tempDb();
    const ambiguous = csvFile('姓名,生日\nA,05/03\nB,07/04\n');
    const r = crm(['import', 'customers', ambiguous], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('dates such as 05/03 could be day/month or month/day');
    crm(['import', 'customers', ambiguous, '--date-format', 'dd/mm/yyyy'], { db });
    crm(['import', 'customers', csvFile('姓名,生日\nC,25/12\nD,05/03\n')], { db });
    expect(customers(db).map((c) => [c.name, c.birthday])).toEqual([
      ['A', '--03-05'],
      ['B', '--04-07'],
      ['C', '--12-25'],
      ['D', '--03-05'],
    ]);
  });
});

describe('files that only add details', () => {
  it('adds emails to customers found by phone, and keeps a row that finds nobody as a contact without a name', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { db });
    const r = crm(['import', 'customers', csvFile('手机,邮箱\n13800138000,zw@qq.com\n13900139000,new@qq.com\n'), '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(r.stdout).toContain('inserted 1, updated 1');
    expect(customers(db)).toMatchObject([{ name: '张伟', email: 'zw@qq.com' }, { name: '', phone: ['+8613900139000'], email: 'new@qq.com' }]);
  });
});

describe('a shared phone', () => {
  it('refuses to update a customer from a row with another name, instead of mixing two people', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000'], { db });
    const r = crm(['import', 'customers', csvFile('姓名,手机,邮箱\n王芳,13800138000,wf@qq.com\n张 伟,13800138000,zw@qq.com\n'), '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(r.stderr).toContain('line 2: its phone belongs to #1 张伟, whose name is different');
    expect(customers(db)).toMatchObject([{ name: '张伟', email: 'zw@qq.com' }]);
    crm(['import', 'customers', csvFile('姓名,手机\n王芳,13800138000\n'), '--on-conflict', 'new'], { db });
    expect(customers(db).map((c) => c.name)).toEqual(['张伟', '王芳']);
  });
});

describe('a dry run is the real import rolled back', () => {
  it('gives the same counts, the same rejects file and the same exit code, and saves nothing', async () => {
    const db = tempDb();
    await setUp(['import', 'customers', csvFile('name,phone\n王芳,13800138000\n')], { db });
    const file = csvFile('name,phone,email\n王芳,13800138000,wf@example.com\n李雷,13900139000,\n坏行,12345,\n韩梅梅,,hmm@example.com\n');
    const dir = path.dirname(file);
    const dry = crm(['import', 'customers', file, '--dry-run', '--format', 'json', '--rejects', path.join(dir, 'dry.rejects.csv')], { db });
    // The same file into a copy of the same book, for real.
    const copy = tempDb();
    fs.copyFileSync(db, copy);
    const again = crm(['import', 'customers', file, '--format', 'json', '--rejects', path.join(dir, 'real2.rejects.csv')], { db: copy });
    const pick = (r: { stdout: string }) => {
      const j = JSON.parse(r.stdout) as Record<string, unknown>;
      return { rows: j.rows, inserted: j.inserted, updated: j.updated, unchanged: j.unchanged, rejected: j.rejected };
    };
    expect(dry.code).toBe(2);
    expect(again.code).toBe(2);
    expect(pick(dry)).toEqual(pick(again));
    expect(pick(dry)).toEqual({ rows: 4, inserted: 2, updated: 1, unchanged: 0, rejected: 1 });
    expect(fs.readFileSync(path.join(dir, 'dry.rejects.csv'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'real2.rejects.csv'), 'utf8'));
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toHaveLength(1);
  });
});
