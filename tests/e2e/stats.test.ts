// crm stats and lifecycle stages (customer list --stage, customer show) on a shop worked out by hand.
import fs from 'node:fs';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, crmJson, tempDb } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

const env = { CRM_NOW: '2026-11-22' };

/**
 * 甲 new (first order 2026-10-10, two more in November), 乙 new (one order in October), 丙 prospect,
 * 丁 churned (one order 2025-10-01: churned on 2026-10-02), 戊 won back (2024, then 2026-11-10).
 * Set up once, in this process (what the tests check runs the built binary).
 */
async function shop(): Promise<string> {
  const db = tempDb();
  for (const n of ['甲', '乙', '丙', '丁', '戊']) await setUp(['customer', 'add', '--name', n], { db, env });
  const order = (who: string, amount: string, date: string) => setUp(['order', 'add', who, '--amount', amount, '--date', date], { db, env });
  await order('甲', '200', '2026-10-10');
  await order('甲', '100', '2026-11-05');
  await order('甲', '300', '2026-11-15');
  await order('乙', '500', '2026-10-05');
  await order('丁', '50', '2025-10-01');
  await order('戊', '70', '2024-01-01');
  await order('戊', '80', '2026-11-10');
  return db;
}

/** The shop, built once: read by most tests, copied by the one that changes it (no process has it open). */
let shared = '';
beforeAll(async () => {
  shared = await shop();
});
function copyOfShop(): string {
  const db = tempDb();
  for (const ext of ['', '-wal']) if (fs.existsSync(shared + ext)) fs.copyFileSync(shared + ext, db + ext);
  return db;
}

interface Row {
  metric: string;
  current: number | string | null;
  previous: number | string | null;
  change: number | null;
}

