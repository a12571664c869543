// The matcher (src/core/dedupe/) and what a merged customer becomes (src/core/merge.ts), as pure
// functions: normalization, name comparison, a pair's levels and bits under the built-in model, blocking keys,
// clusters and their survivor, and the merged fields.
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../src/core/customer.js';
import {
  addressSimilarity,
  blockingKeys,
  chooseSurvivor,
  clusterPairs,
  compareNames,
  firstSharedKey,
  keyed,
  matchRecord,
  scoreBlocks,
  BUILT_IN_FIELDS,
  priorModel,
  weigher,
  weighPair,
  type MatchInput,
  type MatchRecord,
} from '../../src/core/dedupe/index.js';
import { differences, mergedFields } from '../../src/core/merge.js';

function input(o: Partial<MatchInput> & { name: string }): MatchInput {
  return { id: 1, phones: [], email: null, externalId: null, birthday: null, city: null, address: null, gender: null, extra: {}, completeness: 0, lastActive: '', ...o };
}
const rec = (o: Partial<MatchInput> & { name: string }): MatchRecord => matchRecord(input(o));
const sortedKeys = (r: MatchRecord) => blockingKeys(r).sort();
const levels = (s: { reasons: { field: string; level: string }[] }) => s.reasons.map((r) => `${r.field} ${r.level}`);

const P1 = '+8613800138000';
const P2 = '+8613900139000';
const ADDRESS = '上海市徐汇区漕溪北路123号';

describe('matchRecord: the form records are compared in', () => {
  it('sets aside spaces, full-width characters and traditional characters in Chinese names', () => {
    for (const name of ['張 偉', '张伟', ' 张　伟 ', '張偉']) {
      const r = rec({ name });
      expect(r.name, name).toBe('张伟');
      expect(r.pinyin, name).toBe('zhangwei');
      expect(r.words).toEqual([]);
    }
  });

  it('reads full-width Latin names, lower case, words sorted (so swapped names compare equal)', () => {
    const a = rec({ name: 'ＭＩＴＣＨＥＬＬ　Ｇｒｅｅｎ' });
    const b = rec({ name: 'green,  mitchell' });
    expect(a.pinyin).toBeNull();
    expect(a.words).toEqual(['green', 'mitchell']);
    expect(b.words).toEqual(['green', 'mitchell']);
    expect(a.name).toBe('mitchellgreen');
  });

  it('normalizes the city (市 dropped, traditional characters) and the address (full-width digits, spaces)', () => {
    expect(rec({ name: 'x', city: '上海市' }).city).toBe('上海');
    expect(rec({ name: 'x', city: '臺北市' }).city).toBe('台北');
    expect(rec({ name: 'x', city: '  ' }).city).toBeNull();
    expect(rec({ name: 'x', address: '上海市 徐汇区 漕溪北路１２３号' }).address).toBe(ADDRESS);
    expect(rec({ name: 'x', address: '7 Wallaby Place,  Delmar' }).address).toBe('7 wallaby place delmar');
  });

  it('keeps phones, email, member number, birthday and the survivor facts as given', () => {
    const r = rec({ id: 9, name: '张伟', phones: [P1], email: 'zw@qq.com', externalId: 'M1', birthday: '1985-03-05', completeness: 7, lastActive: '2026-01-02' });
    expect(r).toMatchObject({ id: 9, phones: [P1], email: 'zw@qq.com', externalId: 'M1', birthday: '1985-03-05', completeness: 7, lastActive: '2026-01-02' });
  });
});

