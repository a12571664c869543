// crm rfm on a small shop whose scores can be worked out by hand.
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';

const NOW = '2026-11-22';

/** Five customers from best to worst, and a prospect without orders. */
function shop(): string {
  const db = tempDb();
  const env = { CRM_NOW: NOW };
  const add = (name: string) => expect(crm(['customer', 'add', '--name', name], { db, env }).code).toBe(0);
  const order = (who: string, amount: string, date: string) => expect(crm(['order', 'add', who, '--amount', amount, '--date', date], { db, env }).code).toBe(0);
  for (const n of ['甲', '乙', '丙', '丁', '戊', '己']) add(n);
  for (const d of ['2026-11-19', '2026-10-01', '2026-08-01', '2026-06-01']) order('甲', '300', d); // 4 orders, ¥1,200, 3 days ago
  for (const d of ['2026-11-12', '2026-07-01', '2026-03-01']) order('乙', '200', d); // 3 orders, ¥600, 10 days
  for (const d of ['2026-10-13', '2026-05-01']) order('丙', '150', d); // 2 orders, ¥300, 40 days
  order('丁', '100', '2026-05-06'); // 1 order, 200 days
  order('戊', '50', '2024-10-18'); // 765 days: nothing in the window
  return db;
}

interface Summary {
  segment: string;
  customers: number;
  share: number;
  revenue_share: number;
  avg_orders: number;
}

describe('crm rfm', () => {
  // One shop for every test here: a save changes what customer list reads, never what rfm computes.
  let db = '';
  beforeAll(() => {
    db = shop();
  });

  it('scores and segments every customer with orders, and reports prospects', () => {
    const env = { CRM_NOW: NOW };
    const summary = crmJson<Summary[]>(['rfm', '--format', 'json'], { db, env });
    expect(summary.map((s) => [s.segment, s.customers])).toEqual([
      ['champions', 1],
      ['loyal', 1],
      ['needAttention', 1],
      ['aboutToSleep', 1],
      ['lost', 1],
    ]);
    expect(summary[0]!.revenue_share).toBeCloseTo(1200 / 2200, 4); // 戊's order is outside the year
    const table = crm(['rfm'], { db, env });
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('Champions');
    expect(table.stdout).toMatch(/Champions\s+█+ 20\.0%/); // the bar chart
    expect(table.stderr).toContain('Prospects (no order yet): 1');
    expect(crm(['--lang', 'zh', 'rfm', '--scheme', 'cn8'], { db, env }).stdout).toContain('重要价值客户');
  });

  it('lists the customers of a segment, by key or by name, and saves the scores for customer list', () => {
    const env = { CRM_NOW: NOW };
    const champions = crmJson<{ name: string; r: number; f: number; m: number; orders: number; spend: string }[]>(['rfm', '--segment', 'Champions', '--format', 'json'], { db, env });
    expect(champions).toEqual([expect.objectContaining({ name: '甲', r: 5, f: 5, m: 5, orders: 4, spend: '1200.00' })]);
    expect(crmJson<{ name: string }[]>(['rfm', '--segment', 'prospect', '--format', 'json'], { db, env }).map((c) => c.name)).toEqual(['己']);
    const saved = crm(['rfm', '--scheme', 'cn8', '--save'], { db, env });
    expect(saved.stderr).toContain('Saved the scores and segments of 6 customers (as of 2026-11-22)');
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--segment', '重要价值客户'], { db, env }).map((c) => c.name)).toEqual(['甲', '乙']);
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--segment', 'prospect'], { db, env }).map((c) => c.name)).toEqual(['己']);
    // The profile shows what was saved, and when for.
    expect(crm(['customer', 'show', '甲'], { db, env }).stdout).toMatch(/RFM\s+Important value \(R5 F5 M5\), as of 2026-11-22/);
    expect(crmJson<{ rfm: unknown }>(['customer', 'show', '己'], { db, env }).rfm).toEqual({ r: null, f: null, m: null, segment: 'prospect', scheme: 'cn8', as_of: '2026-11-22' });
    // A later save replaces the earlier one whole.
    expect(crm(['rfm', '--save'], { db, env }).code).toBe(0);
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--segment', '重要价值客户'], { db, env })).toEqual([]);
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--segment', 'champions'], { db, env }).map((c) => c.name)).toEqual(['甲']);
  });

  it('computes as of another day, over another window', () => {
    const env = { CRM_NOW: NOW };
    // As of 2026-06-30 with a 90-day window (orders after 2026-04-01): 甲's June order, 丙's and 丁's
    // May orders; 乙's are older. Days since the last order: 29, 121, 60, 55 and 620 (戊).
    const summary = crmJson<(Summary & { avg_days_since_order: number })[]>(['rfm', '--as-of', '2026-06-30', '--window', '90d', '--format', 'json'], { db, env });
    const total = (f: (s: (typeof summary)[number]) => number) => Math.round(summary.reduce((n, s) => n + s.customers * f(s), 0));
    expect(total(() => 1)).toBe(5);
    expect(total((s) => s.avg_orders)).toBe(3);
    expect(total((s) => s.avg_days_since_order)).toBe(29 + 121 + 60 + 55 + 620);
    // The whole year to today, for comparison: ten orders.
    expect(Math.round(crmJson<Summary[]>(['rfm', '--format', 'json'], { db, env }).reduce((n, s) => n + s.customers * s.avg_orders, 0))).toBe(10);
    const prospects = crmJson<{ name: string }[]>(['rfm', '--as-of', '2026-06-30', '--segment', 'prospect', '--format', 'json'], { db, env });
    expect(prospects.map((c) => c.name)).toEqual(['己']);
  });

  it('refuses a bad scheme, window, segment or day with exit 2', () => {
    for (const args of [['--scheme', 'abc'], ['--window', 'forever'], ['--segment', 'vip'], ['--as-of', '2026-13-45']]) {
      const r = crm(['rfm', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^crm: /);
    }
  });

  it('writes every format from one definition: money as decimal strings, NDJSON lines equal to the JSON elements', () => {
    const env = { CRM_NOW: NOW };
    const summary = crmJson<{ segment: string; avg_spend: string }[]>(['rfm'], { db, env });
    expect(summary.find((s) => s.segment === 'champions')!.avg_spend).toBe('1200.00');
    const csv = crm(['rfm', '--format', 'csv'], { db, env });
    expect(csv.code, csv.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(csv.stdout, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => [r.segment, r.avg_spend])).toContainEqual(['champions', '1200.00']);
    expect(csv.stderr).toBe('');
    for (const args of [['rfm'], ['rfm', '--segment', 'champions'], ['rfm', '--segment', 'lost']]) {
      const json = crmJson<unknown[]>(args, { db, env });
      const nd = crm([...args, '--format', 'ndjson'], { db, env });
      expect(nd.code, nd.stderr).toBe(0);
      expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(json);
    }
    const members = Papa.parse<Record<string, string>>(crm(['rfm', '--segment', 'champions', '--format', 'csv'], { db, env }).stdout, { header: true, skipEmptyLines: true }).data;
    expect(members).toMatchObject([{ name: '甲', spend: '1200.00' }]);
    // The table shows money for people.
    expect(crm(['rfm', '--segment', 'champions'], { db, env }).stdout).toContain('¥1,200.00');
    const refused = crm(['rfm', '--format', 'xml'], { db, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('table|csv|json|ndjson');
  });
});
