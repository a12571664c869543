// Real platforms' exports (tests/fixtures/platforms: Shopify, WooCommerce, a Chinese POS) imported
// with no flags, as a shop moving to crm would: what a user checks afterwards, and that no cell's
// value is dropped (every non-empty cell is findable in the export).
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { crm, crmJson, ROOT, tempDb, tempDir } from '../helpers/crm.js';

const FIX = path.join(ROOT, 'tests', 'fixtures', 'platforms');
const require = createRequire(import.meta.url);
type Row = Record<string, unknown>;

interface Imported {
  db: string;
  code: number;
  stderr: string;
  /** The summary (--format json), or null when the import stopped before it began. */
  summary: Row | null;
  /** The rejects file's text, or null when none was written. */
  rejects: string | null;
}

const COUNTS = ['rows', 'inserted', 'updated', 'unchanged', 'skipped', 'rejected', 'customers_created', 'line_items', 'kept_differences', 'warnings'];
const imports = new Map<string, Imported>();

/**
 * Imports one fixture into a fresh shop, after a dry run into another: the dry run must count the
 * same, write the same rejects file and exit the same. Once per file and flags (tests share it).
 */
function importOf(kind: 'customers' | 'orders', file: string, flags: string[] = []): Imported {
  const key = [kind, file, ...flags].join(' ');
  const done = imports.get(key);
  if (done) return done;
  const run = (dry: boolean): Imported => {
    const db = tempDb();
    const rejects = path.join(tempDir(), 'r.csv');
    const r = crm(['import', kind, path.join(FIX, file), '--format', 'json', '--rejects', rejects, ...flags, ...(dry ? ['--dry-run'] : [])], { db });
    return { db, code: r.code, stderr: r.stderr.replaceAll(rejects, '<rejects>'), summary: r.stdout ? (JSON.parse(r.stdout) as Row) : null, rejects: fs.existsSync(rejects) ? fs.readFileSync(rejects, 'utf8') : null };
  };
  const dry = run(true);
  const real = run(false);
  const counts = (i: Imported) => (i.summary ? Object.fromEntries(COUNTS.map((k) => [k, i.summary![k]])) : null);
  expect({ code: dry.code, counts: counts(dry), rejects: dry.rejects, stderr: dry.stderr }).toEqual({ code: real.code, counts: counts(real), rejects: real.rejects, stderr: real.stderr });
  expect(dry.summary?.dry_run ?? true).toBe(true);
  imports.set(key, real);
  return real;
}

/** Imports one fixture into a fresh shop; fails loudly when a row was refused. */
function shopWith(kind: 'customers' | 'orders', file: string): { db: string; summary: Row } {
  const r = importOf(kind, file);
  expect(r.code, r.stderr).toBe(0);
  return { db: r.db, summary: r.summary! };
}

const customers = (db: string) => crmJson<Row[]>(['export', 'customers'], { db });
const orders = (db: string) => crmJson<Row[]>(['export', 'orders'], { db });
const byEmail = (list: Row[], email: string) => list.find((c) => c.email === email)!;

