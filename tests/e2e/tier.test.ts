// crm tier: levels set by the owner, applied with every move recorded, and ABC classes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, crm, crmJson, tempDb } from '../helpers/crm.js';
import { setUp } from '../helpers/in-process.js';

interface Move {
  id: number;
  name: string;
  from: string | null;
  to: string | null;
  direction: string;
  spend: string;
}

/** Four customers: 甲 ¥6,000 this year, 乙 ¥1,200, 丙 ¥300, 丁 no orders. Set up once, in this process (what the tests check runs the built binary). */
async function build(): Promise<string> {
  const db = tempDb();
  const env = { CRM_NOW: '2026-11-22' };
  for (const n of ['甲', '乙', '丙', '丁']) await setUp(['customer', 'add', '--name', n], { db, env });
  const order = (who: string, amount: string, date: string) => setUp(['order', 'add', who, '--amount', amount, '--date', date], { db, env });
  await order('甲', '4000', '2026-03-01');
  await order('甲', '2000', '2026-10-01');
  await order('乙', '1200', '2026-01-10');
  await order('丙', '300', '2026-11-01');
  await setUp(['tier', 'set', '普通=0', '银卡=1000', '金卡=5000', '钻石=20000'], { db, env });
  return db;
}

/** The shop, built once; each test changes its own copy (no process has the original open). */
let shared = '';
beforeAll(async () => {
  shared = await build();
});
function shop(): string {
  const db = tempDb();
  for (const ext of ['', '-wal']) if (fs.existsSync(shared + ext)) fs.copyFileSync(shared + ext, db + ext);
  return db;
}

const levels = (db: string, env: Record<string, string>) =>
  Object.fromEntries(crmJson<{ name: string; tier: string | null }[]>(['customer', 'list'], { db, env }).map((c) => [c.name, c.tier]));