describe('compareNames', () => {
  it('the same name in traditional characters with spaces is the same name', () => {
    expect(compareNames(rec({ name: '张伟' }), rec({ name: '張 偉' }))).toEqual({ similarity: 1, contradicts: false });
  });

  it('the same pinyin (章伟 for 张伟) is similar, weaker than the same name, and no contradiction', () => {
    const c = compareNames(rec({ name: '张伟' }), rec({ name: '章伟' }));
    expect(c.contradicts).toBe(false);
    expect(c.similarity).toBeLessThan(1);
    expect(c.similarity).toBeGreaterThanOrEqual(0.85);
  });

  it('one character off in a Chinese name is similar, but never settles it alone (刘明超, 刘明平: siblings share a generation character)', () => {
    const c = compareNames(rec({ name: '张小明' }), rec({ name: '张大明' }));
    expect(c).toMatchObject({ contradicts: true });
    expect(c.similarity).toBeGreaterThan(0.5);
    expect(compareNames(rec({ name: '刘明超' }), rec({ name: '刘明平' })).contradicts).toBe(true);
    expect(compareNames(rec({ name: '欧阳娜娜' }), rec({ name: '欧阳娜' })).similarity).toBeGreaterThan(0.5);
  });

  it('two-character names with different given names contradict (张伟, 张敏: siblings)', () => {
    expect(compareNames(rec({ name: '张伟' }), rec({ name: '张敏' })).contradicts).toBe(true);
    const other = compareNames(rec({ name: '张伟' }), rec({ name: '李娜' }));
    expect(other).toMatchObject({ similarity: 0, contradicts: true });
  });

  it('swapped Latin given name and surname compare equal; another given name with the same surname contradicts', () => {
    const swapped = compareNames(rec({ name: 'Mitchell Green' }), rec({ name: 'Green Mitchell' }));
    expect(swapped.similarity).toBe(1);
    expect(swapped.contradicts).toBe(false);
    const typo = compareNames(rec({ name: 'Mitchell Green' }), rec({ name: 'Mitchel Green' }));
    expect(typo.similarity).toBeGreaterThanOrEqual(0.95);
    expect(typo.contradicts).toBe(false);
    expect(compareNames(rec({ name: 'Michelle Chen' }), rec({ name: 'Jessica Chen' })).contradicts).toBe(true);
    expect(compareNames(rec({ name: 'harley mc carthy' }), rec({ name: 'harley mccarthy' })).similarity).toBe(1);
  });
});

describe('compareNames: Latin words paired one to one', () => {
  it('a given name close to the surname does not stand in for it (Linda Lin, Rachel Lin; Kevin King, Alex King: a family)', () => {
    expect(compareNames(rec({ name: 'Linda Lin' }), rec({ name: 'Rachel Lin' })).contradicts).toBe(true);
    expect(compareNames(rec({ name: 'Kevin King' }), rec({ name: 'Alex King' })).contradicts).toBe(true);
    expect(compareNames(rec({ name: 'Michelle Chan' }), rec({ name: 'Michael Chan' })).contradicts).toBe(false); // one letter pair apart: a slip as likely
    expect(compareNames(rec({ name: 'Lin Linda' }), rec({ name: 'Linda Lin' })).similarity).toBe(1);
  });
});