/** The cells of a fixture, decoded as crm reads it. */
function cells(file: string): { header: string[]; rows: string[][] } {
  const buf = fs.readFileSync(path.join(FIX, file));
  const text = file.includes('gbk') ? (require('iconv-lite') as typeof import('iconv-lite')).decode(buf, 'gbk') : buf.toString('utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true }).data;
  return { header: header!, rows };
}

// Cells crm stores in another form than written: a consent (no -> marketing_opt_out), a flag, a
// date or time (ISO with the offset), an amount (2 decimals), a phone (E.164), an email (lower case).
// date or time (ISO with the offset), an amount (2 decimals), a phone (E.164), an email (lower case),
// a level that names one of the shop's (金卡 is Gold).
const REWRITTEN = /^(accepts|lineitem requires|lineitem taxable|tax exempt)|marketing|created at|paid at|date|时间|^total$|order_total|实付金额|phone|手机|email|等级|^mobile$|^birthday$|^address$/i;

/**
 * Every non-empty cell of the file appears in what crm exports, or in the rejects file (a row
 * refused, a value left out with a warning); the rewritten ones are checked by meaning.
 */
function expectNothingDropped(file: string, exported: unknown[], rejects: string | null = null): void {
  const text = JSON.stringify(exported) + JSON.stringify(rejects ?? '');
  const { header, rows } = cells(file);
  const missing: string[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      // Tags are kept one by one.
      const values = /^(tags|category_id)$/i.test(header[i]!) ? cell.split(',') : [cell];
      for (const raw of values) {
        const v = raw.trim().replace(/^'(\d+)$/, '$1').replace(/^"(.*)"$/, '$1');
        if (v && !REWRITTEN.test(header[i]!) && !text.includes(JSON.stringify(v).slice(1, -1))) missing.push(`${header[i]}=${v}`);
      }
    });
  }
  expect(missing).toEqual([]);
}

describe('Shopify customers, the current layout', () => {
  const file = 'shopify-customers.csv';
  it('puts addresses in address and city, reads phones by the row country, opts out on "no", keeps ids and totals', () => {
    const { db } = shopWith('customers', file);
    const list = customers(db);
    expect(byEmail(list, 'emily.carter@example.com')).toMatchObject({
      name: 'Emily Carter', city: 'Houston', address: '1200 Smith Street, Apt 4, Houston, TX 77002',
      phone: ['+17138175649', '+13462019876'], external_id: '7351200000101', marketing_opt_out: true, tags: ['newsletter', 'vip'],
      opening_spend: '412.50', opening_orders: '3', opening_as_of: '2026-11-22', note: 'prefers email',
    });
    expect(byEmail(list, 'somchai.w@example.co.th')).toMatchObject({ phone: ['+66812345678'], city: 'Bangkok', marketing_opt_out: false });
    expect(byEmail(list, 'olivia.t@example.ca')).toMatchObject({ phone: ['+16473829154'], marketing_opt_out: true, address: '45 Queen St W, Unit 1203, Toronto, ON M5V 2T6' });
    expect(byEmail(list, 'lina@example.cn')).toMatchObject({ name: '李娜', phone: ['+8613800138000'], address: '上海漕溪北路123号', city: '上海' });
    // A contact without a name (an SMS subscriber): kept by their phone.
    expect(list.find((c) => c.name === '')).toMatchObject({ phone: ['+13462011234'], external_id: '7351200000105' });
    expect(list).toHaveLength(6);
    expectNothingDropped(file, list);
  });
});

describe('Shopify customers, the older layout', () => {
  it('reads Address1, City, Province Code, Zip and Country Code', () => {
    const file = 'shopify-customers-legacy.csv';
    const list = customers(shopWith('customers', file).db);
    expect(byEmail(list, 'jmiller@example.com')).toMatchObject({ city: 'Portland', address: '77 Elm Avenue, Portland, OR 97205', phone: ['+15032847731'], marketing_opt_out: true });
    expect(byEmail(list, 'mei.tanaka@example.jp')).toMatchObject({ phone: ['+81335621111'], note: 'call before delivery', marketing_opt_out: false });
    expect(byEmail(list, 'priya.nair@example.in')).toMatchObject({ phone: ['+919845012345'] });
    expect(byEmail(list, 'lucas.silva@example.com.br')).toMatchObject({ phone: ['+5511987654321'], city: 'São Paulo', tags: ['brazil', 'vip'] });
    expectNothingDropped(file, list);
  });

  it('imports a newsletter list of emails without names, shown by their email', () => {
    const file = 'shopify-newsletter.csv';
    const { db, summary } = shopWith('customers', file);
    expect(summary).toMatchObject({ inserted: 5 });
    const list = customers(db);
    expect(list.map((c) => [c.name, c.email, c.marketing_opt_out])).toEqual([
      ['', 'reader.one@example.com', false],
      ['', 'reader.two@example.org', false],
      ['', 'reader.three@example.net', true],
      ['', 'reader.four@example.com', false],
      ['', 'reader.five@example.com', false],
    ]);
    expectNothingDropped(file, list);
  });
});

