// Lengths of time as a user types them: the same spellings in every option that takes one, bare
// `m` refused with a hint, calendar months where months are said, one line naming the option.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { crm, crmJson, ROOT, tempDb, tempDir } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

// Now is 2026-11-22 10:00 in Shanghai (the helpers' CRM_NOW).
let db: string;

// Set up in this process (what the tests check runs the built binary).
beforeAll(async () => {
  db = tempDb();
  const at = (now: string, args: string[]) => setUp(args, { db, env: { CRM_NOW: now } });
  // Customers added over the year (customer list --since filters on when they were added).
  await at('2026-01-10T12:00:00+08:00', ['customer', 'add', '--name', '一月', '--phone', '13800000001']);
  await at('2026-05-20T12:00:00+08:00', ['customer', 'add', '--name', '五月', '--phone', '13800000002']);
  await at('2026-05-25T12:00:00+08:00', ['customer', 'add', '--name', '五月底', '--phone', '13800000003']);
  await at('2026-11-22T09:00:00+08:00', ['customer', 'add', '--name', '今天', '--phone', '13800000004']);
  // Orders around 2024-06-30 (a leap year: 12 calendar months back is 366 days), for rfm and clv.
  for (const [who, day] of [
    ['一月', '2023-06-15'],
    ['一月', '2023-07-01'], // in the 12mo window ending 2024-06-30, not in the 365d one
    ['一月', '2024-01-15'],
    ['五月', '2023-07-03'],
    ['五月', '2024-03-01'],
    ['五月底', '2024-06-01'],
  ]) {
    await at('2026-11-22T10:00:00+08:00', ['order', 'add', who!, '--amount', '100', '--date', day!]);
  }
  // Follow-ups this morning: 07:00 and 09:30.
  await at('2026-11-22T10:00:00+08:00', ['log', '一月', '--note', 'early', '--at', '2026-11-22 07:00']);
  await at('2026-11-22T10:00:00+08:00', ['log', '五月', '--note', 'late', '--at', '2026-11-22 09:30']);
});

