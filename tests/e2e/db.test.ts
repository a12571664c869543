// crm db init and crm db copy against a real PostgreSQL server (tests/setup/postgres.ts starts one):
// a shop with something in every kind of table moved to the server and back, verified row for
// row, the same answers from the copy as from the original, and each refusal as one line.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, tempDb, tempDir } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';
import { pgDatabase, pgQuery } from '../helpers/pg.js';

const env = { CRM_NOW: '2026-11-22T10:00:00+08:00' };
let shop = '';

/** A demo shop, and what fills the other tables: saved scores, levels, a reminder, a complaint, a survey answer, an import. */
beforeAll(async () => {
  shop = tempDb();
  const run = (...args: string[]) => setUp(args, { db: shop, env });
  await run('demo', '--customers', '400', '--seed', '4');
  await run('rfm', '--save');
  await run('clv', '--save');
  await run('tier', 'apply');
  await run('remind', 'add', '--tag', 'VIP', '--cron', '0 9 * * 1', '--template', 'winback', '--coupon', '20', '--coupon-days', '14');
  await run('complaint', 'add', '1', '--channel', 'phone', '--category', 'product_quality', '--description', '茶叶受潮了\t"结块"\n第二行', '--severity', 'high');
  await run('coupon', 'issue', '2', '--value', '15', '--days', '30');
  const csv = path.join(tempDir(), 'more.csv');
  fs.writeFileSync(csv, 'name,phone,tags\n璟瑄,13912345678,VIP;new;老客户\n');
  await run('import', 'customers', csv);
}, 120_000);

const tables = (stdout: string) => JSON.parse(stdout) as { table: string; source_rows: number; target_rows: number; checksum: string; same: boolean }[];

describe('crm db copy', () => {
  it('moves a book to PostgreSQL and back, every table the same, and the copy answers as the original', async () => {
    const url = await pgDatabase();
    const up = crm(['db', 'copy', shop, url, '--format', 'json'], { env });
    expect(up.code, up.stderr).toBe(0);
    const checks = tables(up.stdout);
    expect(checks.every((c) => c.same && c.source_rows === c.target_rows)).toBe(true);
    const filled = checks.filter((c) => c.source_rows > 0).map((c) => c.table);
    for (const t of ['customers', 'customer_phones', 'customer_tags', 'orders', 'interactions', 'customer_rfm', 'customer_clv', 'tier_changes', 'reminders', 'complaints', 'complaint_events', 'coupons', 'import_runs']) expect(filled).toContain(t);
    expect(up.stderr).toMatch(/^Copied \d+ rows in 25 tables from .* to postgres:\/\/crm_test@127\.0\.0\.1:\d+\/crm_t\w+ in [\d.]+ s; every table the same on both sides\n$/);

    // On the server: the totals the triggers keep, the search index, the id counters.
    const [totals] = await pgQuery<{ bad: number }>(url, 'SELECT count(*)::int AS bad FROM customers c WHERE order_count <> (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) OR order_total <> (SELECT coalesce(sum(amount), 0) FROM orders o WHERE o.customer_id = c.id)');
    expect(totals!.bad).toBe(0);
    const [search] = await pgQuery<{ n: number }>(url, "SELECT count(*)::int AS n FROM customer_search WHERE doc @@ phraseto_tsquery('simple', '璟 瑄')");
    expect(search!.n).toBe(1);
    const [next] = await pgQuery<{ id: number; max: number }>(url, "INSERT INTO customers (name, name_key, created_at, updated_at) VALUES ('x', 'x', 'now', 'now') RETURNING id, (SELECT max(id) FROM customers) AS max");
    expect(Number(next!.id)).toBeGreaterThan(401);
    await pgQuery(url, "DELETE FROM customers WHERE name = 'x'");

    const back = path.join(tempDir(), 'back.db');
    const down = crm(['db', 'copy', url, back, '--format', 'csv'], { env });
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout.split('\r\n')[0] ?? down.stdout.split('\n')[0]).toMatch(/^table,source_rows,target_rows,checksum,same/);
    const upSums = Object.fromEntries(checks.map((c) => [c.table, c.checksum]));
    const downSums = Object.fromEntries(down.stdout.trim().split(/\r?\n/).slice(1).map((l) => l.split(',')).map((f) => [f[0], f[3]]));
    expect(downSums).toEqual(upSums);
    for (const args of [
      ['customer', 'list', '--format', 'csv'],
      ['order', 'list', '--format', 'csv'],
      ['find', '王'],
      ['find', '璟瑄'],
      ['rfm', '--format', 'json'],
      ['stats', '--format', 'json'],
      ['tier', 'history', '--format', 'csv'],
      ['complaint', 'list', '--format', 'json'],
      ['remind', 'list', '--format', 'json'],
      ['coupon', 'list', '--format', 'json'],
      ['import', 'history', '--format', 'json'],
    ]) {
      const a = crm(args, { db: shop, env });
      expect(a.code, a.stderr).toBe(0);
      expect(crm(args, { db: back, env }).stdout, args.join(' ')).toBe(a.stdout);
    }
    // Ids are never handed out twice: the server gave out one more (the row added and removed above).
    const last = Number(next!.id);
    expect(crm(['customer', 'add', '--name', '再来'], { db: back, env }).stdout).toBe(`Added customer #${last + 1} 再来\n`);
    expect(crm(['customer', 'add', '--name', '再来'], { db: shop, env }).stdout).toBe(`Added customer #${last} 再来\n`);
  });

  it('refuses a target that holds a book, an existing file, the same book, a missing source: one line each, nothing changed', async () => {
    const url = await pgDatabase();
    expect(crm(['db', 'copy', shop, url], { env }).code).toBe(0);
    const again = crm(['db', 'copy', shop, url], { env });
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/^crm: postgres:\/\/crm_test@.* already holds a book \(rows in settings, customers, .*\): crm db copy fills an empty one only\n$/)]);
    const existing = tempDb();
    fs.writeFileSync(existing, 'mine');
    const onFile = crm(['db', 'copy', url, existing], { env });
    expect([onFile.code, onFile.stderr]).toEqual([1, `crm: ${existing} exists: crm db copy writes a new file (move it away, or choose another name)\n`]);
    expect(fs.readFileSync(existing, 'utf8')).toBe('mine');
    const same = crm(['db', 'copy', shop, shop], { env });
    expect([same.code, same.stderr]).toEqual([2, `crm: copy from and to the same book: ${shop}\n`]);
    const nowhere = path.join(tempDir(), 'none.db');
    const missing = crm(['db', 'copy', nowhere, path.join(tempDir(), 'x.db')], { env });
    expect([missing.code, missing.stderr]).toEqual([1, `crm: no crm database at ${nowhere}\n`]);
    const bad = crm(['db', 'copy', shop, 'postgres://crm_test@127.0.0.1:1/nothing'], { env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^crm: cannot connect to postgres:\/\/crm_test@127\.0\.0\.1:1\/nothing: .*\n$/);
  });
});

