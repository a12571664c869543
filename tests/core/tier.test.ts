// Member levels (ladders, who moves and why) and ABC classes on hand-worked shops.
import { describe, expect, it } from 'vitest';
import { addMonths } from '../../src/core/dates.js';
import {
  abcClasses,
  checkLadder,
  defaultLadder,
  ladderFromJson,
  ladderToJson,
  levelLabel,
  parsePercent,
  parseTierRule,
  resolveLevelName,
  summarizeAbc,
  tierFor,
  tierMoves,
} from '../../src/core/tier.js';

const ladder = defaultLadder('zh', 2);
const columns = (cs: { id: number; tier: string | null; spend: number }[]) => ({ ids: cs.map((c) => c.id), tiers: cs.map((c) => c.tier), spends: cs.map((c) => c.spend) }); // 普通 0, 银卡 ¥1,000, 金卡 ¥5,000, 钻石 ¥20,000 over 12 months

describe('the ladder', () => {
  it('defaults to four levels by 12-month spend, in the shop language', () => {
    expect(ladder.months).toBe(12);
    expect(ladder.rules.map((r) => [r.name, r.minSpend])).toEqual([
      ['普通', 0],
      ['银卡', 100_000],
      ['金卡', 500_000],
      ['钻石', 2_000_000],
    ]);
    expect(defaultLadder('en', 0).rules.map((r) => `${r.name}=${r.minSpend}`)).toEqual(['Regular=0', 'Silver=1000', 'Gold=5000', 'Diamond=20000']);
  });

  it('reads levels as typed, and sorts and checks them', () => {
    expect(parseTierRule('金卡=¥5,000', 'CNY')).toEqual({ name: '金卡', minSpend: 500_000 });
    expect(parseTierRule('A=B=1.5', 'CNY')).toEqual({ name: 'A=B', minSpend: 150 });
    expect(() => parseTierRule('金卡', 'CNY')).toThrow();
    expect(() => parseTierRule('=100', 'CNY')).toThrow();
    expect(() => parseTierRule('金卡=-5', 'CNY')).toThrow();
    const l = checkLadder([{ name: 'Gold', minSpend: 300 }, { name: 'Basic', minSpend: 0 }], 6);
    expect(l.rules.map((r) => r.name)).toEqual(['Basic', 'Gold']);
    expect(() => checkLadder([], 12)).toThrow();
    expect(() => checkLadder([{ name: 'a', minSpend: 5 }, { name: 'b', minSpend: 5 }], 12)).toThrow();
    expect(() => checkLadder([{ name: 'Gold', minSpend: 5 }, { name: 'gold', minSpend: 9 }], 12)).toThrow();
    expect(() => checkLadder([{ name: 'a', minSpend: 5 }], 0)).toThrow();
  });

  it('survives a round trip through its stored form, and a damaged stored value is ignored', () => {
    expect(ladderFromJson(ladderToJson(ladder))).toEqual(ladder);
    expect(ladderFromJson('{"months":12,"rules":[]}')).toBeNull();
    expect(ladderFromJson('not json')).toBeNull();
    expect(ladderFromJson(undefined)).toBeNull();
  });

  it('shows default level names in the interface language, and names the owner chose as written', () => {
    const saved = ladderFromJson(ladderToJson(defaultLadder('en', 2)))!;
    expect(['Regular', 'Silver', 'Gold', 'Diamond'].map((n) => levelLabel(n, saved, 'zh'))).toEqual(['普通', '银卡', '金卡', '钻石']);
    expect(levelLabel('金卡', ladder, 'en')).toBe('Gold');
    // Saved before ladders said whether their names are the defaults: the four default names are.
    const legacy = ladderFromJson('{"months":12,"rules":[{"name":"Regular","min":0},{"name":"Silver","min":100000},{"name":"Gold","min":500000},{"name":"Diamond","min":2000000}]}')!;
    expect(levelLabel('Silver', legacy, 'zh')).toBe('银卡');
    const own = checkLadder([{ name: '银卡', minSpend: 0 }, { name: 'VIP', minSpend: 100 }], 12);
    expect(levelLabel('银卡', own, 'en')).toBe('银卡');
    expect(levelLabel('VIP', saved, 'zh')).toBe('VIP');
  });

  it('finds a default level by its name in either language', () => {
    expect(resolveLevelName('gold', ladder)).toBe('金卡');
    expect(resolveLevelName('金卡', ladder)).toBe('金卡');
    expect(resolveLevelName('金卡', defaultLadder('en', 2))).toBe('Gold');
    expect(resolveLevelName('VIP', ladder)).toBe('VIP');
  });
});

