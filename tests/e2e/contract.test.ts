// The output contract of the customer book's commands (issue 12): every format a command offers
// parses, the same records in each; money as decimal strings, times in the shop's zone with their
// offset; a format a command does not offer is refused with one line and exit 2; data on stdout.
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb, tempDir } from '../helpers/crm.js';

type Row = Record<string, unknown>;
const OFFSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+08:00$/;
const DECIMAL = /^\d+\.\d{2}$/;

function ok(args: string[], db: string) {
  const r = crm(args, { db });
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
}

const csvRows = (text: string) => Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
const ndjson = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Row);

let db: string;
beforeAll(() => {
  db = tempDb();
  ok(['customer', 'add', '--name', '张伟', '--phone', '13800138000', '--city', '上海', '--tag', 'VIP', '--field', '微信=zw_88'], db);
  ok(['customer', 'add', '--name', 'Emily Chen', '--email', 'emily@example.com'], db);
  ok(['order', 'add', '张伟', '--amount', '1280.50', '--date', '2026-02-14 15:30', '--id', 'SO-1'], db);
  ok(['order', 'add', '张伟', '--amount', '99.9'], db);
  ok(['log', '张伟', '--type', 'call', '--note', '回访', '--at', '2026-11-20 15:30'], db);
});

describe('the listings', () => {
  const listings = [
    ['customer', 'list'],
    ['order', 'list'],
    ['log', 'list'],
    ['tag', 'list'],
    ['config', 'list'],
    ['find', '张'],
  ];

  it('give the same records as JSON and CSV, and a table for people', () => {
    for (const args of listings) {
      const json = crmJson<Row[]>(args, { db });
      expect(json.length, args.join(' ')).toBeGreaterThan(0);
      const csv = csvRows(ok([...args, '--format', 'csv'], db).stdout);
      // CSV holds the JSON's values as text (lists joined with ", ", null as empty).
      const asText = (v: unknown) => (v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v));
      expect(csv, args.join(' ')).toEqual(json.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asText(v)]))));
      // The table shows the same rows: every id of the JSON appears in it.
      const table = ok(args, db).stdout;
      for (const r of json) if ('id' in r) expect(table, args.join(' ')).toMatch(new RegExp(`│ +${r.id} │`));
    }
  });

  it('write NDJSON for the customer list: one object a line, each the JSON array element', () => {
    const json = crmJson<Row[]>(['customer', 'list'], { db });
    const lines = ndjson(ok(['customer', 'list', '--format', 'ndjson'], db).stdout);
    expect(lines).toEqual(json);
    expect(ndjson(ok(['export', 'customers', '--format', 'ndjson'], db).stdout)).toEqual(json);
    // Every export is a long listing: orders and interactions as NDJSON too, the same records as their JSON.
    for (const what of ['orders', 'interactions']) {
      const all = crmJson<Row[]>(['export', what], { db });
      expect(all.length, what).toBeGreaterThan(0);
      expect(ndjson(ok(['export', what, '--format', 'ndjson'], db).stdout), what).toEqual(all);
    }
  });

  it('write money as decimal strings and times in the shop zone with the offset', () => {
    const [customer] = crmJson<Row[]>(['customer', 'list', '--sort', 'spend'], { db });
    expect(customer).toMatchObject({ name: '张伟', spend: '1380.40' });
    expect(customer!.created_at).toMatch(OFFSET_TIME);
    expect(customer!.updated_at).toMatch(OFFSET_TIME);
    const orders = crmJson<Row[]>(['order', 'list'], { db });
    for (const o of orders) expect(o.amount).toMatch(DECIMAL);
    expect(orders.at(-1)).toMatchObject({ day: '2026-02-14', ordered_at: '2026-02-14T15:30:00+08:00', amount: '1280.50' });
    expect(crmJson<Row[]>(['log', 'list'], { db })[0]!.at).toBe('2026-11-20T15:30:00+08:00');
    expect(csvRows(ok(['order', 'list', '--format', 'csv'], db).stdout).at(-1)!.ordered_at).toBe('2026-02-14T15:30:00+08:00');
  });

  it('are the bytes of crm export, which writes through the same writer', () => {
    expect(ok(['export', 'customers'], db).stdout).toBe(ok(['customer', 'list', '--format', 'csv'], db).stdout);
    expect(ok(['export', 'customers', '--format', 'json'], db).stdout).toBe(ok(['customer', 'list', '--format', 'json'], db).stdout);
    expect(ok(['export', 'orders', '--format', 'json'], db).stdout).toBe(ok(['order', 'list', '--format', 'json'], db).stdout);
    expect(ok(['export', 'interactions'], db).stdout).toBe(ok(['log', 'list', '--format', 'csv'], db).stdout);
  });
});