describe('weighPair with the built-in model (a shop of 10,000 customers, 1,500 in each city, 3,000 on each email domain, other values held by two)', () => {
  const zw = rec({ id: 1, name: '张伟', phones: [P1], email: 'zw@qq.com', birthday: '1985-03-05', city: '上海', address: ADDRESS });
  const w = weigher(priorModel(BUILT_IN_FIELDS), { records: 10_000, count: (field) => (field === 'city' ? 1500 : field === 'domain' ? 3000 : 2) });
  const score = (a: MatchRecord, b: MatchRecord) => weighPair(w, a, b);

  it('the same phone and the same name are certain, with each field\'s bits', () => {
    const s = score(zw, rec({ id: 2, name: '張 偉', phones: [P1] }));
    expect(s).toMatchObject({ a: 1, b: 2, certain: true });
    expect(s.score).toBeGreaterThanOrEqual(0.95);
    expect(levels(s)).toEqual(['name exact', 'phone exact']);
    expect(s.reasons.every((r) => r.bits > 0)).toBe(true);
    // The weight is the prior and the fields' bits; the score its probability.
    expect(s.weight).toBeCloseTo(w.prior + s.reasons.reduce((n, r) => n + r.bits, 0), 9);
    expect(s.score).toBeCloseTo(1 / (1 + 2 ** -s.weight), 9);
    expect(score(zw, rec({ id: 2, name: '张伟', email: 'zw@qq.com' }))).toMatchObject({ certain: true });
    const member = score(rec({ id: 1, name: '张伟', externalId: 'M1' }), rec({ id: 2, name: '张伟', externalId: 'M1' }));
    expect(member.certain).toBe(true);
    expect(levels(member)).toContain('member exact');
  });

  it('is never certain when a gender or a birthday recorded on both says two people', () => {
    const a = rec({ id: 1, name: 'Michelle Chan', phones: [P1], gender: 'female' });
    expect(score(a, rec({ id: 2, name: 'Michelle Chan', phones: [P1], gender: 'female' })).certain).toBe(true);
    expect(score(a, rec({ id: 2, name: 'Michelle Chan', phones: [P1], gender: 'male' })).certain).toBe(false);
    const b = rec({ id: 3, name: '张伟', phones: [P1], birthday: '1985-03-05' });
    expect(score(b, rec({ id: 4, name: '张伟', phones: [P1], birthday: '1985-03-06' })).certain).toBe(true); // one digit: a slip
    expect(score(b, rec({ id: 4, name: '张伟', phones: [P1], birthday: '1990-11-20' })).certain).toBe(false);
  });

  it('names only alike (the same pinyin) are certain on a shared email, never on the family phone alone (twins 罗家轩, 罗嘉璇)', () => {
    const twin = { birthday: '1975-05-07', city: '佛山', address: ADDRESS, phones: [P1] };
    expect(score(rec({ id: 1, name: '罗家轩', ...twin }), rec({ id: 2, name: '罗嘉璇', ...twin })).certain).toBe(false);
    expect(score(rec({ id: 1, name: '罗家轩', ...twin, email: 'ljx@qq.com' }), rec({ id: 2, name: '罗嘉璇', ...twin, email: 'ljx@qq.com' })).certain).toBe(true);
  });

  it('puts the smaller id first whichever way round it is asked', () => {
    expect(score(rec({ id: 7, name: '张伟', phones: [P1] }), rec({ id: 3, name: '张伟', phones: [P1] }))).toMatchObject({ a: 3, b: 7 });
  });

  it("a family member on the same phone is not the same person: the phone is the household's and counts nothing", () => {
    const s = score(zw, rec({ id: 4, name: '李娜', phones: [P1], birthday: '1988-07-01', city: '上海' }));
    expect(s.certain).toBe(false);
    expect(s.score).toBeLessThan(0.5);
    expect(levels(s)).toEqual(['name different', 'birthday different', 'phone exact', 'city exact']);
    expect(s.reasons.find((r) => r.field === 'phone')).toMatchObject({ bits: 0, household: true });
  });

  it('a sibling (张敏) on the same phone and address is not certain, and not likely', () => {
    const s = score(rec({ id: 1, name: '张伟', phones: [P1], address: ADDRESS }), rec({ id: 2, name: '张敏', phones: [P1], address: ADDRESS }));
    expect(levels(s)).toEqual(['name family', 'phone exact', 'address exact']);
    expect(s.certain).toBe(false);
    expect(s.score).toBeLessThan(0.5);
  });

  it('the same pinyin with the same birthday, address and city is likely (not certain)', () => {
    const s = score(zw, rec({ id: 3, name: '章伟', birthday: '1985-03-05', city: '上海', address: ADDRESS }));
    expect(s.certain).toBe(false);
    expect(s.score).toBeGreaterThanOrEqual(0.95);
    expect(levels(s)).toEqual(['name pinyin', 'birthday exact', 'city exact', 'address exact']);
  });

  it('another real 张伟 (another phone, another birthday, the same city) scores low', () => {
    const s = score(zw, rec({ id: 5, name: '张伟', phones: [P2], birthday: '1990-01-01', city: '上海' }));
    expect(s.certain).toBe(false);
    expect(s.score).toBeLessThan(0.5);
    expect(levels(s)).toEqual(['name exact', 'birthday different', 'phone different', 'city exact']);
  });

  it('a name and a city alone stay below the default 0.95; without a shared contact a pair is never certain', () => {
    expect(score(rec({ id: 1, name: '张伟', city: '上海' }), rec({ id: 2, name: '张伟', city: '上海市' })).score).toBeLessThan(0.95);
    const best = score(rec({ id: 1, name: '张伟', birthday: '1985-03-05', city: '上海', address: ADDRESS }), rec({ id: 2, name: '张伟', birthday: '1985-03-05', city: '上海', address: ADDRESS }));
    expect(best.certain).toBe(false);
    expect(best.score).toBeGreaterThanOrEqual(0.95);
  });

  it('a birthday with day and month swapped, or one digit off, is close; the same address without its house number is alike', () => {
    const swapped = score(rec({ id: 1, name: '张伟', birthday: '1985-03-05' }), rec({ id: 2, name: '张伟', birthday: '1985-05-03' }));
    expect(levels(swapped)).toContain('birthday close');
    const digit = score(rec({ id: 1, name: '张伟', birthday: '1985-03-05' }), rec({ id: 2, name: '张伟', birthday: '1986-03-05' }));
    expect(levels(digit)).toContain('birthday close');
    const address = score(rec({ id: 1, name: '张伟', address: ADDRESS }), rec({ id: 2, name: '张伟', address: '上海市徐汇区漕溪北路' }));
    expect(levels(address)).toContain('address similar');
  });

  it('phones one digit apart, and emails one typo apart (two letters swapped too), are close', () => {
    const phone = score(rec({ id: 1, name: '张伟', phones: ['+8613800138000'] }), rec({ id: 2, name: '张伟', phones: ['+8613800138001'] }));
    expect(levels(phone)).toContain('phone close');
    expect(phone.reasons.find((r) => r.field === 'phone')!.bits).toBeGreaterThan(0);
    const s = score(rec({ id: 1, name: '张伟', email: 'zhangwei@qq.com', city: '上海' }), rec({ id: 2, name: '张伟', email: 'zhangwi@163.com', city: '上海' }));
    expect(levels(s)).toContain('email close');
    const swapped = score(rec({ id: 1, name: '张伟', email: 'zhangwei@qq.com', city: '上海' }), rec({ id: 2, name: '张伟', email: 'zhangwie@163.com', city: '上海' }));
    expect(levels(swapped)).toContain('email close');
  });

  it('a birthday without a year does not differ from a full birthday with the same month and day', () => {
    const noYear = score(rec({ id: 1, name: '张伟', birthday: '--03-05', address: ADDRESS }), rec({ id: 2, name: '张伟', birthday: '1985-03-05', address: ADDRESS }));
    expect(levels(noYear)).toContain('birthday close');
  });

  it('emails made of the same name (or QQ numbers) that differ in their digits are not close', () => {
    const a = rec({ id: 1, name: '张伟', phones: [P1], email: 'zhangwei01@163.com', city: '上海' });
    const b = rec({ id: 2, name: '张伟', phones: [P2], email: 'zhangwei02@163.com', city: '上海' });
    expect(levels(score(a, b))).toContain('email domain');
    expect(score(a, b).score).toBeLessThan(0.5);
    const qq = score(rec({ id: 1, name: '张伟', email: '345740271@qq.com', city: '上海' }), rec({ id: 2, name: '张伟', email: '345740272@qq.com', city: '上海' }));
    expect(levels(qq)).toContain('email domain');
  });
});

