// crm export --mask, as a shop owner shares a list: nothing that identifies a customer (a WeChat id,
// a card number, a member number, a phone or an email written in a note or an order number) is
// left in the output, in CSV, JSON or NDJSON, and what stands in its place still reads.
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { Context } from '../../src/context.js';
import { crm, tempDb } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

type Row = Record<string, string>;

/** Everything that identifies the shop's customers, as it was entered. */
const SECRETS = [
  '张伟', 'zhang@', 'VIP20230017', '20230017', 'wxid_zw8812ab', 'zw8812ab', 'zhangwei', '6222021234567890123', '62220212',
  '13800138000', '0013', '13912345678', '1234 5678', 'lina@', 'lina_88', '15011112222', '王芳', '186-1234-5678', '1234-5678', '漕溪北路',
  // an English-speaking customer
  'Emily', 'Chen', '555', '2671', 'emily@', 'emily_c88', '4111', '12 Pike', 'John Smith', '文三路90号', '90号',
  // in tags, a Chinese email, people named by custom fields
  '13912340000', 'wxid_abcd1234', 'abcd1234', '李雷@', '王小明', '韩梅梅', 'Tom Lee',
];

let db = '';
beforeAll(async () => {
  db = tempDb();
  await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zhang@example.com', '--external-id', 'VIP20230017',
    '--address', '上海市徐汇区漕溪北路1234号', '--city', '上海', '--tag', 'VIP', '--field', '微信=wxid_zw8812ab', '--field', '卡号=6222021234567890123',
    '--field', 'wechat=zhangwei', '--field', '口味=绿茶', '--field', '推荐人=王小明', '--field', '紧急联系人=韩梅梅', '--field', 'spouse=Tom Lee',
    '--note', '老客户，张伟的太太电话139 1234 5678，邮箱lina@qq.com，李雷@qq.com，订单金额 128000'], { db });
  await setUp(['tag', 'add', '张伟', '介绍人13912340000'], { db });
  await setUp(['tag', 'add', '张伟', 'wxid_abcd1234'], { db });
  await setUp(['order', 'add', '张伟', '--amount', '128', '--date', '2026-11-01', '--id', 'TB20261101-13800138000', '--note', '收货人王芳 15011112222，放门口'], { db });
  await setUp(['log', '张伟', '--type', 'call', '--note', '回电 186-1234-5678，微信 lina_88，要新品目录', '--at', '2026-11-20 15:30'], { db });
  await setUp(['customer', 'add', '--name', 'Emily Chen', '--phone', '+1 (415) 555-2671', '--email', 'emily@example.com', '--field', 'WeChat ID=emily_c88',
    '--field', 'card=4111 1111 1111 1111', '--note', 'Ship to: John Smith, 12 Pike St, Seattle; call +1 (415) 555-2671 after 6'], { db });
  await setUp(['order', 'add', 'Emily Chen', '--amount', '1280', '--date', '2026-11-02', '--note', '共 1280.00 元，运费 ¥12，送到文三路90号，2026-11-05 前'], { db });
  await setUp(['log', 'Emily Chen', '--type', 'wechat', '--note', "Emily's wechat is emily_c88; email emily@example.com", '--at', '2026-11-21 10:00'], { db });
});