describe('one record', () => {
  it('config get gives the bare value, or the record of config list as CSV or JSON', () => {
    expect(ok(['config', 'get', 'currency'], db).stdout).toBe('CNY\n');
    const record = crmJson<Row>(['config', 'get', 'currency'], { db });
    expect(record).toEqual(crmJson<Row[]>(['config', 'list'], { db }).find((r) => r.key === 'currency'));
    expect(csvRows(ok(['config', 'get', 'currency', '--format', 'csv'], db).stdout)).toEqual([{ key: 'currency', value: 'CNY', source: 'default', description: record.description }]);
  });

  it('customer add gives the stored customer in the columns of customer list', () => {
    const d = tempDb();
    const added = crmJson<Row>(['customer', 'add', '--name', '王芳', '--phone', '13900139000'], { db: d });
    expect(added).toEqual(crmJson<Row[]>(['customer', 'list'], { db: d })[0]);
    expect(csvRows(ok(['customer', 'add', '--name', '李雷', '--format', 'csv'], d).stdout)).toEqual([expect.objectContaining({ id: '2', name: '李雷' })]);
  });

  it('customer show as JSON is built from the listing columns, its parts nested', () => {
    const p = crmJson<Record<string, Row & Row[]>>(['customer', 'show', '张伟'], { db });
    expect(Object.keys(p)).toEqual(['customer', 'order_summary', 'clv', 'rfm', 'lifecycle', 'recent_orders', 'recent_interactions', 'tier_history', 'latest_survey', 'open_complaints']);
    expect(p.customer).toEqual(crmJson<Row[]>(['customer', 'list'], { db }).find((c) => c.name === '张伟'));
    expect(p.recent_orders).toEqual(crmJson<Row[]>(['order', 'list', '张伟'], { db }));
    expect(p.recent_interactions).toEqual(crmJson<Row[]>(['log', 'list', '张伟'], { db }));
    expect(p.order_summary).toMatchObject({ count: 2, total: '1380.40', average_order: '690.20', first_day: '2026-02-14', last_day: '2026-11-22' });
    expect(p.tier_history).toEqual([]);
  });
});