describe('blocking keys', () => {
  it('bring 张伟 and 張 偉 together by name with birthday, and by phone', () => {
    const a = sortedKeys(rec({ id: 1, name: '张伟', phones: [P1], birthday: '1985-03-05', city: '上海' }));
    const b = sortedKeys(rec({ id: 2, name: '張 偉', birthday: '1985-03-05' }));
    expect(firstSharedKey(a, b, () => true)).toBe('b:1985-03-05|z');
    expect(b).toContain('n:zhangwei|1985-03-05');
    // A keyed record keeps its keys as sorted hashes: the pair meets in the same first block.
    const [ka, kb] = [keyed(rec({ id: 1, name: '张伟', phones: [P1], birthday: '1985-03-05', city: '上海' })), keyed(rec({ id: 2, name: '張 偉', birthday: '1985-03-05' }))];
    expect(ka.keys).toEqual([...ka.keys].sort((x, y) => x - y));
    expect(firstSharedKey(ka.keys, kb.keys, () => true)).not.toBeNull();
    const c = sortedKeys(rec({ id: 3, name: '張 偉', phones: [P1] }));
    expect(firstSharedKey(a, c, () => true)).toBe(`p:${P1}`);
  });

  it('bring 章伟 and 张伟 together by pinyin with the city, and a Latin name with a typo by its sound', () => {
    const zw = blockingKeys(rec({ name: '张伟', city: '上海' }));
    expect(zw).toContain('n:zhangwei|上海');
    expect(blockingKeys(rec({ name: '章伟', city: '上海市' }))).toContain('n:zhangwei|上海');
    const a = sortedKeys(rec({ name: 'Mitchell Green', birthday: '1956-04-09' }));
    const b = sortedKeys(rec({ name: 'Green Mitchel', birthday: '1956-02-09' }));
    expect(firstSharedKey(a, b, (k) => k.startsWith('s:'))).toMatch(/^s:.*\|1956$/);
  });

  it('a record without contact details, birthday or city has no keys', () => {
    expect(blockingKeys(rec({ name: '张伟' }))).toEqual([]);
  });
});

