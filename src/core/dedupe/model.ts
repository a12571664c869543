// Finding duplicate customers, the match model, in the manner of Fellegi and Sunter (as splink, FEBRL
// and recordlinkage use it): for each field and level of agreement, m = how often two records of one
// person agree so, u = how often two records of different people do. A level adds log2(m/u) bits of
// evidence; agreeing on a value adds log2(m/tf) instead, tf being how common that value is in the
// shop (the same 张伟 says less than the same 冯思刚); a missing field adds nothing. The weights and a
// prior (how many duplicates the shop has) make a match probability with the same meaning in every
// shop. m is learnt by expectation-maximisation on pairs that share a name, a birthday or a phone
// (each session learns the fields it does not block on, as splink does), u from random pairs, with
// the built-in values below as a prior that small shops lean on. Pure.
import { fieldId, HOUSEHOLD, householdOnly, LEVELS, MISSING, type FieldKind, type FieldSpec } from './levels.js';
import { frequencyHash } from './record.js';

export interface FieldModel extends FieldSpec {
  /** Per level (LEVELS[kind]): among pairs of one person, and among pairs of two people. */
  m: number[];
  u: number[];
}

export interface TrainingFacts {
  /** The EM sessions: pairs sampled among those sharing the rule's value, and the matches expected among them. */
  sessions: { rule: FieldKind; pairs: number; matches: number; iterations: number }[];
  randomPairs: number;
  /** Pairs of known answer used as labels: merges made by hand or in review, pairs marked as different people. */
  labels: { merges: number; distinct: number };
}

export interface MatchModel {
  version: 1;
  /** When it was fitted (ISO), or null for the built-in values alone. */
  trainedAt: string | null;
  /** Customers it was fitted on. */
  records: number;
  /** Duplicate pairs a customer has, on average (the prior: with the shop's size, how likely two random customers are one person). */
  duplicateRate: number;
  fields: FieldModel[];
  training: TrainingFacts | null;
}

/** The built-in m and u of each kind's levels: what a shop's own pairs are weighed against before it has many. */
const PRIOR: Record<FieldKind, { m: number[]; u: number[] }> = {
  name: { m: [0.85, 0.04, 0.05, 0.03, 0.01, 0.02], u: [0.0005, 0.0002, 0.002, 0.01, 0.04, 0.9473] },
  birthday: { m: [0.9, 0.07, 0.03], u: [0.00005, 0.0005, 0.99945] },
  phone: { m: [0.6, 0.05, 0.35], u: [0.000001, 0.00001, 0.999989] },
  email: { m: [0.7, 0.08, 0.12, 0.1], u: [0.000001, 0.00001, 0.15, 0.849989] },
  city: { m: [0.92, 0.08], u: [0.1, 0.9] },
  address: { m: [0.55, 0.2, 0.1, 0.15], u: [0.00001, 0.0001, 0.005, 0.99489] },
  gender: { m: [0.97, 0.03], u: [0.5, 0.5] },
  member: { m: [0.8, 0.05, 0.15], u: [0.000001, 0.00001, 0.999989] },
  custom: { m: [0.8, 0.05, 0.15], u: [0.00001, 0.0001, 0.99989] },
};
/** How many pairs the built-in values weigh as: m against the matches EM expects, u against the random pairs. */
const M_PRIOR_PAIRS = 20;
const U_PRIOR_PAIRS = 20_000;
/** The built-in duplicate pairs a customer has, and how many customers it weighs as. */
const PRIOR_DUPLICATE_RATE = 0.15;
const PRIOR_RECORDS = 50;
/** How many customers the shop's term frequencies are smoothed with (the model's u of the exact level). */
const TF_PRIOR_RECORDS = 1000;
/** No level's m or u is taken as smaller than this (a level never seen is rare, not impossible). */
const FLOOR = 1e-9;