function exported(what: string, format: string): string {
  const r = crm(['export', what, '--mask', '--format', format], { db });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

function csvRows(text: string): Row[] {
  return Papa.parse<Row>(text, { header: true, skipEmptyLines: true }).data;
}

describe('crm export --mask leaves nothing that identifies a customer', () => {
  it('masks member numbers, WeChat ids, card numbers and the phones and emails inside notes, in CSV and JSON alike', () => {
    const csv = exported('customers', 'csv');
    const json = exported('customers', 'json');
    for (const out of [csv, json]) {
      for (const secret of SECRETS) expect(out).not.toContain(secret);
      expect(out.replace('订单金额 128000', '')).not.toMatch(/\d{6,}/); // no phone, card or member number, whole or in part
    }
    const [row, emily] = csvRows(csv);
    expect(row).toMatchObject({
      name: '张*',
      phone: '+86138****8000',
      email: 'z***@example.com',
      address: '上海市徐汇区***',
      city: '上海',
      tags: 'VIP, ***234, 介绍人139****0000',
      external_id: '***17',
      微信: '***2ab',
      'field:卡号': '622************0123',
      wechat: '***ei',
      口味: '绿茶', // not identifying: kept
      推荐人: '王**',
      紧急联系人: '韩**',
      spouse: 'T** L**',
      // an amount after its word stays; an email in Chinese is masked like any
      note: '老客户，张*的太太电话139****5678，邮箱l***@qq.com，李***@qq.com，订单金额 128000',
    });
    expect(emily).toMatchObject({
      name: 'E**** C***',
      phone: '+141*****671',
      email: 'e***@example.com',
      'WeChat ID': '***88',
      card: '411*********1111',
      note: 'Ship to: J*** S****, *** Pike St, Seattle; call +141*****671 after 6',
    });
    // The same values in JSON, under the same keys.
    const [record] = JSON.parse(json) as Record<string, unknown>[];
    expect(Object.keys(record!)).toEqual(Object.keys(row!));
    expect(record).toMatchObject({ external_id: row!.external_id, 微信: row!.微信, 'field:卡号': row!['field:卡号'], wechat: row!.wechat, note: row!.note });
    // What was typed is emptied: no list of empty strings standing for the phones.
    expect(record).toMatchObject({ name_raw: null, email_raw: null, phone_raw: [], tags: ['VIP', '***234', '介绍人139****0000'] });
  });

  it("masks the order number and the note of an order, and the customer's name", () => {
    const csv = exported('orders', 'csv');
    const json = exported('orders', 'json');
    for (const out of [csv, json]) for (const secret of SECRETS) expect(out).not.toContain(secret);
    // Amounts and dates in a note stay: they are what the list is shared for.
    const emily = ['E**** C***', '1280.00', '', '共 1280.00 元，运费 ¥12，送到文三路***，2026-11-05 前'];
    expect(csvRows(csv).map((o) => [o.customer, o.amount, o.order_no, o.note])).toEqual([emily, ['张*', '128.00', '***8000', '收货人王* 150****2222，放门口']]);
    expect(JSON.parse(json)).toMatchObject([
      { customer: 'E**** C***', amount: '1280.00', order_no: null, note: emily[3] },
      { customer: '张*', order_no: '***8000', note: '收货人王* 150****2222，放门口' },
    ]);
  });

  it('masks the phones and WeChat ids inside an interaction note, in CSV, JSON and NDJSON alike', () => {
    const outs = ['csv', 'json', 'ndjson'].map((f) => exported('interactions', f));
    for (const out of outs) for (const secret of SECRETS) expect(out).not.toContain(secret);
    const note = '回电 186****5678，微信 ***8，要新品目录';
    const english = "E****'s wechat is ***88; email e***@example.com";
    expect(csvRows(outs[0]!).map((i) => [i.customer, i.type, i.note])).toEqual([
      ['E**** C***', 'message', english],
      ['张*', 'call', note],
    ]);
    expect(JSON.parse(outs[1]!)).toMatchObject([{ customer: 'E**** C***', note: english }, { customer: '张*', note }]);
    expect(outs[2]!.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toMatchObject([{ customer: 'E**** C***', note: english }, { customer: '张*', note }]);
  });
});

describe('the commands that take --mask', () => {
  const walk = (cmd: Command): Command[] => [cmd, ...cmd.commands.flatMap(walk)];
  const fullName = (cmd: Command): string => (cmd.parent ? `${fullName(cmd.parent)} ${cmd.name()}` : cmd.name());

  it('are the three exports tested above (a new one must be added here)', async () => {
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    const program = await buildProgram(new Context(io, {}, 'en'), [], true);
    const masking = walk(program).filter((c) => c.options.some((o) => o.long === '--mask')).map(fullName);
    expect(masking.sort()).toEqual(['crm export customers', 'crm export interactions', 'crm export orders']);
  });

  it('say in --help what is masked how, in English and Chinese', () => {
    const en = crm(['export', 'orders', '--help']).stdout.replace(/\s+/g, ' ');
    for (const how of ['names keep their first character', 'phones their first 3 and last 4 digits', 'emails their first letter and domain', 'birthdays lose the year', 'member numbers', 'keep at most their last 4', 'inside notes, tags and order numbers every phone, email, card, id and house number is masked', 'city, dates and amounts are kept']) {
      expect(en).toContain(how);
    }
    const zh = crm(['export', 'customers', '--help'], { env: { LANG: 'zh_CN.UTF-8' } }).stdout.replace(/\s+/g, '');
    for (const how of ['姓名保留首字', '电话保留前3位和后4位', '生日去掉年份', '最多保留后4位', '备注、标签和订单号中的电话、邮箱、卡号、账号和门牌号都被遮蔽']) expect(zh).toContain(how);
  });
});
