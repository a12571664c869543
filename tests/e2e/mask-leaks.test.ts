// crm export --mask, as a shop owner shares a list: nothing that identifies a customer (a WeChat id,
// a card number, a member number, a phone or an email written in a note or an order number) is
// left in the output, in CSV, JSON or NDJSON, and what stands in its place still reads.
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, tempDb } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

type Row = Record<string, string>;

/** Everything that identifies the shop's customers, as it was entered. */
const SECRETS = [
  '张伟', 'zhang@', 'VIP20230017', '20230017', 'wxid_zw8812ab', 'zw8812ab', 'zhangwei', '6222021234567890123', '62220212',
  '13800138000', '0013', '13912345678', '1234 5678', 'lina@', 'lina_88', '15011112222', '王芳', '186-1234-5678', '1234-5678', '漕溪北路',
];

let db = '';
beforeAll(async () => {
  db = tempDb();
  await setUp(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--email', 'zhang@example.com', '--external-id', 'VIP20230017',
    '--address', '上海市徐汇区漕溪北路1234号', '--city', '上海', '--tag', 'VIP', '--field', '微信=wxid_zw8812ab', '--field', '卡号=6222021234567890123',
    '--field', 'wechat=zhangwei', '--field', '口味=绿茶', '--note', '老客户，张伟的太太电话139 1234 5678，邮箱lina@qq.com'], { db });
  await setUp(['order', 'add', '张伟', '--amount', '128', '--date', '2026-11-01', '--id', 'TB20261101-13800138000', '--note', '收货人王芳 15011112222，放门口'], { db });
  await setUp(['log', '张伟', '--type', 'call', '--note', '回电 186-1234-5678，微信 lina_88，要新品目录', '--at', '2026-11-20 15:30'], { db });
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
      expect(out).not.toMatch(/\d{6,}/); // no phone, card or member number, whole or in part
    }
    const [row] = csvRows(csv);
    expect(row).toMatchObject({
      name: '张*',
      phone: '+86138****8000',
      email: 'z***@example.com',
      address: '上海市徐汇区***',
      city: '上海',
      tags: 'VIP',
      external_id: '***17',
      微信: '***2ab',
      'field:卡号': '622************0123',
      wechat: '***ei',
      口味: '绿茶', // not identifying: kept
      note: '老客户，张*的太太电话139****5678，邮箱l***@qq.com',
    });
    // The same values in JSON, under the same keys.
    const [record] = JSON.parse(json) as Record<string, unknown>[];
    expect(Object.keys(record!)).toEqual(Object.keys(row!));
    expect(record).toMatchObject({ external_id: row!.external_id, 微信: row!.微信, 'field:卡号': row!['field:卡号'], wechat: row!.wechat, note: row!.note });
  });

  it("masks the order number and the note of an order, and the customer's name", () => {
    const csv = exported('orders', 'csv');
    const json = exported('orders', 'json');
    for (const out of [csv, json]) for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(csvRows(csv).map((o) => [o.customer, o.amount, o.order_no, o.note])).toEqual([['张*', '128.00', '***8000', '收货人王* 150****2222，放门口']]);
    expect(JSON.parse(json)).toMatchObject([{ customer: '张*', order_no: '***8000', note: '收货人王* 150****2222，放门口' }]);
  });

  it('masks the phones and WeChat ids inside an interaction note, in CSV, JSON and NDJSON alike', () => {
    const outs = ['csv', 'json', 'ndjson'].map((f) => exported('interactions', f));
    for (const out of outs) for (const secret of SECRETS) expect(out).not.toContain(secret);
    const note = '回电 186****5678，微信 ***8，要新品目录';
    expect(csvRows(outs[0]!).map((i) => [i.customer, i.type, i.note])).toEqual([['张*', 'call', note]]);
    expect(JSON.parse(outs[1]!)).toMatchObject([{ customer: '张*', note }]);
    expect(JSON.parse(outs[2]!.trim())).toMatchObject({ customer: '张*', note });
  });
});
