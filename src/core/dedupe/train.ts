// Finding duplicate customers, what the match model is fitted on: which custom fields behave like
// identifiers, a random sample of the shop's records (for u), and pairs sampled from the blocks of
// records sharing a name, a birthday or a phone (the EM sessions, for m). Pure: the worker feeds the
// records and blocks in (app/dedupe-groups.ts); seeded, so a fit is repeatable.
import { Rng } from '../random.js';
import { BUILT_IN_FIELDS, compareRecords, type FieldKind, type FieldSpec } from './levels.js';
import type { MatchRecord } from './record.js';

/** What a custom field must look like to take part: held by enough customers, mostly unique, short. */
const IDENTIFIER = { minShare: 0.01, minHolders: 20, minDistinct: 0.3, maxLength: 40, maxTop: 0.01 };
/** Distinct values are counted on at most this many of a field's values. */
const DISTINCT_SAMPLE = 50_000;

/** Per custom field: how many hold it, how many distinct values, how long, the commonest count. */
export class FieldStats {
  private stats = new Map<string, { holders: number; length: number; seen: Map<string, number> }>();

  add(extra: Record<string, string>): void {
    for (const [k, v] of Object.entries(extra)) {
      let s = this.stats.get(k);
      if (!s) this.stats.set(k, (s = { holders: 0, length: 0, seen: new Map() }));
      s.holders++;
      s.length += v.length;
      if (s.seen.size < DISTINCT_SAMPLE || s.seen.has(v)) s.seen.set(v, (s.seen.get(v) ?? 0) + 1);
    }
  }

  /**
   * The custom fields that behave like identifiers (a member number, an ID card number): held by 1%
   * of customers or more (at least 20), mostly unique (distinct values 30% of those read or more, none
   * held by more than 1% of them, or 10 customers), short (under 40 characters on average).
   */
  identifiers(records: number): string[] {
    const out: string[] = [];
    for (const [k, s] of this.stats) {
      const read = [...s.seen.values()].reduce((a, b) => a + b, 0);
      const top = Math.max(0, ...s.seen.values());
      if (s.holders < Math.max(IDENTIFIER.minHolders, IDENTIFIER.minShare * records)) continue;
      if (s.seen.size / read < IDENTIFIER.minDistinct || top > Math.max(10, IDENTIFIER.maxTop * read)) continue;
      if (s.length / s.holders > IDENTIFIER.maxLength) continue;
      out.push(k);
    }
    return out.sort();
  }
}

export function modelFields(identifiers: readonly string[]): FieldSpec[] {
  return [...BUILT_IN_FIELDS, ...identifiers.map((key): FieldSpec => ({ kind: 'custom', key }))];
}

/** A uniform sample of records seen one by one (reservoir sampling), seeded. */
export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;
  private readonly rng: Rng;

  constructor(
    private readonly size: number,
    seed = 1,
  ) {
    this.rng = new Rng(seed, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35);
  }

  add(x: T): void {
    this.seen++;
    if (this.items.length < this.size) this.items.push(x);
    else {
      const j = this.rng.int(this.seen);
      if (j < this.size) this.items[j] = x;
    }
  }
}

/** The comparison vectors of random pairs of the sampled records (for u: nearly all pairs of a shop are two people). */
export function randomPairVectors(fields: readonly FieldSpec[], sample: readonly MatchRecord[], count: number, seed = 2): Int8Array[] {
  const n = sample.length;
  if (n < 2) return [];
  const rng = new Rng(seed, 0x27d4eb2f, 0x165667b1, 0xd3a2646c);
  const all = (n * (n - 1)) / 2;
  const out: Int8Array[] = [];
  if (all <= count) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(compareRecords(fields, sample[i]!, sample[j]!));
    return out;
  }
  for (let k = 0; k < count; k++) {
    const i = rng.int(n);
    let j = rng.int(n - 1);
    if (j >= i) j++;
    out.push(compareRecords(fields, sample[i]!, sample[j]!));
  }
  return out;
}

/** The training rules: a session's pairs share the value of a block key with this prefix (record.ts trainingKeys). */
export const SESSION_RULES: readonly { rule: FieldKind; prefix: string }[] = [
  { rule: 'name', prefix: 'tn:' },
  { rule: 'birthday', prefix: 'tb:' },
  { rule: 'phone', prefix: 'p:' },
  // An email is a person's own: the pairs sharing one are nearly all one person, and teach how a
  // person's name and birthday vary (a name typed with a slip, a birthday one digit off).
  { rule: 'email', prefix: 'e:' },
];
/** Pairs a session samples at most, and pairs of one block. */
export const SESSION_PAIRS = 100_000;
export const BLOCK_PAIRS = 10;

/** Per rule, the blocks' sizes: how many pairs share a value, and how many a session would take of them. */
export interface BlockCensus {
  population: number;
  capped: number;
}

/** The share of blocks a session reads so that it samples about SESSION_PAIRS pairs. */
export const blockShare = (c: BlockCensus) => (c.capped <= SESSION_PAIRS ? 1 : SESSION_PAIRS / c.capped);

/** Up to BLOCK_PAIRS pairs of one block (all of them when it is small), each standing for its share of the block's pairs. */
export function blockPairs(ids: readonly number[], rng: Rng): { pairs: [number, number][]; weight: number } {
  const n = ids.length;
  const all = (n * (n - 1)) / 2;
  const pairs: [number, number][] = [];
  if (all <= BLOCK_PAIRS) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([ids[i]!, ids[j]!]);
    return { pairs, weight: 1 };
  }
  const seen = new Set<string>();
  while (pairs.length < BLOCK_PAIRS) {
    const i = rng.int(n);
    let j = rng.int(n - 1);
    if (j >= i) j++;
    const key = i < j ? `${i}:${j}` : `${j}:${i}`;
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push([ids[i]!, ids[j]!]);
  }
  return { pairs, weight: all / BLOCK_PAIRS };
}