describe('Shopify orders', () => {
  const file = 'shopify-orders.csv';
  it('one order per multi-row order with its total, the order number from Name, offset times as that instant, buyers created', () => {
    const { db, summary } = shopWith('orders', file);
    expect(summary).toMatchObject({ inserted: 5, line_items: 3, customers_created: 5 });
    const list = orders(db);
    const o1002 = list.find((o) => o.order_no === '#1002')!;
    // 2026-04-05 21:06:21 +0400 is 17:06:21 UTC, 01:06:21 the next day in Shanghai.
    expect(o1002).toMatchObject({ amount: '226.00', customer: 'Somchai Wongsakul', ordered_at: '2026-04-06T01:06:21+08:00', day: '2026-04-06' });
    expect(o1002.note).toContain('Lineitem name: Yixing clay teapot');
    expect(o1002.note).toContain('Lineitem name: Bamboo tea tray');
    expect(list.find((o) => o.order_no === '#1004')).toMatchObject({ amount: '100.00', refunded: '20.00', paid: '120.00' });
    const buyers = customers(db);
    expect(byEmail(buyers, 'somchai.w@example.co.th')).toMatchObject({ name: 'Somchai Wongsakul', phone: ['+66812345678'] });
    expect(byEmail(buyers, 'emily.carter@example.com')).toMatchObject({ name: 'Emily Carter', phone: ['+17138175649'] });
    expect(byEmail(buyers, 'new.buyer@example.com')).toMatchObject({ name: 'Chen Jing', phone: ['+8613900139000'] });
    expect(list).toHaveLength(5);
    expectNothingDropped(file, [...list, ...buyers]);
  });
});

describe('WooCommerce', () => {
  it('customers: billing address and phone by billing country, customer_id as the external id, totals kept', () => {
    const file = 'woocommerce-customers.csv';
    const list = customers(shopWith('customers', file).db);
    expect(byEmail(list, 'hannah.becker@example.de')).toMatchObject({
      name: 'Hannah Becker', external_id: '12', city: 'Berlin', phone: ['+493090182044'], address: 'Torstraße 101, Berlin, BE 10119',
      opening_spend: '182.40', opening_orders: '4', created_at: '2025-08-14T09:12:33+08:00',
    });
    expect(byEmail(list, 'tom.hughes@example.co.uk')).toMatchObject({ phone: ['+447911123456'], external_id: '15' });
    expect(byEmail(list, 'zhang.wei@example.cn')).toMatchObject({ name: 'Wei Zhang', city: '杭州', phone: ['+8613912345678'] });
    expectNothingDropped(file, list);
  });

  it('orders: repeated order rows are one order, the buyer from billing_* and found by customer_id as external id', () => {
    const file = 'woocommerce-orders.csv';
    const { db, summary } = shopWith('orders', file);
    expect(summary).toMatchObject({ inserted: 3 });
    const list = orders(db);
    expect(list.find((o) => o.order_no === '4021')).toMatchObject({ amount: '182.40', customer: 'Hannah Becker' });
    expect(list.find((o) => o.order_no === '4021')!.note).toContain('item_name: Tea strainer');
    const buyers = customers(db);
    expect(byEmail(buyers, 'accounts@hughes.example.co.uk')).toMatchObject({ name: 'Tom Hughes', phone: ['+447911123456'], external_id: '15' });
    expect(byEmail(buyers, 'ana.garcia@example.es')).toMatchObject({ phone: ['+34612345678'] });
    expectNothingDropped(file, [...list, ...buyers]);
  });
});