export function priorModel(fields: readonly FieldSpec[]): MatchModel {
  return {
    version: 1,
    trainedAt: null,
    records: 0,
    duplicateRate: PRIOR_DUPLICATE_RATE,
    fields: fields.map((f) => ({ ...f, m: [...PRIOR[f.kind].m], u: [...PRIOR[f.kind].u] })),
    training: null,
  };
}

/**
 * Whether a stored model can be used by this crm: its version, every field's kind known and its m
 * and u one per level, finite and positive (a model fitted by another version is not).
 */
export function usableModel(model: unknown): model is MatchModel {
  const m = model as Partial<MatchModel> | null;
  if (!m || m.version !== 1 || !Array.isArray(m.fields) || !Number.isFinite(m.duplicateRate)) return false;
  return m.fields.every((f) => {
    const levels = (LEVELS as Record<string, readonly string[] | undefined>)[f?.kind];
    const fine = (xs: unknown) => Array.isArray(xs) && xs.length === levels!.length && xs.every((x) => typeof x === 'number' && Number.isFinite(x) && x > 0);
    return levels !== undefined && (f.kind !== 'custom' || typeof f.key === 'string') && fine(f.m) && fine(f.u);
  });
}

// ---- Fitting ---------------------------------------------------------------------------------------

/** u of every level from random pairs' comparison vectors, leaning on the built-in values where pairs are few. */
export function estimateU(fields: readonly FieldSpec[], vectors: readonly Int8Array[]): number[][] {
  return fields.map((f, i) => {
    const prior = PRIOR[f.kind].u;
    const counts = new Array<number>(prior.length).fill(0);
    let total = 0;
    for (const v of vectors) {
      const l = v[i]!;
      if (l === MISSING) continue;
      counts[l] = counts[l]! + 1;
      total++;
    }
    return counts.map((c, l) => Math.max(FLOOR, (c + U_PRIOR_PAIRS * prior[l]!) / (total + U_PRIOR_PAIRS)));
  });
}

/** A sample of pairs sharing one field's value, for one EM session. */
export interface Session {
  rule: FieldKind;
  /** The index of the blocking field in the model's fields (not learnt in this session). */
  blocked: number;
  vectors: Int8Array[];
  /** How many pairs of the shop each sampled pair stands for (a capped block's pairs are a sample of it). */
  weights: number[];
  /** Known answers: 1 one person, 0 two people, undefined unknown (then EM's guess). */
  labels: (0 | 1 | undefined)[];
  /** All pairs of the shop that share the value (sampled or not). */
  population: number;
}

const ITERATIONS = 40;

/**
 * One EM session: λ (the share of one-person pairs) and m of every field but the blocked one, u held
 * fixed. Returns the expected matches and, per field and level, the expected count among them.
 */
function runSession(s: Session, u: number[][], fields: readonly FieldSpec[]) {
  const n = s.vectors.length;
  let lambda = 0.5;
  let m = fields.map((f) => [...PRIOR[f.kind].m]);
  const post = new Float64Array(n);
  const nameAt = fields.findIndex((f) => f.kind === 'name');
  let iterations = 0;
  let counts: number[][] = [];
  let population = lambda;
  for (; iterations < ITERATIONS; iterations++) {
    // E: how likely each pair is one person, given its levels.
    for (let i = 0; i < n; i++) {
      const label = s.labels[i];
      if (label !== undefined) {
        post[i] = label;
        continue;
      }
      let logRatio = Math.log(lambda) - Math.log(1 - lambda);
      const v = s.vectors[i]!;
      const household = nameAt >= 0 && householdOnly(v[nameAt]!);
      for (let f = 0; f < fields.length; f++) {
        const l = v[f]!;
        if (f === s.blocked || l === MISSING || (household && HOUSEHOLD.has(fields[f]!.kind))) continue;
        logRatio += Math.log(m[f]![l]!) - Math.log(u[f]![l]!);
      }
      post[i] = logRatio > 40 ? 1 : logRatio < -40 ? 0 : 1 / (1 + Math.exp(-logRatio));
    }
    // M: λ and m from the expected counts. The E-step's λ is the sample's share (each pair counted
    // once, as m is); what the share is among all the shop's pairs (a capped block's pair stands for
    // many) is worked out for the duplicate rate.
    let matched = 0;
    let weighted = 0;
    let total = 0;
    counts = fields.map((f) => new Array<number>(LEVELS[f.kind].length).fill(0));
    for (let i = 0; i < n; i++) {
      matched += post[i]!;
      weighted += post[i]! * s.weights[i]!;
      total += s.weights[i]!;
      const v = s.vectors[i]!;
      for (let f = 0; f < fields.length; f++) if (v[f]! !== MISSING) counts[f]![v[f]!]! += post[i]!;
    }
    population = clamp(weighted / Math.max(total, FLOOR));
    const next = clamp(matched / Math.max(n, 1));
    const nextM = fields.map((f, i) => smoothM(f.kind, counts[i]!));
    const change = Math.abs(next - lambda) + nextM.reduce((d, row, i) => d + row.reduce((e, x, l) => e + Math.abs(x - m[i]![l]!), 0), 0);
    [lambda, m] = [next, nextM];
    if (change < 1e-6) break;
  }
  return { lambda: population, counts, matched: n === 0 ? 0 : Array.from(post).reduce((a, b) => a + b, 0), iterations };
}