describe('crm db init', () => {
  it('makes a database a crm book once, and leaves a foreign or newer one untouched', async () => {
    const url = await pgDatabase();
    const first = crm(['db', 'init', url], { env });
    expect([first.code, first.stderr]).toEqual([0, `Created a crm book (schema 14) in ${url}\n`]);
    expect(crm(['db', 'init', url], { env }).stderr).toBe(`${url} is already a crm book (schema 14); nothing changed\n`);
    expect(await pgQuery(url, 'SELECT version, application FROM crm_schema')).toEqual([{ version: 14, application: 'crm' }]);
    await pgQuery(url, 'UPDATE crm_schema SET version = 99');
    const newer = crm(['db', 'copy', url, path.join(tempDir(), 'n.db')], { env });
    expect([newer.code, newer.stderr]).toEqual([1, `crm: ${url} was written by a newer crm (schema 99; this crm knows up to 14); it was left untouched\n`]);
    const foreign = await pgDatabase();
    await pgQuery(foreign, 'CREATE TABLE ledger (id int)');
    const refused = crm(['db', 'init', foreign], { env });
    expect([refused.code, refused.stderr]).toEqual([1, `crm: ${foreign} holds tables that are not a crm book; it was left untouched\n`]);
    expect(await pgQuery(foreign, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([{ tablename: 'ledger' }]);
    const notUrl = crm(['db', 'init', 'shop.db'], { env });
    expect([notUrl.code, notUrl.stderr]).toEqual([2, 'crm: shop.db is not a PostgreSQL address: crm db init takes postgres://user:password@host:port/name\n']);
  });

  it('other commands on a server book say what works there so far', async () => {
    const url = await pgDatabase();
    const r = crm(['customer', 'list'], { db: url, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`crm: ${url}: on a PostgreSQL server this crm runs crm db init and crm db copy so far; copy the book to a file to use the other commands (crm db copy ${url} shop.db)\n`);
  });
});
