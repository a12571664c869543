// crm clv on the CDNOW event log imported through crm's own order import, checked against the
// BG/NBD and Gamma-Gamma papers; the per-customer listing, --save and what reads it; the fallback.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, crmJson, ROOT, tempDb, tempDir } from '../helpers/crm.js';

const ELOG = path.join(ROOT, 'tests', 'fixtures', 'cdnow', 'CDNOW_sample.txt');

/**
 * The CDNOW shop: the event log (2,357 customers, 6,919 orders) through `crm import orders`. The
 * log is whitespace-separated, without a header, with YYYYMMDD dates; it is turned into the CSV a
 * spreadsheet would give (member number, name, date, amount) here rather than teaching the
 * importer a format no shop's spreadsheet has. Dollars, in a shop whose zone is UTC.
 */
function cdnowShop(): string {
  const db = tempDb();
  const lines = fs.readFileSync(ELOG, 'utf8').trim().split(/\r?\n/);
  const csv = ['member_no,name,date,amount'];
  for (const line of lines) {
    const [, id, day, , dollars] = line.trim().split(/\s+/);
    csv.push(`C${id},Customer ${id},${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)},${dollars}`);
  }
  const file = path.join(tempDir(), 'cdnow.csv');
  fs.writeFileSync(file, `${csv.join('\n')}\n`);
  const env = { CRM_NOW: '1998-07-01' };
  expect(crm(['config', 'set', 'currency', 'USD'], { db, env }).code).toBe(0);
  expect(crm(['config', 'set', 'timezone', 'UTC'], { db, env }).code).toBe(0);
  const r = crm(['import', 'orders', file, '--create-customers'], { db, env });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).toContain('inserted 6,919');
  return db;
}

interface FitJson {
  method: string;
  repeat_buyers: number;
  bgnbd: { params: { r: number; alpha: number; a: number; b: number }; log_likelihood: number; customers: number; problem: string | null };
  gamma_gamma: { params: { p: number; q: number; v: number }; customers: number; problem: string | null };
}