describe('formats a command does not offer', () => {
  it('are refused while the line is parsed, with one line naming the allowed ones, exit 2', () => {
    for (const [args, allowed] of [
      [['customer', 'show', '张伟', '--format', 'csv'], 'does not write csv: use table|json'],
      [['order', 'list', '--format', 'ndjson'], 'does not write ndjson: use table|csv|json'],
      [['config', 'get', 'currency', '--format', 'yaml'], 'unknown format "yaml": use table|csv|json'],
      [['export', 'orders', '--format', 'table'], 'does not write table: use csv|json|ndjson'],
      [['export', 'customers', '--format', 'table'], 'does not write table: use csv|json|ndjson'],
    ] as const) {
      const r = crm([...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toContain(allowed);
    }
  });

  it('are not taken by commands that print no data', () => {
    const r = crm(['tag', 'add', '张伟', '团购', '--format', 'json'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format');
  });
});

describe('the import summary', () => {
  const file = (dir: string, name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('is the command result in every format: JSON with every count, CSV one row; notes on stderr', () => {
    const d = tempDb();
    const dir = tempDir();
    const list = file(dir, 'list.csv', 'name,phone\n张伟,13800138000\n王芳,12345\n');
    const json = crm(['import', 'customers', list, '--format', 'json'], { db: d });
    expect(json.code).toBe(2); // a row was refused
    expect(JSON.parse(json.stdout)).toEqual({
      kind: 'customers',
      file: list,
      encoding: 'utf-8',
      delimiter: ',',
      rows: 2,
      inserted: 1,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      rejected: 1,
      customers_created: 0,
      kept_differences: 0,
      warnings: 0,
      line_items: 0,
      seconds: expect.any(Number),
      rejects_file: path.join(dir, 'list.rejects.csv'),
      dry_run: false,
      imported: true,
      import_id: 1,
    });
    expect(json.stderr).toContain('line 3, phone');
    const csv = crm(['import', 'customers', list, '--format', 'csv', '--rejects', path.join(dir, 'r.csv')], { db: d });
    expect(csvRows(csv.stdout)).toEqual([expect.objectContaining({ kind: 'customers', rows: '2', inserted: '0', unchanged: '1', rejected: '1' })]);
    // A dry run is the same import rolled back: the same counts and exit code (2: a row would be refused).
    const dry = crm(['import', 'customers', list, '--dry-run', '--format', 'csv', '--rejects', path.join(dir, 'dry.csv')], { db: d });
    expect(dry.code, dry.stderr).toBe(2);
    expect(csvRows(dry.stdout)).toEqual([expect.objectContaining({ kind: 'customers', rows: '2', inserted: '0', unchanged: '1', rejected: '1', dry_run: 'true', imported: 'false' })]);
    const dryJson = JSON.parse(crm(['import', 'customers', list, '--dry-run', '--format', 'json', '--rejects', path.join(dir, 'dry2.csv')], { db: d }).stdout) as Row;
    expect(dryJson).toMatchObject({ rows: 2, unchanged: 1, rejected: 1, dry_run: true, imported: false, columns: [{ column: 'name', field: 'name' }, { column: 'phone', field: 'phone' }] });
  });

  it('never writes the refused rows over a rejects file it did not name; one the user named is replaced', () => {
    const d = tempDb();
    const dir = tempDir();
    const list = file(dir, 'list.csv', 'name,phone\n王芳,12345\n');
    const first = path.join(dir, 'list.rejects.csv');
    fs.writeFileSync(first, 'my own notes\n');
    const r = crm(['import', 'customers', list], { db: d });
    expect(r.code).toBe(2);
    expect(fs.readFileSync(first, 'utf8')).toBe('my own notes\n');
    const second = path.join(dir, 'list.rejects-2.csv');
    expect(r.stderr).toContain(`${first} already exists and was kept`);
    expect(r.stderr).toContain(second);
    expect(r.stdout).toContain(second);
    expect(csvRows(fs.readFileSync(second, 'utf8').replace(/^\uFEFF/, ''))).toEqual([expect.objectContaining({ name: '王芳', phone: '12345' })]);
    expect(crm(['import', 'customers', list], { db: d }).stdout).toContain(path.join(dir, 'list.rejects-3.csv'));
    // Named with --rejects: the user's own choice, replaced.
    const named = path.join(dir, 'mine.csv');
    fs.writeFileSync(named, 'old\n');
    expect(crm(['import', 'customers', list, '--rejects', named], { db: d }).code).toBe(2);
    expect(fs.readFileSync(named, 'utf8')).toContain('王芳');
    // No temporary files are left beside them.
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('times read back', () => {
  it('gives the same instants after export and import of customers and orders', () => {
    const dir = tempDir();
    const to = tempDb();
    const customers = path.join(dir, 'c.csv');
    const orders = path.join(dir, 'o.csv');
    ok(['export', 'customers', '--out', customers], db);
    ok(['export', 'orders', '--out', orders], db);
    ok(['import', 'customers', customers], to);
    ok(['import', 'orders', orders], to);
    const pick = (rows: Row[], ...keys: string[]) => rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));
    expect(pick(crmJson<Row[]>(['customer', 'list'], { db: to }), 'name', 'created_at')).toEqual(pick(crmJson<Row[]>(['customer', 'list'], { db }), 'name', 'created_at'));
    expect(pick(crmJson<Row[]>(['order', 'list'], { db: to }), 'day', 'ordered_at', 'amount')).toEqual(pick(crmJson<Row[]>(['order', 'list'], { db }), 'day', 'ordered_at', 'amount'));
  });
});

describe('a command that fails', () => {
  it('writes nothing: a bad --limit is refused before rfm, clv or tier apply save anything', () => {
    const state = () => [crmJson(['customer', 'show', '张伟'], { db }), crmJson(['tier', 'history'], { db })];
    const before = state();
    for (const args of [
      ['rfm', '--save', '--segment', 'champions', '--limit', 'abc'],
      ['rfm', '--save', '--limit', '0'],
      ['clv', '--save', '--limit', 'x'],
      ['tier', 'apply', '--limit', 'abc'],
    ]) {
      const r = crm(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(state()).toEqual(before);
  });
});