describe('firstSharedKey', () => {
  it('is the first key both sorted lists hold, skipping keys that are not usable', () => {
    expect(firstSharedKey(['a', 'b', 'c'], ['b', 'c'], () => true)).toBe('b');
    expect(firstSharedKey(['a', 'b', 'c'], ['b', 'c'], (k) => k !== 'b')).toBe('c');
    expect(firstSharedKey(['a', 'd'], ['b', 'c'], () => true)).toBeNull();
    expect(firstSharedKey([], ['a'], () => true)).toBeNull();
  });
});

describe('addressSimilarity', () => {
  it('Chinese addresses by shared character pairs, Latin ones by words with typos', () => {
    expect(addressSimilarity(ADDRESS, ADDRESS)).toBe(1);
    const near = addressSimilarity(ADDRESS, '上海市徐汇区漕溪北路123号5栋');
    expect(near).toBeGreaterThan(0.7);
    expect(near).toBeLessThan(1);
    // Neighbours on the same road: another house number halves the similarity.
    expect(addressSimilarity(ADDRESS, '上海市徐汇区漕溪北路125号')).toBeLessThan(0.5);
    expect(addressSimilarity('北京市朝阳区', '上海市徐汇区')).toBeLessThan(0.3);
    expect(addressSimilarity('7 wallaby place delmar', '7 wallaby plac delmar')).toBe(1);
    // Numbers must match exactly: another house number is another address.
    expect(addressSimilarity('7 wallaby place', '8 wallaby place')).toBeCloseTo(2 / 3, 5);
    expect(addressSimilarity('7 wallaby place', '12 kent street')).toBe(0);
  });
});

describe('scoreBlocks', () => {
  const records = new Map(
    [
      rec({ id: 1, name: '张伟', phones: [P1], birthday: '1985-03-05', city: '上海' }),
      rec({ id: 2, name: '張 偉', phones: [P1], birthday: '1985-03-05', city: '上海' }),
      rec({ id: 3, name: '张伟', phones: [P1], birthday: '1985-03-05', city: '上海' }),
    ].map((r) => [r.id, keyed(r)]),
  );
  const blocksOf = () => {
    const byKey = new Map<string, number[]>();
    for (const r of records.values()) for (const k of blockingKeys(r)) byKey.set(k, [...(byKey.get(k) ?? []), r.id]);
    return [...byKey].map(([key, ids]) => ({ key, ids }));
  };
  const pairs = (opts: Partial<Parameters<typeof scoreBlocks>[2]> = {}) =>
    scoreBlocks(blocksOf(), (id) => records.get(id)!, { minScore: 0.5, weigher: weigher(priorModel(BUILT_IN_FIELDS), { records: 3, count: () => 2 }), tooCommon: new Set(), distinct: new Set(), ...opts })
      .map((p) => `${p.a}:${p.b}`)
      .sort();

  it('scores each pair once, however many blocks it shares', () => {
    expect(pairs()).toEqual(['1:2', '1:3', '2:3']);
  });

  it('leaves out pairs marked as different people, and keys too common to compare', () => {
    expect(pairs({ distinct: new Set(['1:3']) })).toEqual(['1:2', '2:3']);
    const every = new Set(blocksOf().map((b) => b.key));
    expect(pairs({ tooCommon: every })).toEqual([]);
    // Without the phone, the pairs are still found through the other keys they share.
    expect(pairs({ tooCommon: new Set([`p:${P1}`]) })).toEqual(['1:2', '1:3', '2:3']);
  });
});