describe('crm clv on CDNOW', () => {
  let db = '';
  beforeAll(() => {
    db = cdnowShop();
  });

  it('fits the published BG/NBD and Gamma-Gamma parameters in weeks, calibration to 1997-09-30', () => {
    const fit = crmJson<FitJson>(['clv', 'fit', '--as-of', '1997-09-30', '--unit', 'week'], { db });
    expect(fit.method).toBe('models');
    expect(fit.bgnbd.customers).toBe(2357);
    const { r, alpha, a, b } = fit.bgnbd.params;
    expect([r.toFixed(3), alpha.toFixed(3), a.toFixed(3), b.toFixed(3)]).toEqual(['0.243', '4.414', '0.793', '2.426']);
    expect(fit.bgnbd.log_likelihood.toFixed(1)).toBe('-9582.4');
    expect(fit.repeat_buyers).toBe(946);
    const { p, q, v } = fit.gamma_gamma.params;
    expect([p.toFixed(2), q.toFixed(2), v.toFixed(2)]).toEqual(['6.25', '3.74', '15.44']);
  });

  it('prints the parameters for people, with the log-likelihood and the fit time', () => {
    const r = crm(['clv', 'fit', '--as-of', '1997-09-30'], { db });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/BG\/NBD\s+│ alpha\s+│\s+4\.413\d │/);
    expect(r.stderr).toMatch(/on 2357 customers \(946 repeat buyers\) in \d+ ms/);
    expect(r.stderr).toContain('BG/NBD: log-likelihood -9582.4');
  });

  it('--holdout 39w: 1,882 actual repeat purchase days against the prediction, by calibration purchases', () => {
    const h = crmJson<{ calibration_end: string; actual: number; predicted: number; by_calibration_purchases: { x: number; or_more: boolean; customers: number; actual: number; predicted: number }[] }>(
      ['clv', 'fit', '--as-of', '1998-06-30', '--holdout', '39w'],
      { db },
    );
    expect(h.calibration_end).toBe('1997-09-30');
    expect(h.actual).toBe(1882);
    const zero = h.by_calibration_purchases[0]!;
    expect([zero.x, zero.customers, Math.round(zero.actual * zero.customers)]).toEqual([0, 1411, 334]);
    // The paper's figure 4: customers with no repeat purchase make 0.24 in the holdout, the model says 0.23.
    expect(zero.predicted).toBeCloseTo(0.225, 2);
    expect(h.by_calibration_purchases.at(-1)).toMatchObject({ x: 7, or_more: true });
    // The sum of every customer's conditional expectation (an under-prediction, as in the paper's figure 4).
    expect(h.predicted).toBeCloseTo(1653.4, 0);
    const table = crm(['clv', 'fit', '--as-of', '1998-06-30', '--holdout', '39w'], { db });
    expect(table.stdout).toContain('█ actual  ░ predicted');
    expect(table.stderr).toContain('actual 1882, predicted');
  });

  it('lists customers with P(alive), expected purchases and CLV, saves them, and customer list and show read them', () => {
    const env = { CRM_NOW: '1997-09-30' };
    const rows = crmJson<{ id: number; x: number; p_alive: number; expected_purchases: number; clv: string; value_class: string }[]>(['clv', '--save'], { db, env });
    expect(rows).toHaveLength(2357);
    // Highest CLV first; x = 0 customers are certainly alive.
    for (let i = 1; i < rows.length; i++) expect(Number(rows[i - 1]!.clv)).toBeGreaterThanOrEqual(Number(rows[i]!.clv));
    expect(rows.filter((c) => c.x === 0).every((c) => c.p_alive === 1)).toBe(true);
    expect(rows.filter((c) => c.value_class === 'mostValuable')).toHaveLength(Math.floor(2357 * 0.2));
    const top = crmJson<{ id: number }[]>(['customer', 'list', '--sort', 'clv', '--limit', '3'], { db, env });
    expect(top.map((c) => c.id)).toEqual(rows.slice(0, 3).map((c) => c.id));
    const valuable = crmJson<{ id: number }[]>(['customer', 'list', '--value-class', '贵宾型'], { db, env });
    expect(valuable).toHaveLength(471);
    const show = crm(['customer', 'show', String(rows[0]!.id)], { db, env });
    expect(show.stdout).toMatch(/Lifetime value\s+\$\d+\.\d\d over 12 months, Most valuable; P\(alive\) \d+\.\d%/);
    // Customer 509: x = 18 in T = 35.86 weeks; if alive, the next purchase in (4.414 + 35.86) / 17.243 weeks = 16 days.
    expect(rows[0]!.id).toBe(509);
    expect(show.stdout).toMatch(/Next \(model\)\s+around 1997-10-16 if still a customer/);
    const lost = crmJson<{ id: number }[]>(['customer', 'list', '--sort', 'alive', '--limit', '1'], { db, env });
    const leastAlive = rows.reduce((m, c) => (c.p_alive < m.p_alive ? c : m));
    expect(lost[0]!.id).toBe(leastAlive.id);
    // NDJSON, streamed: a line a customer, each the JSON listing's element.
    const nd = crm(['clv', '--format', 'ndjson'], { db, env });
    expect(nd.code, nd.stderr).toBe(0);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(rows);
    const table = crm(['clv', '--limit', '5'], { db, env });
    expect(table.stdout).toContain('Most likely lost');
    expect(table.stdout).toMatch(/the top 10% of customers hold \d+\.\d% of it/);
  });
});

describe('crm clv and merges', () => {
  it('an undo gives back saved values only if no save has replaced them since', () => {
    const db = cdnowShop();
    const env = { CRM_NOW: '1997-09-30' };
    const saved = (id: number) => crmJson<{ clv: unknown }>(['customer', 'show', String(id)], { db, env }).clv;
    expect(crm(['clv', '--save'], { db, env }).code).toBe(0);
    const before = saved(2);
    expect(before).not.toBeNull();
    // Merged and given back before any new save: the values come back.
    expect(crm(['merge', '1', '2', '--yes'], { db, env }).code).toBe(0);
    expect(crm(['dedupe', 'undo', '1'], { db, env }).code).toBe(0);
    expect(saved(2)).toEqual(before);
    // Merged, saved again (without #2), then given back: #2 has no values, rather than the old save's.
    expect(crm(['merge', '1', '2', '--yes'], { db, env }).code).toBe(0);
    expect(crm(['clv', '--save', '--horizon', '1mo'], { db, env }).code).toBe(0);
    expect(crm(['dedupe', 'undo', '2'], { db, env }).code).toBe(0);
    expect(saved(2)).toBeNull();
  });
});