describe('crm stats', () => {
  it('compares this month so far with the same days of last month', () => {
    const db = shared;
    const rows = crmJson<Row[]>(['stats'], { db, env });
    const get = (m: string) => rows.find((r) => r.metric === m)!;
    const pair = (m: string) => [get(m).current, get(m).previous];
    // November 1-22 against October 1-22.
    expect(pair('customers')).toEqual([5, 4]); // 丙 was added on the 22nd with no order: not there in October
    expect(pair('new_customers')).toEqual([0, 2]); // 甲 and 乙 first ordered in October
    expect(pair('active_customers')).toEqual([2, 2]);
    expect(pair('orders')).toEqual([3, 2]);
    expect(pair('revenue')).toEqual(['480.00', '700.00']);
    expect(pair('average_order_value')).toEqual(['160.00', '350.00']);
    expect(pair('repurchase_rate')).toEqual([0.5, 0]); // 甲 twice in November
    // October: 丁 (not churned on 30 September, 364 days) churned on 2 October: 1 of 1. November: none of 甲, 乙.
    expect(pair('churn_rate')).toEqual([0, 1]);
    expect(get('revenue').change).toBeCloseTo(-0.3143, 3);
    expect(get('churn_rate').change).toBe(-1);
    const stages = rows.filter((r) => r.metric.startsWith('stage:')).map((r) => [r.metric.slice(6), r.current, r.previous]);
    expect(stages).toEqual([
      ['prospect', 1, 0],
      ['new', 2, 2],
      ['active', 0, 0],
      ['atRisk', 0, 0],
      ['churned', 1, 2],
      ['wonBack', 1, 0],
    ]);
  });

  it('on the first day of a period compares the last complete period, and says so', () => {
    const first = crm(['stats'], { db: shared, env: { CRM_NOW: '2026-12-01' } });
    expect(first.stderr).toContain('This period: 2026-11-01 to 2026-11-30; previous: 2026-10-01 to 2026-10-31');
    expect(first.stderr).toContain('Today (2026-12-01) is the first day of a month: shown is the last complete month; --as-of 2026-12-01 for today alone.');
    const year = crm(['stats', '--period', 'year', '--lang', 'zh'], { db: shared, env: { CRM_NOW: '2027-01-01' } });
    expect(year.stderr).toContain('本期：2026-01-01 至 2026-12-31；上期：2025-01-01 至 2025-12-31');
    expect(year.stderr).toContain('今天（2027-01-01）是本年第一天');
    const asked = crm(['stats', '--as-of', '2026-12-01'], { db: shared, env: { CRM_NOW: '2026-12-01' } });
    expect(asked.stderr).toContain('This period: 2026-12-01 to 2026-12-01');
    expect(asked.stderr).not.toContain('first day');
  });

  it('prints a table with the periods and the definitions, in Chinese too', () => {
    const db = shared;
    const r = crm(['stats', '--period', 'year'], { db, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Revenue\s+│\s+¥1,180\.00 │/);
    expect(r.stderr).toContain('This period: 2026-01-01 to 2026-11-22; previous: 2025-01-01 to 2025-11-22');
    expect(r.stderr).toContain('churned = no order for over 365 days');
    const zh = crm(['--lang', 'zh', 'stats'], { db, env });
    expect(zh.stdout).toContain('复购率');
    expect(zh.stdout).toContain('客单价');
    expect(crm(['stats', '--period', 'week'], { db, env }).code).toBe(2);
  });

  it('writes CSV and JSON from the same columns: money as decimal strings, shares as fractions; no NDJSON', () => {
    const db = shared;
    const json = crmJson<Row[]>(['stats'], { db, env });
    const csv = crm(['stats', '--format', 'csv'], { db, env });
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toBe('');
    const rows = Papa.parse<Record<string, string>>(csv.stdout, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.metric)).toEqual(json.map((r) => r.metric));
    expect(rows.find((r) => r.metric === 'revenue')).toMatchObject({ current: '480.00', previous: '700.00', change: '-0.3143' });
    expect(rows.find((r) => r.metric === 'repurchase_rate')).toMatchObject({ current: '0.5', previous: '0' });
    // The table shows the same figures for people.
    const table = crm(['stats'], { db, env }).stdout;
    expect(table).toMatch(/Revenue\s+│\s+¥480\.00 │\s+¥700\.00 │\s+−31\.4% │/);
    expect(table).toMatch(/Repurchase rate\s+│\s+50\.0% │\s+0\.0% │\s+\+50\.0 pts │/);
    const refused = crm(['stats', '--format', 'ndjson'], { db, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('table|csv|json');
  });

  it('uses the thresholds the shop sets', () => {
    const db = copyOfShop();
    expect(crm(['config', 'set', 'stage_new_days', '30'], { db, env }).code).toBe(0);
    // 甲 (first order 43 days ago) and 乙 (48) are no longer new.
    const rows = crmJson<Row[]>(['stats'], { db, env });
    expect(rows.find((r) => r.metric === 'stage:new')!.current).toBe(0);
    expect(crm(['config', 'set', 'stage_churn_days', 'soon'], { db, env }).code).toBe(2);
  });
});

describe('lifecycle stages on customers', () => {
  it('customer list --stage lists the customers at a stage and prints the rules', () => {
    const db = shared;
    const names = (stage: string) => crmJson<{ name: string }[]>(['customer', 'list', '--stage', stage], { db, env }).map((c) => c.name);
    expect(names('new')).toEqual(['甲', '乙']);
    expect(names('won-back')).toEqual(['戊']);
    expect(names('已流失')).toEqual(['丁']);
    expect(names('prospect')).toEqual(['丙']);
    expect(names('at-risk')).toEqual([]);
    const table = crm(['customer', 'list', '--stage', 'churned'], { db, env });
    expect(table.stderr).toContain('Stages as of 2026-11-22');
    expect(crm(['customer', 'list', '--stage', 'sleepy'], { db, env }).code).toBe(2);
  });

  it('customer show gives the stage and the expected next purchase from their own intervals', () => {
    const db = shared;
    // 甲: 10-10, 11-05, 11-15: gaps 26 and 10, usual interval 18 -> next 2026-12-03.
    const show = crm(['customer', 'show', '甲'], { db, env });
    expect(show.stdout).toMatch(/Stage\s+New/);
    expect(show.stdout).toContain('2026-12-03 (in 11 days, going by every 18 days)');
    const json = crmJson<{ lifecycle: { stage: string; usual_interval_days: number; next_purchase: string } }>(['customer', 'show', '甲'], { db, env });
    expect(json.lifecycle).toEqual({ stage: 'new', usual_interval_days: 18, next_purchase: '2026-12-03' });
    // 戊: 2024-01-01 and 2026-11-10: next 2029-09-19 by its one (long) interval; won back.
    expect(crm(['customer', 'show', '戊'], { db, env }).stdout).toMatch(/Stage\s+Won back/);
    expect(crm(['customer', 'show', '乙'], { db, env }).stdout).toContain('not known yet (one purchase day)');
    expect(crm(['customer', 'show', '丁'], { db, env }).stdout).toContain('not expected: churned (last order 2025-10-01)');
    // A month later with no order, 甲 is overdue.
    expect(crm(['customer', 'show', '甲'], { db, env: { CRM_NOW: '2027-01-10' } }).stdout).toContain('2026-12-03 (38 days overdue, going by every 18 days)');
  });
});