describe('tier moves', () => {
  it('puts a spend at the highest level it reaches; exactly the threshold reaches it', () => {
    expect(tierFor(0, ladder)?.name).toBe('普通');
    expect(tierFor(99_999, ladder)?.name).toBe('普通');
    expect(tierFor(100_000, ladder)?.name).toBe('银卡');
    expect(tierFor(2_500_000, ladder)?.name).toBe('钻石');
    expect(tierFor(50, checkLadder([{ name: 'Gold', minSpend: 100 }], 12))).toBeNull();
  });

  it('moves customers up and down, says why, and leaves the others alone', () => {
    const moves = tierMoves(
      columns([
        { id: 1, tier: '银卡', spend: 600_000 }, // up: reaches 金卡's ¥5,000
        { id: 2, tier: '金卡', spend: 120_000 }, // down: under 金卡's ¥5,000, lands on 银卡
        { id: 3, tier: '银卡', spend: 100_000 }, // stays: exactly the threshold
        { id: 4, tier: null, spend: 0 }, // first level
        { id: 5, tier: 'VIP', spend: 2_000_000 }, // a name the ladder does not have: set
      ]),
      ladder,
    );
    expect(moves).toEqual([
      { id: 1, from: '银卡', to: '金卡', spend: 600_000, direction: 'up', threshold: 500_000 },
      { id: 2, from: '金卡', to: '银卡', spend: 120_000, direction: 'down', threshold: 500_000 },
      { id: 4, from: null, to: '普通', spend: 0, direction: 'set', threshold: 0 },
      { id: 5, from: 'VIP', to: '钻石', spend: 2_000_000, direction: 'set', threshold: 2_000_000 },
    ]);
  });

  it('a level the ladder no longer has, with spend below its lowest level: down to none, under the lowest threshold', () => {
    const l = checkLadder([{ name: 'Silver', minSpend: 100_000 }, { name: 'Gold', minSpend: 500_000 }], 12);
    expect(tierMoves(columns([{ id: 1, tier: 'Regular', spend: 5_000 }]), l)).toEqual([{ id: 1, from: 'Regular', to: null, spend: 5_000, direction: 'down', threshold: 100_000 }]);
  });

  it('drops a customer below the lowest level to no level', () => {
    const l = checkLadder([{ name: 'Silver', minSpend: 100 }, { name: 'Gold', minSpend: 500 }], 12);
    expect(tierMoves(columns([{ id: 1, tier: 'Silver', spend: 99 }]), l)).toEqual([{ id: 1, from: 'Silver', to: null, spend: 99, direction: 'down', threshold: 100 }]);
  });

  it('counts a window of calendar months back from the as-of day', () => {
    expect(addMonths('2026-11-22', -12)).toBe('2025-11-22');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2024-02-29', -12)).toBe('2023-02-28');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });
});

describe('ABC classes', () => {
  it('A makes the top 80% of revenue (the customer crossing 80% included), B the next 15%, C the rest', () => {
    // Total 1,000: 500 (cumulative before: 0), 300 (500), 100 (800: B), 50 (900: B), 30 (950: C), 20 (C), 0 (C).
    const spends = [100, 500, 0, 30, 300, 50, 20];
    const classes = abcClasses(spends, { a: 0.8, b: 0.15 });
    expect([...classes].map((c) => 'ABC'[c])).toEqual(['B', 'A', 'C', 'C', 'A', 'B', 'C']);
    const summary = summarizeAbc(spends, classes);
    expect(summary.map((s) => [s.cls, s.customers, s.revenue, s.minSpend])).toEqual([
      ['A', 2, 800, 300],
      ['B', 2, 150, 50],
      ['C', 3, 50, 0],
    ]);
    expect(summary[0]!.revenueShare).toBeCloseTo(0.8);
    expect(summary[2]!.share).toBeCloseTo(3 / 7);
  });

  it('gives equal spends the same class, and customers without spend C', () => {
    // The first 400 alone reaches 40% (< 50%), so the second is A too; ties keep together.
    expect([...abcClasses([400, 400, 100, 100], { a: 0.5, b: 0.4 })].map((c) => 'ABC'[c])).toEqual(['A', 'A', 'B', 'B']);
    expect([...abcClasses([0, 0], { a: 0.8, b: 0.15 })]).toEqual([2, 2]);
    expect([...abcClasses([], { a: 0.8, b: 0.15 })]).toEqual([]);
    expect([...abcClasses([10, 0], { a: 0.8, b: 0.15 })].map((c) => 'ABC'[c])).toEqual(['A', 'C']);
  });

  it('takes configured shares', () => {
    const spends = [500, 300, 100, 50, 30, 20];
    expect([...abcClasses(spends, { a: 0.5, b: 0.3 })].map((c) => 'ABC'[c])).toEqual(['A', 'B', 'C', 'C', 'C', 'C']);
    expect(parsePercent('80')).toBe(0.8);
    expect(parsePercent('15%')).toBe(0.15);
    expect(parsePercent('101')).toBeNull();
    expect(parsePercent('abc')).toBeNull();
  });
});