describe('crm tier', () => {
  it('shows the ladder, and a dry run changes nothing', () => {
    const db = shop();
    const rules = crmJson<{ level: string; min_spend: string; months: number }[]>(['tier', 'rules'], { db });
    expect(rules.map((r) => `${r.level}=${r.min_spend}`)).toEqual(['钻石=20000.00', '金卡=5000.00', '银卡=1000.00', '普通=0.00']);
    const dry = crm(['tier', 'apply', '--dry-run', '--format', 'json'], { db, env: { CRM_NOW: '2026-11-22' } });
    expect(dry.code).toBe(0);
    expect((JSON.parse(dry.stdout) as Move[]).map((m) => [m.name, m.to])).toEqual([
      ['甲', '金卡'],
      ['乙', '银卡'],
      ['丙', '普通'],
      ['丁', '普通'],
    ]);
    expect(dry.stderr).toContain('Nothing changed');
    // The moves in every format from one definition: NDJSON lines are the JSON elements, money a decimal string.
    const nd = crm(['tier', 'apply', '--dry-run', '--format', 'ndjson'], { db, env: { CRM_NOW: '2026-11-22' } });
    expect(nd.code, nd.stderr).toBe(0);
    expect(nd.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(JSON.parse(dry.stdout));
    expect((JSON.parse(dry.stdout) as Move[])[0]).toMatchObject({ name: '甲', spend: '6000.00', direction: 'set' });
    const csv = crm(['tier', 'apply', '--dry-run', '--format', 'csv'], { db, env: { CRM_NOW: '2026-11-22' } });
    expect(csv.stdout.split('\n')[0]).toBe('id,name,from,to,direction,spend');
    expect(csv.stdout.split('\n')[1]).toBe('1,甲,,金卡,set,6000.00');
    // A short listing (the ladder) offers no NDJSON.
    const refused = crm(['tier', 'rules', '--format', 'ndjson'], { db });
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(levels(db, {})).toEqual({ 甲: null, 乙: null, 丙: null, 丁: null });
  });

  it('moves customers up and down as their rolling spend changes, and the profile says why', () => {
    const db = shop();
    const now = { CRM_NOW: '2026-11-22' };
    expect(crm(['tier', 'apply'], { db, env: now }).code).toBe(0);
    expect(levels(db, now)).toEqual({ 甲: '金卡', 乙: '银卡', 丙: '普通', 丁: '普通' });
    // Nothing changed: a second apply moves no one.
    expect(crmJson<Move[]>(['tier', 'apply'], { db, env: now })).toEqual([]);
    // 丙 buys ¥800 more: reaches 银卡. Two months on, 乙's January order has left the 12 months: down to 普通.
    expect(crm(['order', 'add', '丙', '--amount', '800', '--date', '2026-11-25'], { db, env: { CRM_NOW: '2026-11-25' } }).code).toBe(0);
    const later = { CRM_NOW: '2027-01-20' };
    const moves = crmJson<Move[]>(['tier', 'apply'], { db, env: later });
    expect(moves.map((m) => [m.name, m.from, m.to, m.direction, m.spend])).toEqual([
      ['乙', '银卡', '普通', 'down', '0.00'],
      ['丙', '普通', '银卡', 'up', '1100.00'],
    ]);
    const history = crmJson<{ customer: string; day: string; direction: string }[]>(['tier', 'history', '丙'], { db });
    expect(history.map((h) => [h.day, h.direction])).toEqual([
      ['2027-01-20', 'up'],
      ['2026-11-22', 'set'],
    ]);
    const profile = crm(['customer', 'show', '乙'], { db, env: later });
    expect(profile.stdout).toContain('Level moves');
    expect(profile.stdout).toContain('2027-01-20  银卡 → 普通: ¥0.00 in 12 months is under ¥1,000.00');
    expect(profile.stdout).toContain('2026-11-22  (none) → 银卡: ¥1,200.00 in 12 months reaches ¥1,000.00');
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--tier', '银卡'], { db, env: later }).map((c) => c.name)).toEqual(['丙']);
  });

  it('saves the default ladder on a first apply, shows its names in the interface language, and finds its levels by either name', async () => {
    const db = tempDb();
    await setUp(['customer', 'add', '--name', 'Ann'], { db });
    await setUp(['order', 'add', 'Ann', '--amount', '6000', '--date', '2026-11-01'], { db });
    expect(crm(['tier', 'rules'], { db }).stderr).toContain('default levels');
    expect(crm(['tier', 'apply'], { db }).code).toBe(0);
    expect(crm(['tier', 'rules'], { db }).stderr).not.toContain('default levels');
    expect(crmJson<{ tier: string }[]>(['customer', 'list', '--tier', '金卡'], { db }).map((c) => c.tier)).toEqual(['Gold']);
    // Saved by an English apply, the default names read in Chinese at a Chinese interface (JSON keeps what is stored).
    const zh = { LANG: 'zh_CN.UTF-8' };
    expect(crm(['customer', 'list', '--columns', 'name,tier'], { db, env: zh }).stdout).toMatch(/Ann\s+│ 金卡 /);
    expect(crm(['customer', 'show', 'Ann'], { db, env: zh }).stdout).toMatch(/等级\s+金卡\n/);
    expect(crm(['customer', 'show', 'Ann'], { db, env: zh }).stdout).toContain('（无） → 金卡');
    expect(crm(['tier', 'rules'], { db, env: zh }).stdout).toMatch(/钻石.*\n.*金卡.*\n.*银卡.*\n.*普通/);
    expect(crm(['stats'], { db, env: zh }).stdout).toContain('等级: 金卡');
  });

  it('refuses a ladder it cannot use, with exit 2 and the ladder unchanged', () => {
    const db = shop();
    for (const args of [['金卡'], ['银卡=1000', '金卡=1000'], ['金卡=abc'], ['--months', '0']]) {
      const r = crm(['tier', 'set', ...args], { db });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n').filter(Boolean)[0]).toMatch(/^crm: /);
    }
    expect(crm(['tier', 'set'], { db }).code).toBe(2); // nothing to set, and no terminal to ask at
    expect(crmJson<{ level: string }[]>(['tier', 'rules'], { db }).map((r) => r.level)).toEqual(['钻石', '金卡', '银卡', '普通']);
  });

  it('abc: prints the shares and saves the classes', () => {
    const db = shop();
    const now = { CRM_NOW: '2026-11-22' };
    // Spend: 甲 6,000, 乙 1,200, 丙 300, 丁 0: total 7,500. 甲 alone is 80%: A. 乙 takes it to 96%: B (the crossing one). 丙, 丁: C.
    const r = crm(['tier', 'abc', '--save'], { db, env: now });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/A\s+│\s+1 │\s+25\.0% │\s+¥6,000\.00 │\s+80\.0% │/);
    expect(r.stderr).toContain('A: 25.0% of customers make 80.0% of revenue');
    const rows = crmJson<{ class: string; customers: number; revenue_share: number }[]>(['tier', 'abc'], { db, env: now });
    expect(rows.map((x) => [x.class, x.customers, x.revenue_share])).toEqual([
      ['A', 1, 0.8],
      ['B', 1, 0.16],
      ['C', 2, 0.04],
    ]);
    expect(crmJson<{ name: string }[]>(['customer', 'list', '--abc', 'c'], { db, env: now }).map((c) => c.name)).toEqual(['丙', '丁']);
    // Other shares: A 50% (甲 alone), B 40% (乙: 6,000 is under 90% of 7,500).
    const other = crmJson<{ class: string; customers: number }[]>(['tier', 'abc', '--a', '50', '--b', '40'], { db, env: now });
    expect(other.map((x) => x.customers)).toEqual([1, 1, 2]);
    expect(crm(['tier', 'abc', '--a', '90', '--b', '20'], { db }).code).toBe(2);
    expect(crm(['customer', 'list', '--abc', 'D'], { db }).code).toBe(2);
  });

  it('a merge takes the level moves along, and its undo gives them back', () => {
    const db = shop();
    const now = { CRM_NOW: '2026-11-22' };
    expect(crm(['tier', 'apply'], { db, env: now }).code).toBe(0);
    const moves = (ref: string) => crmJson<{ customer_id: number }[]>(['tier', 'history', ref], { db, env: now }).length;
    expect(crm(['merge', '甲', '乙', '--yes'], { db, env: now }).code).toBe(0);
    expect(moves('甲')).toBe(2);
    const merges = crmJson<{ merge: number }[]>(['dedupe', 'history'], { db, env: now });
    expect(crm(['dedupe', 'undo', String(merges[0]!.merge)], { db, env: now }).code).toBe(0);
    expect(moves('甲')).toBe(1);
    expect(moves('乙')).toBe(1);
  });

  it('refuses a level nobody has and the ladder does not name; --a alone leaves B the rest up to 100%', () => {
    const db = shop();
    const r = crm(['customer', 'list', '--tier', 'Platinum'], { db });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no level "Platinum"; levels: 普通, 银卡, 金卡, 钻石');
    const rows = crmJson<{ class: string; customers: number }[]>(['tier', 'abc', '--a', '90'], { db, env: { CRM_NOW: '2026-11-22' } });
    // 甲 and 乙 make 96%: A; B's share is the last 10%: 丙; 丁 spent nothing: C.
    expect(rows.map((x) => x.customers)).toEqual([2, 1, 1]);
  });

  it('two applies at once make each move once', async () => {
    const db = shop();
    const env = { ...process.env, CRM_DB: db, CRM_NOW: '2026-11-22', LANG: 'en_US.UTF-8' };
    const once = () => new Promise<number>((resolve) => spawn(process.execPath, [BIN, 'tier', 'apply'], { env, stdio: 'ignore' }).on('exit', (code) => resolve(code ?? -1)));
    expect(await Promise.all([once(), once()])).toEqual([0, 0]);
    const history = crmJson<unknown[]>(['tier', 'history'], { db });
    expect(history).toHaveLength(4);
  });

  it('a ladder without the old lowest level moves its customers down to none, saying why', () => {
    const db = shop();
    const now = { CRM_NOW: '2026-11-22' };
    expect(crm(['tier', 'apply'], { db, env: now }).code).toBe(0);
    const set = crm(['tier', 'set', '银卡=1000', '金卡=5000'], { db, env: now });
    expect(set.code).toBe(0);
    // What was done on stdout (as every command that prints no data), the hint on stderr.
    expect(set.stdout).toContain('Levels saved: 银卡 ≥ ¥1,000.00, 金卡 ≥ ¥5,000.00');
    expect(set.stderr).toContain('crm tier apply --dry-run');
    const r = crm(['tier', 'apply'], { db, env: now });
    expect(r.stderr).toContain('0 up, 2 down, 0 given a level'); // 丙 and 丁 leave 普通
    expect(crm(['customer', 'show', '丙'], { db, env: now }).stdout).toContain('普通 → (none): ¥300.00 in 12 months is under ¥1,000.00');
  });
});
