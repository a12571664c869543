// The match model (src/core/dedupe/model.ts, train.ts, levels.ts): EM recovers the m and u that made
// a hand-checkable set of comparison vectors, a common value says less than a rare one, a missing
// field says nothing, and which custom fields are taken for identifiers.
import { describe, expect, it } from 'vitest';
import {
  blockPairs,
  BLOCK_PAIRS,
  FieldStats,
  fitModel,
  frequencyHash,
  frequencyKey,
  keyHash,
  levelBits,
  matchRecord,
  MISSING,
  modelFields,
  priorModel,
  tfMark,
  usableModel,
  weigher,
  weighPair,
  type FieldSpec,
  type MatchInput,
  type Session,
} from '../../src/core/dedupe/index.js';
import { oneEditApart } from '../../src/core/dedupe/compare.js';
import { Rng } from '../../src/core/random.js';

// Five fields, the levels each can take, and the m and u the vectors are drawn from.
const FIELDS: FieldSpec[] = [{ kind: 'name' }, { kind: 'birthday' }, { kind: 'phone' }, { kind: 'email' }, { kind: 'city' }];
const TRUE_M = [
  [0.8, 0.1, 0.04, 0.02, 0.02, 0.02], // name: exact, pinyin, close, similar, family, different
  [0.9, 0.06, 0.04], // birthday: exact, close, different
  [0.6, 0.1, 0.3], // phone: exact, close, different
  [0.7, 0.1, 0.1, 0.1], // email: exact, close, domain, different
  [0.95, 0.05], // city: exact, different
];
const TRUE_U = [
  [0.001, 0.0005, 0.0035, 0.01, 0.005, 0.98],
  [0.0001, 0.0009, 0.999],
  [0.0001, 0.0009, 0.999],
  [0.0001, 0.0009, 0.2, 0.799],
  [0.1, 0.9],
];

function draw(rng: Rng, probs: number[]): number {
  let x = rng.float();
  for (let l = 0; l < probs.length; l++) if ((x -= probs[l]!) < 0) return l;
  return probs.length - 1;
}
/** A pair's vector: each field from m (one person) or u (two people), missing a fifth of the time (email), never else. */
function vector(rng: Rng, from: number[][], fixed?: [number, number]): Int8Array {
  const v = new Int8Array(FIELDS.length);
  for (let f = 0; f < FIELDS.length; f++) v[f] = f === 3 && rng.chance(0.2) ? MISSING : draw(rng, from[f]!);
  if (fixed) v[fixed[0]] = fixed[1];
  return v;
}

describe('fitModel: EM on a set made from known m and u', () => {
  // 10,000 customers, 3,750 pairs of one person. A session on the same name holds the pairs of one
  // person whose names agree (80%: 3,000) and 30,000 pairs of two people who share a name; a session
  // on the same birthday likewise (90%: 3,375 and 30,000). Random pairs: 200,000 of two people.
  const rng = new Rng(11, 22, 33, 44);
  const matches = Array.from({ length: 3750 }, () => vector(rng, TRUE_M));
  const session = (rule: 'name' | 'birthday', field: number): Session => {
    const same = matches.filter((v) => v[field] === 0);
    const others = Array.from({ length: 30_000 }, () => vector(rng, TRUE_U, [field, 0]));
    const vectors = [...same, ...others];
    return { rule, blocked: field, vectors, weights: vectors.map(() => 1), labels: vectors.map(() => undefined), population: vectors.length };
  };
  const sessions = [session('name', 0), session('birthday', 1)];
  const randomPairs = Array.from({ length: 200_000 }, () => vector(rng, TRUE_U));
  const model = fitModel({ fields: FIELDS, records: 10_000, randomPairs, sessions, merged: [], distinct: 0, now: '2026-12-01T00:00:00Z' });

  it('recovers every m within 0.03 and the u of the common levels within 0.01', () => {
    model.fields.forEach((f, i) => {
      f.m.forEach((m, l) => expect(Math.abs(m - TRUE_M[i]![l]!), `m ${f.kind} ${l}`).toBeLessThan(0.03));
      f.u.forEach((u, l) => expect(Math.abs(u - TRUE_U[i]![l]!), `u ${f.kind} ${l}`).toBeLessThan(0.01));
    });
  });

  it('finds the pairs of one person in each session, and the duplicate rate of the shop', () => {
    const [name, birthday] = model.training!.sessions;
    expect(name!.matches / 3000).toBeGreaterThan(0.95);
    expect(name!.matches / 3000).toBeLessThan(1.05);
    expect(birthday!.matches / 3375).toBeGreaterThan(0.95);
    expect(birthday!.matches / 3375).toBeLessThan(1.05);
    // 3,750 pairs among 10,000 customers, with 50 customers of the built-in 0.15 beside them.
    expect(model.duplicateRate).toBeGreaterThan(0.35);
    expect(model.duplicateRate).toBeLessThan(0.4);
    expect(model.training).toMatchObject({ randomPairs: 200_000, labels: { merges: 0, distinct: 0 } });
  });

  it('pairs known to be one person (merges by hand) count as such', () => {
    const merged = Array.from({ length: 500 }, () => vector(rng, TRUE_M, [4, 1]));
    const labelled = fitModel({ fields: FIELDS, records: 10_000, randomPairs, sessions, merged, distinct: 0, now: '2026-12-01T00:00:00Z' });
    // 500 more pairs of one person in different cities: m of "different city" rises from 0.05.
    expect(labelled.fields[4]!.m[1]!).toBeGreaterThan(model.fields[4]!.m[1]! + 0.05);
    expect(labelled.training!.labels.merges).toBe(500);
  });
});