describe('a Chinese POS, in UTF-8, GBK and BOM+CRLF', () => {
  it.each(['pos-members.csv', 'pos-members-gbk.csv', 'pos-members-bom-crlf.csv'])('members: %s', (file) => {
    const list = customers(shopWith('customers', file).db);
    const by = (id: string) => list.find((c) => c.external_id === id)!;
    expect(by('00012001')).toMatchObject({ name: '王芳', tier: 'Gold', points: '5820', stored_balance: '300.00', opening_spend: '6320.50', created_at: '2023-05-12T10:20:00+08:00' });
    expect(by('00012002')).toMatchObject({ tier: 'Silver' });
    expect(by('00012005')).toMatchObject({ tier: 'Diamond' });
    // Not one of the shop's levels: kept as it is.
    expect(by('00012003')).toMatchObject({ tier: null, 'field:会员等级': '普通会员' });
    expect(by('00012004')).toMatchObject({ name: '', phone: ['+8613512345678'] });
    expectNothingDropped(file, list);
  });

  it.each(['pos-orders.csv', 'pos-orders-gbk.csv', 'pos-orders-bom-crlf.csv'])('orders: %s', (file) => {
    const { db, summary } = shopWith('orders', file);
    expect(summary).toMatchObject({ customers_created: 4 });
    const list = orders(db);
    expect(list.find((o) => o.order_no === 'DD202610300001')).toMatchObject({ amount: '268.00', customer: '王芳', ordered_at: '2026-10-30T15:12:08+08:00' });
    const buyers = customers(db);
    expect(buyers.find((c) => c.name === '王芳')).toMatchObject({ phone: ['+8613900139000'], address: '浙江省杭州市西湖区文三路90号' });
    expectNothingDropped(file, [...list, ...buyers]);
  });
});

describe('Odoo contacts and a Mailchimp audience', () => {
  it('Odoo (import-compatible export): its id as the external id, street2 and state_id in the address, the country by name for phones, category_id as tags', () => {
    const file = 'odoo-contacts.csv';
    const list = customers(shopWith('customers', file).db);
    expect(byEmail(list, 'order@siamtea.example.co.th')).toMatchObject({
      name: 'Siam Tea House', external_id: '__export__.res_partner_42_9f1c2a3b', phone: ['+6621234567'], city: 'Bangkok',
      address: '88 Sukhumvit Road, Khlong Toei, Bangkok, Bangkok 10110', tags: ['VIP', 'Wholesale'], note: 'Pays by transfer', is_company: 'True',
    });
    // "Thailand" in country_id: 081 234 5678 is a Thai mobile, in a shop set to China.
    expect(byEmail(list, 'nattaya@siamtea.example.co.th')).toMatchObject({ phone: ['+66812345678'], parent_id: 'Siam Tea House', function: 'Buyer' });
    expect(byEmail(list, 'zhang.min@example.cn')).toMatchObject({ address: '杭州文三路90号', phone: ['+8613812345678'] });
    expect(byEmail(list, 'emily.carter@example.com')).toMatchObject({ phone: ['+17138175649'], address: '1200 Smith Street, Apt 4, Houston, Texas 77002' });
    expectNothingDropped(file, list);
  });

  it('Mailchimp: first and last names joined, the address\'s parts, CC deciding phones, quoted tags, a subscriber without a name', () => {
    const file = 'mailchimp-audience.csv';
    const { db, summary } = shopWith('customers', file);
    expect(summary).toMatchObject({ inserted: 4, warnings: 0 });
    const list = customers(db);
    expect(byEmail(list, 'reader.one@example.com')).toMatchObject({
      name: 'Olivia Tremblay', phone: ['+16473829154'], birthday: '--05-14', address: '45 Queen St W, Unit 1203, Toronto, ON, M5V 2T6, CA', tags: ['Newsletter', 'VIP'], LEID: '182736451',
    });
    expect(byEmail(list, 'reader.two@example.org')).toMatchObject({ phone: ['+66812345678'], tags: ['Newsletter'] });
    expect(byEmail(list, 'reader.three@example.net')).toMatchObject({ name: '' });
    expect(byEmail(list, 'reader.four@example.com')).toMatchObject({ name: 'Li Na', phone: ['+8613800138000'], birthday: '--03-08' });
    expectNothingDropped(file, list);
  });
});