describe('clusterPairs', () => {
  const link = (a: number, b: number, score: number, certain = score === 1) => ({ a, b, score, certain, reasons: [] });
  const facts = (rows: [number, number, string][]) => new Map(rows.map(([id, completeness, lastActive]) => [id, { id, completeness, lastActive }]));

  it('joins pairs transitively (A~B, B~C: one cluster) with its weakest link as the score', () => {
    const c = clusterPairs([link(1, 2, 1), link(2, 3, 0.85), link(4, 5, 0.7)], 0.8, facts([[1, 5, ''], [2, 1, ''], [3, 1, '']]));
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({ ids: [1, 2, 3], survivor: 1, confidence: 0.85, certain: false });
    const strict = clusterPairs([link(1, 2, 1), link(2, 3, 0.85)], 0.9, facts([[1, 5, ''], [2, 1, ''], [3, 1, '']]));
    expect(strict).toMatchObject([{ ids: [1, 2], confidence: 1, certain: true }]);
  });

  it('keeps every pair among the members, and lists the most confident clusters first', () => {
    const c = clusterPairs([link(1, 2, 0.9), link(2, 3, 0.95), link(1, 3, 0.85), link(7, 8, 1)], 0.8, new Map());
    expect(c.map((x) => x.ids)).toEqual([[7, 8], [1, 2, 3]]);
    expect(c[1]!.confidence).toBe(0.9); // the weakest of the links that hold it together (0.95 and 0.9)
    expect(c[1]!.pairs.map((p) => `${p.a}:${p.b}`).sort()).toEqual(['1:2', '1:3', '2:3']);
  });

  it('proposes the most complete record, then the most recently active, then the oldest, and lists it first', () => {
    expect(clusterPairs([link(1, 2, 1), link(2, 3, 1)], 0.8, facts([[1, 3, '2026-01-01'], [2, 4, '2025-01-01'], [3, 2, '2026-06-01']]))[0]).toMatchObject({ survivor: 2, ids: [2, 1, 3] });
    expect(clusterPairs([link(1, 2, 1), link(2, 3, 1)], 0.8, facts([[1, 3, '2026-01-01'], [2, 3, '2025-01-01'], [3, 3, '2026-06-01']]))[0]).toMatchObject({ survivor: 3, ids: [3, 1, 2] });
    expect(clusterPairs([link(5, 9, 1)], 0.8, facts([[5, 3, '2026-01-01'], [9, 3, '2026-01-01']]))[0]).toMatchObject({ survivor: 5, ids: [5, 9] });
    expect(chooseSurvivor([{ id: 4, completeness: 1, lastActive: '2026-02-01' }, { id: 2, completeness: 1, lastActive: '2026-01-01' }])).toBe(4);
  });

  it('nothing at or above the score: no clusters', () => {
    expect(clusterPairs([link(1, 2, 0.79)], 0.8, new Map())).toEqual([]);
  });
});

// ---- Merged fields --------------------------------------------------------------------------------

function customer(o: Partial<Customer> & { id: number; name: string }): Customer {
  return {
    nameRaw: null,
    phones: [],
    email: null,
    emailRaw: null,
    gender: null,
    birthday: null,
    birthdayLunar: false,
    city: null,
    address: null,
    externalId: null,
    note: null,
    tags: [],
    fields: {},
    doNotContact: false,
    tier: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    orderCount: 0,
    orderTotal: 0,
    firstOrderDay: null,
    lastOrderDay: null,
    ...o,
  };
}