const clamp = (x: number) => Math.min(1 - 1e-9, Math.max(1e-9, x));

function smoothM(kind: FieldKind, counts: readonly number[]): number[] {
  const prior = PRIOR[kind].m;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c, l) => Math.max(FLOOR, (c + M_PRIOR_PAIRS * prior[l]!) / (total + M_PRIOR_PAIRS)));
}

export interface FitInput {
  fields: readonly FieldSpec[];
  records: number;
  randomPairs: readonly Int8Array[];
  sessions: readonly Session[];
  /** Comparison vectors of pairs known to be one person (merges by hand or in review). */
  merged: readonly Int8Array[];
  distinct: number;
  now: string;
}

/**
 * Fits the model: u from random pairs, m from each session's EM (a field is learnt in every session
 * but the one that blocks on it, its expected counts pooled) and from merges made by hand, the
 * duplicate rate from the first session of name, phone or birthday that has pairs: its matches
 * among all pairs sharing the value, over how often a person's records share it.
 */
export function fitModel(input: FitInput): MatchModel {
  const { fields } = input;
  const u = estimateU(fields, input.randomPairs);
  const pooled = fields.map((f) => new Array<number>(LEVELS[f.kind].length).fill(0));
  for (const v of input.merged) for (let f = 0; f < fields.length; f++) if (v[f]! !== MISSING) pooled[f]![v[f]!]!++;
  const runs = input.sessions.map((s) => {
    const r = runSession(s, u, fields);
    for (let f = 0; f < fields.length; f++) if (f !== s.blocked) r.counts[f]!.forEach((c, l) => (pooled[f]![l]! += c));
    return { s, ...r };
  });
  const m = fields.map((f, i) => smoothM(f.kind, pooled[i]!));
  let duplicates: number | null = null;
  for (const rule of ['name', 'phone', 'birthday'] as const) {
    const run = runs.find((r) => r.s.rule === rule && r.s.vectors.length > 0);
    if (!run) continue;
    const agree = m[run.s.blocked]![0]!;
    duplicates = (run.lambda * run.s.population) / agree;
    break;
  }
  const duplicateRate = ((duplicates ?? 0) + PRIOR_RECORDS * PRIOR_DUPLICATE_RATE) / (input.records + PRIOR_RECORDS);
  return {
    version: 1,
    trainedAt: input.now,
    records: input.records,
    duplicateRate,
    fields: fields.map((f, i) => ({ ...f, m: m[i]!, u: u[i]! })),
    training: {
      sessions: runs.map((r) => ({ rule: r.s.rule, pairs: r.s.vectors.length, matches: Math.round(r.matched), iterations: r.iterations })),
      randomPairs: input.randomPairs.length,
      labels: { merges: input.merged.length, distinct: input.distinct },
    },
  };
}