describe("a Thai shop's loyalty app members, brought to a shop set to China", () => {
  const file = 'loyalty-th-members.csv';
  it('stops before writing when the phones are another country\'s, naming it and the flag', () => {
    const r = importOf('customers', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('7 of the first 7 phones are not valid numbers of CN (the shop\'s country), but 7 of the 7 of those tried are valid in TH; nothing was imported');
    expect(r.stderr).toContain('import with --country TH');
    expect(customers(r.db)).toEqual([]);
  });

  it('with --country TH: Thai phones, tiers by name, the foreign id as the member number; a bad gender, email or birthday left out with a warning; a row a cell short refused', () => {
    const r = importOf('customers', file, ['--country', 'TH']);
    expect(r.code).toBe(2); // one row refused
    expect(r.summary).toMatchObject({ inserted: 6, rejected: 1, warnings: 3 });
    const list = customers(r.db);
    // crm numbers its customers itself: the file's id 98938 is the member number, not #98938.
    expect(list.map((c) => [c.id, c.external_id, c.phone, c.tier])).toEqual([
      [1, '98938', ['+66812345678'], 'Gold'],
      [2, '98939', ['+66897654321'], 'Silver'],
      [3, '98940', ['+66865551234'], 'Silver'],
      [4, '98941', ['+66923456789'], null],
      [5, '98942', ['+6621234567'], 'Gold'],
      [6, '98943', ['+66951112222'], null],
    ]);
    // Not one of the shop's levels: kept as it is, never dropped.
    expect(list[5]).toMatchObject({ 'field:tier': 'bronze' });
    expect(list[2]).toMatchObject({ name: 'Kittipong Chaiyaporn', gender: null });
    expect(list[4]).toMatchObject({ name: 'Arthit Thongchai', gender: 'male', email: null, birthday: null });
    const rejects = Papa.parse<Row>(r.rejects!.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    expect(rejects.map((x) => [x.id, x.crm_id, x.crm_reject_reason])).toEqual([
      ['98940', '3', 'line 4, gender: "Anonymous" is not one of female, male, other (女, 男, 其他); imported without it'],
      ['98941', '4', 'line 5, gender: "Prefer not to say" is not one of female, male, other (女, 男, 其他); imported without it'],
      ['98942', '5', 'line 6, email: "arthit@example" is not a valid email address; imported without it; line 6, birthday: "1979-02-30" is not a date such as 1990-03-05 or 03-05; imported without it'],
      ['98944', '', 'line 8: 9 cell(s) where the header has 10 columns: a cell is missing, so the values after it would go into the wrong columns'],
    ]);
    expectNothingDropped(file, list, r.rejects);
    const next = crm(['customer', 'add', '--name', 'New'], { db: r.db });
    expect(next.stdout).toContain('Added customer #7 New');
  });

  it('--strict refuses the rows with a bad optional value too', () => {
    const r = importOf('customers', file, ['--country', 'TH', '--strict']);
    expect(r.code).toBe(2);
    expect(r.summary).toMatchObject({ rejected: 4, warnings: 0, imported: false });
    expect(customers(r.db)).toEqual([]);
  });
});

describe('phones read in a country nobody said', () => {
  it('stores a number that may be another country\'s with a warning counted in the summary, and not one the file or the user placed', () => {
    const dir = tempDir();
    const file = path.join(dir, 'list.csv');
    fs.writeFileSync(file, 'name,phone,country\nEmily,713-817-5649,\nJoe,713-817-5650,US\nLi,0713-8175600,\nWang,13800138000,\n');
    const db = tempDb();
    const r = crm(['import', 'customers', file], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 row(s) imported with a value left out or in doubt');
    // A doubt is told, with the command that corrects it; the row is whole, so no rejects file holds it.
    expect(r.stderr).toContain('line 2, phone: "713-817-5649" was read as +867138175649, a number of CN (the shop\'s country) written without its trunk prefix');
    expect(r.stderr).toMatch(/crm customer edit \d+ --rm-phone \+867138175649 --add-phone/);
    expect(r.stdout).not.toContain(' are in ');
    expect(fs.readdirSync(dir)).toEqual(['list.csv']);
    expect(customers(db).map((c) => [c.name, c.phone])).toEqual([
      ['Emily', ['+867138175649']],
      ['Joe', ['+17138175650']],
      ['Li', ['+867138175600']],
      ['Wang', ['+8613800138000']],
    ]);
    // Said with --country: no doubt.
    const said = crm(['import', 'customers', file, '--country', 'us', '--format', 'json', '--dry-run'], { db: tempDb() });
    expect(JSON.parse(said.stdout)).toMatchObject({ warnings: 0 });
  });
});

describe('dry runs', () => {
  const files = fs.readdirSync(FIX).filter((f) => f.endsWith('.csv'));
  const flags: Record<string, string[]> = { 'template-no-header.csv': ['--no-header', '--map', '1=name,2=gender,3=phone,4=city'] };
  it.each(files)('count, refuse and exit as the real import: %s', (file) => {
    const r = importOf(file.includes('orders') ? 'orders' : 'customers', file, flags[file]);
    expect([0, 2]).toContain(r.code);
  });
});

describe('a template saved without its header row', () => {
  // A copy: the rejects file is written beside it.
  const file = path.join(tempDir(), 'template-no-header.csv');
  fs.copyFileSync(path.join(FIX, 'template-no-header.csv'), file);
  it('is refused with a hint, then imports with --no-header and --map by column number; errors name columns as --map takes them', () => {
    const db = tempDb();
    const plain = crm(['import', 'customers', file], { db });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('give --no-header');
    const unmapped = crm(['import', 'customers', file, '--no-header'], { db });
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toContain('column 1 (张伟), column 2 (男), column 3 (13800138000), column 4 (上海)');
    // A column named as the error names it is one --map takes, and so is its number.
    const bad = crm(['import', 'customers', file, '--no-header', '--map', '1=name,column 2=gender', '--map', '3=phone', '--map', '4=phone', '--dry-run'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('line 1, column 4: phone: "上海" is not a valid phone number');
    const r = crm(['import', 'customers', file, '--no-header', '--map', '1=name,column 2=gender', '--map', '3=phone', '--map', '4=city', '--rejects', path.join(tempDir(), 'r.csv')], { db });
    expect(r.code, r.stderr).toBe(0);
    expect(customers(db).map((c) => [c.name, c.gender, c.phone, c.city])).toEqual([
      ['张伟', 'male', ['+8613800138000'], '上海'],
      ['王芳', 'female', ['+8613900139000'], '杭州'],
      ['李娜', null, ['+8613700137000'], '成都'],
    ]);
    const missing = crm(['import', 'customers', file, '--no-header', '--map', '5=name'], { db });
    expect(missing.stderr).toContain('--map: the file has no column "5"; columns: column 1, column 2, column 3, column 4');
  });

  it('lists every field --map takes in import --help', () => {
    const help = crm(['import', 'orders', '--help']).stdout;
    for (const f of ['order_no', 'amount', 'ordered_at', 'day', 'customer_phone', 'customer_external_id', 'ignore']) expect(help).toContain(f);
    const c = crm(['import', 'customers', '--help']).stdout;
    for (const f of ['name', 'phone', 'external_id', 'marketing_opt_out', 'level', 'field:<key>']) expect(c).toContain(f);
  });
});