const input = (o: Partial<MatchInput> & { id: number; name: string }): MatchInput => ({
  phones: [],
  email: null,
  externalId: null,
  birthday: null,
  city: null,
  address: null,
  gender: null,
  extra: {},
  completeness: 0,
  lastActive: '',
  ...o,
});

describe('term frequencies', () => {
  const model = priorModel(modelFields([]));
  const counts: Record<string, number> = { 张伟: 500, 冯思刚: 2 };
  const w = weigher(model, { records: 100_000, count: (_field, value) => counts[value] ?? 2 });

  it('the same common name (张伟, 500 customers) says less than the same rare one (冯思刚, 2)', () => {
    const common = levelBits(w, 0, 0, '张伟');
    const rare = levelBits(w, 0, 0, '冯思刚');
    expect(common).toBeLessThan(rare - 6);
    expect(tfMark(w, 0, 0, common)).toBe('common');
    expect(tfMark(w, 0, 0, rare)).toBeUndefined();
    // log2(m / tf), tf the share of the other customers holding it (smoothed with 1,000 customers at u).
    const m = model.fields[0]!.m[0]!;
    const u = model.fields[0]!.u[0]!;
    expect(common).toBeCloseTo(Math.log2(m / ((499 + 1000 * u) / (99_999 + 1000))), 9);
  });

  it('a pair agreeing on a common name scores lower than one agreeing on a rare name, all else equal', () => {
    const pair = (name: string) => weighPair(w, matchRecord(input({ id: 1, name, birthday: '1990-01-01' })), matchRecord(input({ id: 2, name, birthday: '1990-01-01' })));
    expect(pair('张伟').score).toBeLessThan(pair('冯思刚').score);
    expect(pair('张伟').reasons[0]).toMatchObject({ field: 'name', level: 'exact', tf: 'common' });
  });

  it('a missing field adds nothing: the weight is the prior and the fields both records have', () => {
    const a = matchRecord(input({ id: 1, name: '冯思刚', birthday: '1990-01-01' }));
    const b = matchRecord(input({ id: 2, name: '冯思刚', birthday: '1990-01-01', email: 'fsg@qq.com', city: '上海', phones: ['+8613800138000'] }));
    const s = weighPair(w, a, b);
    expect(s.reasons.map((r) => r.field)).toEqual(['name', 'birthday']);
    expect(s.weight).toBeCloseTo(w.prior + s.reasons[0]!.bits + s.reasons[1]!.bits, 9);
  });
});

describe('FieldStats: which custom fields behave like identifiers', () => {
  const stats = new FieldStats();
  for (let i = 0; i < 1000; i++) {
    stats.add({
      会员卡号: `VIP${100000 + Math.floor(i / 2)}`, // a duplicate pair each: still an identifier
      等级: ['金卡', '银卡', '普通'][i % 3]!, // three values: not one
      备注: `这位客户喜欢在周末来店里买东西，上次买了${i}件衣服，还说下次要带朋友一起来看看新款`, // long free text
      ...(i < 5 ? { 身份证: `11010119900101${1000 + i}` } : {}), // held by too few
    });
  }
  it('takes a mostly unique, short field held by enough customers, and no other', () => {
    expect(stats.identifiers(1000)).toEqual(['会员卡号']);
    expect(modelFields(stats.identifiers(1000)).map((f) => f.kind === 'custom' ? `field:${f.key}` : f.kind)).toEqual([
      'name', 'birthday', 'phone', 'email', 'city', 'address', 'gender', 'member', 'field:会员卡号',
    ]);
  });
});

describe('sampling and comparing', () => {
  it('a block gives all its pairs when small, else a sample standing for the rest', () => {
    const rng = new Rng(1, 2, 3, 4);
    expect(blockPairs([1, 2, 3], rng)).toEqual({ pairs: [[1, 2], [1, 3], [2, 3]], weight: 1 });
    const big = blockPairs(Array.from({ length: 100 }, (_, i) => i), rng);
    expect(big.pairs).toHaveLength(BLOCK_PAIRS);
    expect(new Set(big.pairs.map(([a, b]) => `${a}:${b}`)).size).toBe(BLOCK_PAIRS);
    expect(big.weight).toBe(4950 / BLOCK_PAIRS);
  });

  it('oneEditApart: one character changed, added, dropped, or two neighbours swapped', () => {
    expect(oneEditApart('13800138000', '13800138001')).toBe(true);
    expect(oneEditApart('13800138000', '13800183000')).toBe(true);
    expect(oneEditApart('13800138000', '1380013800')).toBe(true);
    expect(oneEditApart('zhangwei', 'zhangwie')).toBe(true);
    expect(oneEditApart('13800138000', '13800138011')).toBe(false);
    expect(oneEditApart('13800138000', '138001380')).toBe(false);
    expect(oneEditApart('abcd', 'badc')).toBe(false);
  });
});