describe('mergedFields', () => {
  const keep = customer({
    id: 1,
    name: '张伟',
    phones: [{ e164: P1, raw: '13800138000' }],
    email: 'zw@qq.com',
    city: '上海',
    tags: ['VIP'],
    fields: { 微信: 'zw_85' },
  });
  const other = customer({
    id: 2,
    name: '張 偉',
    nameRaw: '張  偉',
    phones: [{ e164: P1, raw: '+86 138-0013-8000' }, { e164: P2, raw: null }],
    email: 'zhangwei@163.com',
    emailRaw: 'ZhangWei@163.com',
    gender: 'male',
    birthday: '--03-05',
    birthdayLunar: true,
    city: '上海',
    tags: ['vip', '老客户'],
    fields: { 微信: 'zhangwei_wx', 尺码: 'L' },
    doNotContact: true,
  });

  it('joins phones and tags, fills empty fields, keeps differing values under merged:<field>, keeps do-not-contact', () => {
    const m = mergedFields(keep, [other]);
    expect(m.name).toBe('张伟');
    expect(m.email).toBe('zw@qq.com');
    expect(m.phones).toEqual([{ e164: P1, raw: '13800138000' }, { e164: P2, raw: null }]);
    expect(m.tags).toEqual(['VIP', '老客户']);
    expect(m.gender).toBe('male');
    expect(m.birthday).toBe('--03-05');
    expect(m.birthdayLunar).toBe(true); // the filled birthday comes with its calendar
    expect(m.city).toBe('上海');
    expect(m.doNotContact).toBe(true);
    expect(m.fields).toEqual({ 微信: 'zw_85', 尺码: 'L', 'merged:微信': 'zhangwei_wx', 'merged:name': '張 偉', 'merged:email': 'zhangwei@163.com' });
  });

  it('a value chosen from another record is kept (with how it was typed) and the survivor\'s goes to merged:', () => {
    const m = mergedFields(keep, [other], { name: '張 偉', email: 'zhangwei@163.com' });
    expect(m).toMatchObject({ name: '張 偉', nameRaw: '張  偉', email: 'zhangwei@163.com', emailRaw: 'ZhangWei@163.com' });
    expect(m.fields).toMatchObject({ 'merged:name': '张伟', 'merged:email': 'zw@qq.com' });
  });

  it('several merged records: their values are listed once each, in order', () => {
    const third = customer({ id: 3, name: '章伟', email: 'zhangwei@163.com', note: '老客户' });
    const m = mergedFields(keep, [other, third]);
    expect(m.fields['merged:name']).toBe('張 偉; 章伟');
    expect(m.fields['merged:email']).toBe('zhangwei@163.com');
    expect(m.note).toBe('老客户');
    expect(m.fields['merged:note']).toBeUndefined();
  });

  it('values kept by an earlier merge are kept again', () => {
    const earlier = customer({ id: 4, name: '张伟', fields: { 'merged:name': '張偉' } });
    const m = mergedFields(keep, [earlier, other]);
    expect(m.fields['merged:name']).toBe('張偉; 張 偉');
  });

  it('nothing to keep when the records agree; the survivor\'s record is not changed', () => {
    const copy = JSON.parse(JSON.stringify(keep)) as Customer;
    const m = mergedFields(keep, [customer({ id: 2, name: '张伟', email: 'zw@qq.com', tags: ['vip'] })]);
    expect(m.fields).toEqual({ 微信: 'zw_85' });
    expect(m.tags).toEqual(['VIP']);
    expect(m.doNotContact).toBe(false);
    expect(keep).toEqual(copy);
  });
});

describe('differences', () => {
  it('lists each field with two or more different values, the survivor\'s first', () => {
    const third = customer({ id: 3, name: '章伟', city: '上海' });
    expect(differences(customer({ id: 1, name: '张伟', city: '上海', email: 'zw@qq.com' }), [customer({ id: 2, name: '張 偉', email: 'zhangwei@163.com', gender: 'male' }), third])).toEqual([
      { field: 'name', values: ['张伟', '張 偉', '章伟'] },
      { field: 'email', values: ['zw@qq.com', 'zhangwei@163.com'] },
    ]);
  });
});