describe('lengths of time on the command line', () => {
  const names = (args: string[]) => crmJson<{ name: string }[]>(['customer', 'list', ...args], { db }).map((c) => c.name);

  it('--since 6mo is the same as the date six calendar months back, in English and Chinese spellings too', () => {
    const byDate = names(['--since', '2026-05-22']);
    expect(byDate.sort()).toEqual(['五月底', '今天'].sort());
    for (const since of ['6mo', '6 months', '6个月', '６个月', '2q']) expect(names(['--since', since]).sort(), since).toEqual(byDate);
    expect(names(['--since', '2h'])).toEqual(['今天']);
    expect(names(['--since', '1y'])).toHaveLength(4);
  });

  it('--since 6m is refused with the hint, on one line, exit 2, in every command with --since', () => {
    // Filters by time take minutes, so 6m could be either; filters by day suggest months only.
    const byTime = [['customer', 'list'], ['log', 'list']];
    const byDay = [['order', 'list'], ['export', 'orders'], ['tier', 'history']];
    for (const args of [...byTime, ...byDay]) {
      const r = crm([...args, '--since', '6m'], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim(), args.join(' ')).toBe(
        byTime.includes(args) ? 'crm: --since "6m": is that months or minutes? Write 6mo (months) or 6min (minutes).' : 'crm: --since "6m": m alone is not a unit here; write 6mo for months.',
      );
    }
    const zh = crm(['--lang', 'zh', 'customer', 'list', '--since', '6m'], { db });
    expect(zh.stderr).toContain('是月还是分钟');
  });

  it('--since that is neither a length nor a date names the option and the forms it takes', () => {
    const log = crm(['log', 'list', '--since', 'soon'], { db });
    expect(log.code).toBe(2);
    expect(log.stderr.trim()).toBe('crm: --since "soon" is not a length of time or a date: use 30min, 2h, 7d, 12w, 6mo, 1q, 1y (or a date)');
    const order = crm(['order', 'list', '--since', 'soon'], { db });
    expect(order.code).toBe(2);
    expect(order.stderr.trim()).toBe('crm: --since "soon" is not a length of whole days or more or a date: use 7d, 12w, 6mo, 1q, 1y (or a date)');
  });

  it('a wrong date in --since names --since', () => {
    for (const args of [['customer', 'list'], ['order', 'list'], ['log', 'list'], ['tier', 'history']]) {
      const r = crm([...args, '--since', '2026-13-01'], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toBe('crm: --since "2026-13-01" is not a date such as 2026-03-05 or "2026-03-05 14:30"');
    }
  });

  it('filters by day refuse minutes and hours: a day has no time of day to cut at', () => {
    const justAfterMidnight = { CRM_NOW: '2026-11-22T00:10:00+08:00' };
    for (const args of [['order', 'list'], ['export', 'orders'], ['tier', 'history']]) {
      for (const since of ['5min', '30min', '2h', '2 hours']) {
        const r = crm([...args, '--since', since], { db, env: justAfterMidnight });
        expect(r.code, `${args.join(' ')} ${since}`).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr.trim()).toBe(`crm: --since "${since}": this filters by day, and days have no time of day: use 1d, 7d, 12w, 6mo or a date`);
      }
    }
    // Days count back from today's date, whatever the time.
    const days = (since: string, now: string) => crmJson<{ day: string }[]>(['order', 'list', '--since', since], { db, env: { CRM_NOW: now } }).map((o) => o.day);
    expect(days('1d', '2024-06-02T00:10:00+08:00')).toEqual(['2024-06-01']);
    expect(days('1d', '2024-06-02T23:50:00+08:00')).toEqual(['2024-06-01']);
    expect(days('2024-06-01', '2024-06-02T00:10:00+08:00')).toEqual(['2024-06-01']);
  });

  it('hours step the clock: log list --since 2h keeps this morning after 08:00', () => {
    const notes = (since: string) => crmJson<{ note: string }[]>(['log', 'list', '--since', since], { db }).map((l) => l.note);
    expect(notes('2h')).toEqual(['late']);
    expect(notes('2 hours')).toEqual(['late']);
    expect(notes('4小时').sort()).toEqual(['early', 'late']);
    expect(notes('150min')).toEqual(['late']);
  });

  it('rfm --window 12mo is twelve calendar months (366 days back from 2024-06-30), 365d is 365 days', () => {
    const start = (window: string) => /orders after (\d{4}-\d{2}-\d{2})/.exec(crm(['rfm', '--as-of', '2024-06-30', '--window', window], { db }).stderr)?.[1];
    expect(start('12mo')).toBe('2023-06-30');
    expect(start('1y')).toBe('2023-06-30');
    expect(start('12个月')).toBe('2023-06-30');
    expect(start('365d')).toBe('2023-07-01');
    expect(crm(['rfm', '--as-of', '2024-06-30'], { db }).stderr).toContain('orders after 2023-07-01'); // the default is still 365d
    // The order on 2023-07-01 counts in the 12mo window only.
    const orders = (window: string) =>
      crmJson<{ customers: number; avg_orders: number }[]>(['rfm', '--as-of', '2024-06-30', '--window', window], { db }).reduce((n, s) => n + Math.round(s.customers * s.avg_orders), 0);
    expect(orders('12mo')).toBe(5);
    expect(orders('365d')).toBe(4);
  });

  it('clv fit --holdout 6mo holds out six calendar months', async () => {
    const shop = await cdnowShop();
    const calEnd = (holdout: string) =>
      crmJson<{ calibration_end: string; actual: number }>(['clv', 'fit', '--as-of', '1998-06-30', '--holdout', holdout, '--format', 'json'], { db: shop }).calibration_end;
    expect(calEnd('6mo')).toBe('1997-12-30');
    expect(calEnd('2q')).toBe('1997-12-30');
    expect(calEnd('6个月')).toBe('1997-12-30');
    expect(calEnd('180d')).toBe('1998-01-01');
  });

  it('clv --horizon 1y is 12mo and 4q', () => {
    const clv = (horizon: string) => crmJson<unknown[]>(['clv', '--as-of', '2024-06-30', '--horizon', horizon], { db });
    const year = clv('1y');
    expect(year.length).toBeGreaterThan(0);
    expect(clv('12mo')).toEqual(year);
    expect(clv('4q')).toEqual(year);
    expect(clv('6mo')).not.toEqual(year);
  });

  it('stats --period takes the unit names in Chinese too', () => {
    const quarter = crmJson<unknown[]>(['stats', '--period', 'quarter'], { db });
    expect(crmJson<unknown[]>(['stats', '--period', '季度'], { db })).toEqual(quarter);
    expect(crm(['stats', '--period', '年'], { db }).stderr).toContain('This period: 2026-01-01 to 2026-11-22');
    const bad = crm(['stats', '--period', 'fortnight'], { db });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--period "fortnight": use month|quarter|year (or 月, 季度, 年)');
  });

  it('tier --months takes a count of months (full-width digits too), or 12mo / 1y, and one line for anything else', () => {
    const abc = (months: string) => crm(['tier', 'abc', '--as-of', '2024-06-30', '--months', months], { db }).stderr;
    expect(abc('1y')).toContain('over 12 months (orders after 2023-06-30)');
    const twelve = abc('12');
    expect(abc('12mo')).toBe(twelve);
    expect(abc('１２')).toBe(twelve);
    for (const months of ['0', '6w', '30d', 'soon', '1.5', '12m', '121', '11y']) {
      const r = crm(['tier', 'abc', '--months', months], { db });
      expect(r.code, months).toBe(2);
      expect(r.stderr.trim(), months).toBe(`crm: --months "${months}": use a whole number of months from 1 to 120 (12, 12mo, 4q or 1y)`);
    }
  });

  it('tier set --months 1y keeps 12 months, and tier history --since a length keeps the moves since then', async () => {
    const shop = tempDb();
    const prepare = (args: string[], now = '2026-11-22T10:00:00+08:00') => setUp(args, { db: shop, env: { CRM_NOW: now } });
    const run = (args: string[], now = '2026-11-22T10:00:00+08:00') => {
      const r = crm(args, { db: shop, env: { CRM_NOW: now } });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    };
    await prepare(['customer', 'add', '--name', '甲', '--phone', '13800000011']);
    await prepare(['customer', 'add', '--name', '乙', '--phone', '13800000012']);
    await prepare(['order', 'add', '甲', '--amount', '500', '--date', '2026-01-15']);
    await prepare(['order', 'add', '乙', '--amount', '500', '--date', '2026-10-01']);
    run(['tier', 'set', '普通=0', '银卡=300', '--months', '1y']);
    expect(crmJson<{ months: number }[]>(['tier', 'rules'], { db: shop }).map((r) => r.months)).toEqual([12, 12]);
    run(['tier', 'set', '--months', '１２']);
    expect(crmJson<{ months: number }[]>(['tier', 'rules'], { db: shop }).map((r) => r.months)).toEqual([12, 12]);
    await prepare(['tier', 'set', '--months', '3mo']);
    await prepare(['tier', 'apply'], '2026-02-01T10:00:00+08:00'); // 甲 up to 银卡
    await prepare(['tier', 'apply'], '2026-10-02T10:00:00+08:00'); // 甲 down (January is over 3 months back), 乙 up
    const since = (raw: string) =>
      crmJson<{ day: string; customer: string }[]>(['tier', 'history', '--since', raw], { db: shop }).map((m) => `${m.day} ${m.customer}`).sort();
    const all = since('1y');
    expect(all.filter((m) => m.startsWith('2026-02-01'))).not.toEqual([]);
    const threeMonths = since('3mo');
    expect(threeMonths).toEqual(all.filter((m) => m >= '2026-08-22'));
    expect(threeMonths).not.toEqual(all);
    expect(threeMonths.length).toBeGreaterThan(0);
    expect(since('1d')).toEqual([]);
    expect(since('8w')).toEqual(since('2026-09-27'));
  });

  it('a bad length names its option, exit 2', () => {
    const cases: [string[], string][] = [
      [['rfm', '--window', '12m'], 'crm: --window "12m": m alone is not a unit here; write 12mo for months.'],
      [['rfm', '--window', 'forever'], 'crm: --window "forever" is not a length of whole days or more: use 7d, 12w, 6mo, 1q, 1y'],
      [['rfm', '--window', '48h'], 'crm: --window "48h" is not a length of whole days or more: use 7d, 12w, 6mo, 1q, 1y'],
      [['clv', 'fit', '--holdout', '0w'], 'crm: --holdout "0w" is not a length of whole days or more: use 7d, 12w, 6mo, 1q, 1y'],
      [['clv', 'fit', '--holdout', '6m'], 'crm: --holdout "6m": m alone is not a unit here; write 6mo for months.'],
      [['clv', '--horizon', '26w'], 'crm: --horizon "26w": use months, quarters or years, such as 12mo, 4q or 2y'],
      [['clv', '--horizon', '7d'], 'crm: --horizon "7d": use months, quarters or years, such as 12mo, 4q or 2y'],
      [['clv', '--horizon', 'soon'], 'crm: --horizon "soon": use months, quarters or years, such as 12mo, 4q or 2y'],
      [['clv', '--horizon', '12m'], 'crm: --horizon "12m": m alone is not a unit here; write 12mo for months.'],
      [['clv', '--horizon', '200y'], 'crm: --horizon "200y": at most 100 years'],
    ];
    for (const [args, line] of cases) {
      const r = crm(args, { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim(), args.join(' ')).toBe(line);
    }
  });
});

/**
 * The CDNOW event log (2,357 customers, 6,919 orders) through `crm import orders`, as
 * tests/e2e/clv.test.ts builds it: enough repeat buyers for clv fit. Dollars, zone UTC.
 */
async function cdnowShop(): Promise<string> {
  const shop = tempDb();
  const lines = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'cdnow', 'CDNOW_sample.txt'), 'utf8').trim().split(/\r?\n/);
  const csv = ['member_no,name,date,amount'];
  for (const line of lines) {
    const [, id, day, , dollars] = line.trim().split(/\s+/);
    csv.push(`C${id},Customer ${id},${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)},${dollars}`);
  }
  const file = path.join(tempDir(), 'cdnow.csv');
  fs.writeFileSync(file, `${csv.join('\n')}\n`);
  const env = { CRM_NOW: '1998-07-01' };
  for (const args of [['config', 'set', 'currency', 'USD'], ['config', 'set', 'timezone', 'UTC'], ['import', 'orders', file, '--create-customers']]) {
    await setUp(args, { db: shop, env });
  }
  return shop;
}