describe('crm clv on a small shop', () => {
  it('too few repeat buyers: the historical estimate, labelled as such everywhere', () => {
    const db = tempDb();
    const env = { CRM_NOW: '2026-11-22' };
    for (const n of ['甲', '乙', '丙']) expect(crm(['customer', 'add', '--name', n], { db, env }).code).toBe(0);
    for (const [who, d] of [['甲', '2026-01-10'], ['甲', '2026-07-10'], ['乙', '2026-05-01']]) expect(crm(['order', 'add', who!, '--amount', '100', '--date', d!], { db, env }).code).toBe(0);
    const fit = crm(['clv', 'fit'], { db, env });
    expect(fit.code).toBe(0);
    expect(fit.stderr).toContain('Only 1 repeat buyers (at least 30 are needed to fit)');
    const list = crm(['clv'], { db, env });
    expect(list.stderr).toContain('HISTORICAL ESTIMATE');
    const rows = crmJson<{ name: string; p_alive: number | null; clv: string }[]>(['clv'], { db, env });
    expect(rows.map((r) => r.name)).toEqual(['甲', '乙']); // 丙 has no orders: no CLV
    expect(rows.every((r) => r.p_alive === null)).toBe(true);
    // 甲: 2 purchase days in under a year (counted as a year), ¥100 a purchase day; 12 months at 1% a month, margin 0.3.
    let factor = 0;
    for (let k = 1; k <= 12; k++) factor += 1 / 1.01 ** k;
    expect(Number(rows[0]!.clv)).toBeCloseTo((2 / 12) * factor * 100 * 0.3, 1);
    // Machine output says which method made each row.
    const csv = crm(['clv', '--format', 'csv'], { db, env });
    expect(csv.stdout.split('\n')[0]).toMatch(/,method$/);
    expect(csv.stdout.split('\n')[1]).toMatch(/,historical$/);
    expect(csv.stderr).toContain('HISTORICAL ESTIMATE');
    // Fewer than ten customers: no tenths to chart, and still one most valuable customer.
    const table = crm(['clv'], { db, env });
    expect(table.stdout).toContain('Total expected value:');
    expect(table.stdout).not.toContain('tenth of customers');
    expect(rows.length).toBe(2);
    expect(crmJson<{ value_class: string }[]>(['clv'], { db, env })[0]!.value_class).toBe('mostValuable');
    // Money as decimal strings in CSV and JSON, for people in the table.
    expect(csv.stdout.split('\n')[0]).toBe('id,name,x,t_x,T,average_order,p_alive,expected_purchases,expected_spend,clv,value_class,method');
    expect(csv.stdout.split('\n')[1]).toMatch(/^1,甲,1,\d+\.?\d*,\d+\.?\d*,100\.00,,[\d.]+,[\d.]+,\d+\.\d\d,mostValuable,historical$/);
    expect(table.stdout).toContain('¥100.00');
    const nd = crm(['clv', '--format', 'ndjson'], { db, env });
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(rows);
    // The fit as one JSON record; a format the fit does not offer is refused in one line.
    const fitJson = crmJson<{ method: string; reason: string; customers: number; bgnbd: unknown }>(['clv', 'fit'], { db, env });
    expect(fitJson).toMatchObject({ method: 'historical', reason: 'tooFewRepeatBuyers', customers: 2 });
    const refused = crm(['clv', 'fit', '--format', 'ndjson'], { db, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('table|csv|json');
  });

  it('refuses bad options with exit 2, and a shop without orders with exit 1', () => {
    const db = tempDb();
    crm(['customer', 'add', '--name', '张伟'], { db });
    for (const args of [['--unit', 'month'], ['--horizon', '5x'], ['--margin', '2'], ['--sort', 'name'], ['--segment', 'vip'], ['--discount', '-1']]) {
      const r = crm(['clv', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
    }
    expect(crm(['clv', 'fit', '--holdout', '0w'], { db }).code).toBe(2);
    expect(crm(['clv', '--horizon', '26w'], { db }).stderr).toContain('use months, quarters or years, such as 12mo, 4q or 2y');
    const none = crm(['clv', 'fit'], { db });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no orders on or before');
  });
});