describe('frequency keys', () => {
  it("a value's hash is its key's hash, for every field (the worker counts keys, the weigher asks by field and value)", () => {
    for (const [field, value] of [['name', '张伟'], ['phone', '+8613800138000'], ['email', 'zw@qq.com'], ['domain', 'qq.com'], ['field:会员卡号', 'vip100001'], ['city', '上海']] as const) {
      expect(frequencyHash(field, value), field).toBe(keyHash(frequencyKey(field, value)));
    }
    expect(keyHash('tn:张伟')).not.toBe(keyHash('tn:张敏'));
    expect(Number.isInteger(keyHash('tn:张伟')) && Math.abs(keyHash('tn:张伟')) < 2 ** 31).toBe(true);
  });
});

describe("the issue's missed pairs: same name, full birthday and city; no phone on one side, or a phone a digit apart", () => {
  // A shop of 100,000 customers (10,000 in the city); the name held by two, or by 500 (a common one).
  const model = priorModel(modelFields([]));
  for (const holders of [2, 500]) {
    const w = weigher(model, { records: 100_000, count: (field) => (field === 'city' ? 10_000 : field === 'name' ? holders : 2) });
    const base = { name: '张伟', birthday: '1985-03-05', city: '上海' };
    it(`are likely at the default 0.95 (the name held by ${holders})`, () => {
      const missing = weighPair(w, matchRecord(input({ id: 1, ...base, phones: ['+8613800138000'] })), matchRecord(input({ id: 2, ...base })));
      const digit = weighPair(w, matchRecord(input({ id: 1, ...base, phones: ['+8613800138000'] })), matchRecord(input({ id: 2, ...base, phones: ['+8613800138001'] })));
      expect(missing.score).toBeGreaterThanOrEqual(0.95);
      expect(digit.score).toBeGreaterThan(missing.score); // a phone a digit apart is evidence for, not against
      expect(digit.reasons.find((r) => r.field === 'phone')).toMatchObject({ level: 'close' });
    });
  }
});

describe('guards', () => {
  const w = weigher(priorModel(modelFields([])), { records: 10_000, count: () => 2 });
  const P = '+8613800138000';

  it('a name of symbols only (?, 😀) is no name: never certain, even on the same phone', () => {
    const s = weighPair(w, matchRecord(input({ id: 1, name: '😀', phones: [P] })), matchRecord(input({ id: 2, name: '张伟', phones: [P] })));
    expect(s.certain).toBe(false);
    expect(weighPair(w, matchRecord(input({ id: 1, name: '？', phones: [P] })), matchRecord(input({ id: 2, name: '?', phones: [P] }))).certain).toBe(false);
  });

  it("the household rule does not depend on the order of the model's fields", () => {
    const reordered = weigher({ ...w.model, fields: [...w.model.fields.slice(1), w.model.fields[0]!] }, w.freq);
    const [a, b] = [matchRecord(input({ id: 1, name: '张伟', phones: [P] })), matchRecord(input({ id: 2, name: '张敏', phones: [P] }))];
    expect(weighPair(reordered, a, b).score).toBeCloseTo(weighPair(w, a, b).score, 12);
    expect(weighPair(reordered, a, b).reasons.find((r) => r.field === 'phone')).toMatchObject({ household: true, bits: 0 });
  });

  it('a stored model this crm cannot use (other levels, an unknown field, a bad number) is refused', () => {
    const good = priorModel(modelFields(['会员卡号']));
    expect(usableModel(good)).toBe(true);
    expect(usableModel(JSON.parse(JSON.stringify(good)))).toBe(true);
    const fewer = { ...good, fields: good.fields.map((f, i) => (i === 0 ? { ...f, m: f.m.slice(1), u: f.u.slice(1) } : f)) };
    expect(usableModel(fewer)).toBe(false);
    expect(usableModel({ ...good, fields: [...good.fields, { kind: 'nickname', m: [0.5, 0.5], u: [0.5, 0.5] }] })).toBe(false);
    expect(usableModel({ ...good, fields: good.fields.map((f, i) => (i === 1 ? { ...f, m: f.m.map(() => Number.NaN) } : f)) })).toBe(false);
    expect(usableModel({ ...good, version: 2 })).toBe(false);
    expect(usableModel(null)).toBe(false);
  });
});
