// End to end: the built crm binary, a temporary database, no TTY. The customers and orders a test
// starts from are set up in this process (tests/helpers/in-process.ts); what it checks runs the binary.
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import fs from 'node:fs';
import path from 'node:path';
import { crm, crmJson, tempDb, tempDir } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

interface CustomerJson {
  id: number;
  name: string;
  phone: string[];
  email: string | null;
  city: string | null;
  tags: string[];
  orders: number;
  spend: string;
  [field: string]: unknown;
}

describe('customer records', () => {
  it('adds a customer from flags and shows the same record back, Chinese text intact', () => {
    const db = tempDb();
    const add = crm(
      ['customer', 'add', '--name', ' 王  小明 ', '--phone', '+86 138-0013-8000', '--phone', '0086 139 0013 9000', '--email', ' XiaoMing@QQ.com ', '--gender', '男', '--birthday', '08-15', '--lunar',
        '--city', '上海', '--address', '上海市徐汇区漕溪北路123号', '--external-id', 'M000123', '--note', '喜欢绿茶，不要辣', '--tag', 'VIP', '--tag', '老客户', '--field', '微信=wxid_xm', '--field', '来源=小红书'],
      { db },
    );
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('#1 王 小明');
    const shown = crmJson<{ customer: Record<string, unknown> }>(['customer', 'show', '13800138000'], { db }).customer;
    expect(shown).toEqual({
      id: 1,
      name: '王 小明',
      phone: ['+8613800138000', '+8613900139000'],
      email: 'xiaoming@qq.com',
      gender: 'male',
      birthday: '--08-15',
      birthday_lunar: true,
      birthday_leap: false,
      city: '上海',
      address: '上海市徐汇区漕溪北路123号',
      external_id: 'M000123',
      tags: ['VIP', '老客户'],
      tier: null,
      orders: 0,
      spend: '0.00',
      first_order: null,
      last_order: null,
      do_not_contact: false,
      marketing_opt_out: false,
      note: '喜欢绿茶，不要辣',
      created_at: '2026-11-22T10:00:00+08:00',
      updated_at: '2026-11-22T10:00:00+08:00',
      name_raw: ' 王  小明 ',
      email_raw: ' XiaoMing@QQ.com ',
      phone_raw: ['+86 138-0013-8000', '0086 139 0013 9000'],
      微信: 'wxid_xm',
      来源: '小红书',
    });
  });

  it('finds one customer by any form of the phone, email, member number, id or name', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zw@qq.com', '--external-id', 'M7'], { db });
    for (const ref of ['+86 138-0013-8000', '0086 13800138000', '138 0013 8000', 'ZW@qq.com', 'M7', '1', '#1', '张伟', '张 伟']) {
      const r = crm(['customer', 'show', ref], { db });
      expect(r.code, `ref ${ref}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toContain('#1 张伟');
    }
  });

  it('shows a one-screen profile with the order summary and latest interactions', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Emily Chen', '--phone', '13800138000', '--tag', 'VIP', '--field', 'size=M'], { db });
    await setUp(['order', 'add', 'Emily Chen', '--amount', '100', '--date', '2026-01-01'], { db });
    await setUp(['order', 'add', 'Emily Chen', '--amount', '200.50', '--date', '2026-03-02'], { db });
    await setUp(['order', 'add', 'Emily Chen', '--amount', '50', '--date', '2026-05-01'], { db });
    await setUp(['log', 'Emily Chen', '--type', 'call', '--note', 'asked about the new tea', '--at', '2026-05-02 10:00'], { db });
    const r = crm(['customer', 'show', 'emily chen'], { db });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#1 Emily Chen');
    expect(r.stdout).toContain('[VIP]');
    expect(r.stdout).toMatch(/size\s+M/);
    expect(r.stdout).toContain('3 order(s), ¥350.50 in all net of refunds (average ¥116.83), first 2026-01-01, last 2026-05-01, every 60 days on average');
    expect(r.stdout).toContain('2026-05-02 10:00  call  asked about the new tea');
  });

  it('refuses a customer without a name when there is no terminal, without prompting', () => {
    const db = tempDb();
    const r = crm(['customer', 'add', '--phone', '13800138000'], { db });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('crm: a customer needs a name\ngive --name (no terminal to ask at)\n');
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toEqual([]);
  });

  it('refuses bad fields with a message naming the field, writing nothing', () => {
    const db = tempDb();
    const cases: [string[], string][] = [
      [['--phone', '12345'], 'phone: "12345" is not a valid phone number'],
      [['--email', 'not-an-email'], 'email: "not-an-email" is not a valid email address'],
      [['--birthday', '1990-13-45'], 'birthday: "1990-13-45" is not a date'],
      [['--gender', 'maybe'], 'gender: "maybe" is not one of'],
      [['--field', 'oops'], 'custom field: "oops" is not key=value'],
    ];
    for (const [flags, message] of cases) {
      const r = crm(['customer', 'add', '--name', '李雷', ...flags], { db });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toEqual([]);
  });

  it('lists an ambiguous name with its candidates and exits 2; an unknown ref exits 1', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--city', '上海'], { db });
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13900139000', '--city', '北京'], { db });
    const r = crm(['customer', 'show', '张伟'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"张伟" matches 2 customers: #1 张伟 +8613800138000 上海; #2 张伟 +8613900139000 北京');
    const missing = crm(['customer', 'show', '李雷'], { db });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no customer matches "李雷"');
  });

  it('edits fields, phones and custom fields, and clears a field with ""', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zw@qq.com', '--field', 'a=1', '--field', 'b=2'], { db });
    const r = crm(['customer', 'edit', '13800138000', '--city', '杭州', '--email', '', '--add-phone', '13900139000', '--field', 'a=3', '--unset-field', 'b', '--do-not-contact'], { db });
    expect(r.code, r.stderr).toBe(0);
    const c = crmJson<{ customer: Record<string, unknown> }>(['customer', 'show', '13900139000'], { db }).customer;
    expect(c).toMatchObject({ city: '杭州', email: null, a: '3', do_not_contact: true, phone: ['+8613900139000', '+8613800138000'] });
    expect(c).not.toHaveProperty('b');
    // What was typed is kept through an edit that does not change that field.
    await setUp(['customer', 'add', '--name', ' 李  雷 ', '--email', ' LL@QQ.com'], { db });
    crm(['customer', 'edit', 'LL@qq.com', '--city', '杭州', '--name', '李 雷', '--email', 'll@qq.com'], { db });
    expect(crmJson<{ customer: unknown }>(['customer', 'show', 'll@qq.com'], { db }).customer).toMatchObject({ name_raw: ' 李  雷 ', email_raw: ' LL@QQ.com', city: '杭州' });
    expect(crm(['customer', 'edit', '1'], { db }).code).toBe(2);
  });

  it('removes a customer with their orders only when confirmed', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟'], { db });
    await setUp(['order', 'add', '张伟', '--amount', '10'], { db });
    const refused = crm(['customer', 'rm', '张伟'], { db });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes');
    expect(crm(['customer', 'rm', '张伟', '--yes'], { db }).code).toBe(0);
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toEqual([]);
    expect(crmJson<unknown[]>(['order', 'list'], { db })).toEqual([]);
  });

  it('lists with filters, sort and limit, custom fields as columns, in every format', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A', '--city', '上海市', '--tag', 'VIP', '--field', '微信=a1'], { db });
    await setUp(['customer', 'add', '--name', 'B', '--city', '北京', '--tag', 'VIP'], { db });
    await setUp(['customer', 'add', '--name', 'C', '--city', '上海', '--tag', '团购'], { db });
    await setUp(['order', 'add', 'B', '--amount', '500'], { db });
    await setUp(['order', 'add', 'C', '--amount', '20'], { db });
    const names = (args: string[]) => crmJson<CustomerJson[]>(['customer', 'list', ...args], { db }).map((c) => c.name);
    expect(names(['--city', '上海'])).toEqual(['A', 'C']);
    expect(names(['--tag', 'vip'])).toEqual(['A', 'B']);
    expect(names(['--tag', 'VIP', '--city', '北京'])).toEqual(['B']);
    expect(names(['--sort', 'spend'])).toEqual(['B', 'C', 'A']);
    expect(names(['--sort', 'spend', '--limit', '1'])).toEqual(['B']);
    expect(names(['--since', '2026-11-22'])).toEqual(['A', 'B', 'C']);
    expect(names(['--since', '2026-11-23'])).toEqual([]);
    const json = crmJson<CustomerJson[]>(['customer', 'list'], { db });
    expect(json[0]).toMatchObject({ name: 'A', 微信: 'a1', tags: ['VIP'], spend: '0.00' });
    expect(json[1]).toMatchObject({ name: 'B', orders: 1, spend: '500.00' });
    const csv = crm(['customer', 'list', '--format', 'csv'], { db });
    const parsed = Papa.parse<Record<string, string>>(csv.stdout.trim(), { header: true });
    expect(parsed.data.map((r) => [r.name, r.city, r['微信']])).toEqual([
      ['A', '上海市', 'a1'],
      ['B', '北京', ''],
      ['C', '上海', ''],
    ]);
    const cols = crm(['customer', 'list', '--columns', 'name,微信', '--format', 'csv'], { db });
    expect(cols.stdout).toBe('name,微信\nA,a1\nB,\nC,\n');
    const table = crm(['customer', 'list'], { db });
    expect(table.stdout).toMatch(/│\s+2 │ B\s+│.*│ 北京\s+│ VIP\s+│\s+1 │ ¥500.00 │ 2026-11-22 │/);
    expect(crm(['customer', 'list', '--sort', 'age'], { db }).code).toBe(2);
    expect(crm(['customer', 'list', '--format', 'xml'], { db }).code).toBe(2);
  });

  it('prints a birthday without a year as 07-19 (7月19日 in Chinese) in tables and profiles; JSON and CSV keep --07-19', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--birthday', '7月19日'], { db });
    expect(crm(['customer', 'list', '--columns', 'name,birthday'], { db }).stdout).toMatch(/张伟\s+│ 07-19 /);
    expect(crm(['customer', 'list', '--columns', 'name,birthday', '--lang', 'zh'], { db }).stdout).toMatch(/张伟\s+│ 7月19日 /);
    expect(crm(['customer', 'show', '张伟'], { db }).stdout).toMatch(/Birthday\s+07-19\n/);
    expect(crm(['customer', 'show', '张伟', '--lang', 'zh'], { db }).stdout).toMatch(/生日\s+7月19日\n/);
    expect(crmJson<{ birthday: string }[]>(['customer', 'list'], { db })[0]!.birthday).toBe('--07-19');
    expect(crm(['customer', 'list', '--columns', 'name,birthday', '--format', 'csv'], { db }).stdout).toContain('--07-19');
  });

  it('refuses a phone or email that belongs to someone else, naming them, unless --allow-duplicate', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zw@qq.com'], { db });
    for (const args of [['--phone', '+86 13800138000'], ['--email', 'ZW@qq.com']]) {
      const r = crm(['customer', 'add', '--name', '张 伟', ...args], { db });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('crm: that phone or email belongs to #1 张伟; nothing was added');
      expect(r.stderr).toContain('--allow-duplicate');
    }
    expect(crmJson<unknown[]>(['customer', 'list'], { db })).toHaveLength(1);
    const r = crm(['customer', 'add', '--name', '李娜', '--phone', '13800138000', '--allow-duplicate'], { db });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('#1 张伟 has the same phone or email');
  });
});

describe('tags', () => {
  it('adds, removes and counts tags', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'A', '--tag', 'VIP'], { db });
    await setUp(['customer', 'add', '--name', 'B'], { db });
    expect(crm(['tag', 'add', 'B', 'VIP', '老客户', '老客户'], { db }).stdout).toContain('Added 2 tag(s) to #2 B');
    expect(crmJson(['tag', 'list'], { db })).toEqual([
      { tag: 'VIP', customers: 2 },
      { tag: '老客户', customers: 1 },
    ]);
    expect(crm(['tag', 'rm', 'A', 'vip'], { db }).code).toBe(0);
    expect(crmJson(['tag', 'list'], { db })).toEqual([
      { tag: 'VIP', customers: 1 },
      { tag: '老客户', customers: 1 },
    ]);
    expect(crm(['find', '老客户'], { db }).stdout).toContain(' B ');
  });
});

describe('a customer\'s history', () => {
  it('gives everything about one customer in time order, in every format', async () => {
    const db = tempDb();
    const at = (now: string, args: string[]) => setUp(args, { db, env: { CRM_NOW: now } });
    await at('2026-03-01T10:00:00+08:00', ['customer', 'add', '--name', '张伟', '--phone', '13800138000']);
    await at('2026-03-02T10:00:00+08:00', ['order', 'add', '张伟', '--amount', '180']);
    await at('2026-03-03T10:00:00+08:00', ['log', '张伟', '--type', 'call', '--note', '回访']);
    await at('2026-03-04T10:00:00+08:00', ['order', 'refund', '1', '--amount', '30']);
    await at('2026-03-05T10:00:00+08:00', ['complaint', 'add', '张伟', '--description', '坏了']);
    await at('2026-03-06T10:00:00+08:00', ['coupon', 'issue', '张伟', '--value', '20']);
    const rows = crmJson<{ at: string; kind: string; amount: string | null; note: string | null }[]>(['customer', 'history', '张伟'], { db });
    expect(rows.map((r) => r.kind)).toEqual(['created', 'order', 'interaction', 'refund', 'complaint', 'coupon']);
    expect(rows[1]).toMatchObject({ at: '2026-03-02T10:00:00+08:00', amount: '180.00' });
    expect(rows[3]).toMatchObject({ amount: '30.00' });
    const table = crm(['customer', 'history', '张伟', '--limit', '2'], { db });
    expect(table.stdout).toContain('complaint');
    expect(table.stdout).not.toContain('refund');
    expect(crm(['customer', 'history', '张伟', '--format', 'ndjson'], { db }).stdout.trim().split('\n')).toHaveLength(6);
  });
});

describe('contacts without a name', () => {
  it('are found by --unnamed and shown by their phone or email until named', async () => {
    const db = tempDb();
    const dir = tempDir();
    const file = path.join(dir, 'list.csv');
    fs.writeFileSync(file, 'name,phone,email\n张伟,13800138000,\n,13900139000,\n,,x@example.com\n');
    await setUp(['import', 'customers', file], { db });
    const unnamed = crmJson<{ id: number; name: string }[]>(['customer', 'list', '--unnamed'], { db });
    expect(unnamed.map((c) => c.name)).toEqual(['', '']);
    const table = crm(['customer', 'list', '--unnamed'], { db }).stdout;
    expect(table).toContain('+8613900139000');
    expect(table).toContain('x@example.com');
    expect(table).not.toContain('张伟');
    expect(crm(['customer', 'show', '13900139000'], { db }).stdout.split('\n')[0]).toBe('#2 +8613900139000');
  });
});