// ---- Weighing a pair ------------------------------------------------------------------------------

/** How many of the shop's customers hold a value (of a field by its id, or `domain` for an email domain). */
export interface Frequencies {
  records: number;
  count(field: string, value: string): number;
}

/** A field's part in a pair's weight. */
export interface Contribution {
  field: string;
  level: string;
  /** Bits of evidence: positive for the same person, negative against. */
  bits: number;
  /** The value agreed on is common in this shop (held by ten times as many customers as a value of two, or more): it says less. */
  tf?: 'common';
  /** Left out: the names say two people of one household, whose phone, address or city this is. */
  household?: true;
}

/** The prior in bits: how likely two customers picked at random in a shop of this size are one person. */
export function priorBits(model: Pick<MatchModel, 'duplicateRate'>, records: number): number {
  const pairs = Math.max(1, (records * (records - 1)) / 2);
  const lambda = clamp(Math.min(0.5, (model.duplicateRate * records) / pairs));
  return Math.log2(lambda / (1 - lambda));
}

export const probabilityOf = (bits: number) => 1 / (1 + 2 ** -bits);

/** A model made ready to weigh pairs: each level's weight worked out once. */
export interface Weigher {
  model: MatchModel;
  prior: number;
  /** log2(m/u) per field and level. */
  bits: number[][];
  freq: Frequencies;
  /** Where the name is among the fields (-1: none): it says whether a phone is a household's. */
  nameAt: number;
}

export function weigher(model: MatchModel, freq: Frequencies): Weigher {
  return {
    model,
    prior: priorBits(model, freq.records),
    bits: model.fields.map((f) => f.m.map((m, l) => Math.log2(m / f.u[l]!))),
    freq,
    nameAt: model.fields.findIndex((f) => f.kind === 'name'),
  };
}

/** Which value a level's term frequency is looked up by: the exact level's value, and the email domain. */
export function tfField(f: FieldSpec, level: number): string | null {
  if (level === 0 && f.kind !== 'gender') return fieldId(f);
  if (f.kind === 'email' && level === 2) return 'domain';
  return null;
}

/**
 * The bits a field's level adds: log2(m/u), or where the records agree on a value, log2(m/tf) with
 * tf the share of other customers holding it, smoothed by the level's u.
 */
export function levelBits(w: Weigher, f: number, level: number, value: string | undefined): number {
  const spec = w.model.fields[f]!;
  const key = value === undefined ? null : tfField(spec, level);
  if (key === null) return w.bits[f]![level]!;
  const n = w.freq.records;
  const holders = Math.max(2, w.freq.count(key, value!));
  const tf = (holders - 1 + TF_PRIOR_RECORDS * spec.u[level]!) / (Math.max(1, n - 1) + TF_PRIOR_RECORDS);
  return Math.log2(spec.m[level]! / Math.max(FLOOR, tf));
}

/** Whether a value is common in this shop: its bits 3 or more below those of a value only the two records hold (about ten times as many holders). */
export function tfMark(w: Weigher, f: number, level: number, bits: number): 'common' | undefined {
  const spec = w.model.fields[f]!;
  const rarest = Math.log2(spec.m[level]! / Math.max(FLOOR, (1 + TF_PRIOR_RECORDS * spec.u[level]!) / (Math.max(1, w.freq.records - 1) + TF_PRIOR_RECORDS)));
  return bits <= rarest - 3 ? 'common' : undefined;
}

/**
 * The shop's term frequencies as counted by the worker, by key hash (record.ts keyHash): values held
 * by three customers or more, and every birthday, city and email domain; an agreed value not among
 * them is held by two.
 */
export class KeyCounts implements Frequencies {
  constructor(
    readonly records: number,
    readonly counts: Map<number, number>,
  ) {}

  count(field: string, value: string): number {
    return this.counts.get(frequencyHash(field, value)) ?? 2;
  }
}
