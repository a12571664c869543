// Customer lifetime value, from purchases to a model: what the store sums per customer turned into
// the models' data, both models fitted (on a sample of a large shop), and every customer's predictions.
import { Rng } from '../random.js';
import { fitBgnbd, pAlive, type BgnbdParams, type Fit, type FitProblem, type RepeatData } from './bgnbd.js';
import { expectedSpend, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.js';
import { historicalValue, lifetimeValue, type ClvTerms } from './value.js';

/** Fewer repeat buyers than this and the models are not fitted (the historical estimate is used). */
export const MIN_REPEAT_BUYERS = 30;

/** What the store sums per customer (see store/clv.ts), as far as the models need it. */
export interface Purchases {
  /** Distinct purchase days. */
  days: Float64Array;
  /** Days from the first purchase day to the last, and to the as-of day. */
  spanDays: Float64Array;
  ageDays: Float64Array;
  orders: Float64Array;
  /** Spend in all and on the first purchase day, minor units. */
  total: Float64Array;
  firstDay: Float64Array;
}

/** x, t_x and T in the unit (1 day or 7). */
export function repeatData(p: Purchases, unitDays: number): RepeatData {
  const n = p.days.length;
  const d = { x: new Float64Array(n), tx: new Float64Array(n), T: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    d.x[i] = p.days[i]! - 1;
    d.tx[i] = p.spanDays[i]! / unitDays;
    d.T[i] = p.ageDays[i]! / unitDays;
  }
  return d;
}

/** Each customer's mean spend per repeat purchase day (the first day left out), in major units; 0 without repeats. */
export function repeatSpend(p: Purchases, digits: number): Float64Array {
  const scale = 10 ** digits;
  return Float64Array.from(p.days, (days, i) => (days > 1 ? (p.total[i]! - p.firstDay[i]!) / (days - 1) / scale : 0));
}

/** A seeded random choice of k of n indices, ascending (all of them when k >= n). */
export function sampleIndices(n: number, k: number, seed: number): Int32Array {
  if (k >= n) return Int32Array.from({ length: n }, (_, i) => i);
  // Floyd's algorithm: k distinct draws without an array of n.
  const rng = new Rng(seed, 0x9e3779b9, 0x85ebca6b, 0xc2b2ae35);
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = rng.int(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return Int32Array.from(chosen).sort();
}

export interface ClvModel {
  /** models: BG/NBD and Gamma-Gamma fitted; historical: too little data, or a fit that cannot be used. */
  method: 'models' | 'historical';
  /** Why the historical estimate is used (notFinite: the fitted models predicted a non-number for some customer). */
  reason: 'tooFewRepeatBuyers' | 'notFinite' | FitProblem | null;
  bgnbd: Fit<BgnbdParams> | null;
  gammaGamma: Fit<GammaGammaParams> | null;
  /** Customers fitted on, when a sample of them (null: all). */
  sample: number | null;
  repeatBuyers: number;
  /** Milliseconds the fits took. */
  millis: number;
}

/** Customers the models are fitted on at most; above it, a seeded random sample of them. */
export const FIT_SAMPLE = 200_000;

/**
 * Fits both models on the customers (a random sample of FIT_SAMPLE of them when there are more),
 * or says why the historical estimate has to do: fewer than MIN_REPEAT_BUYERS repeat buyers, or a
 * fit with a problem (reported, never used).
 */
export function fitModels(d: RepeatData, spend: Float64Array, opts: { sample?: number; seed?: number; now?: () => number } = {}): ClvModel {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const n = d.x.length;
  const pick = sampleIndices(n, opts.sample ?? FIT_SAMPLE, opts.seed ?? 1);
  const take = (a: Float64Array) => Float64Array.from(pick, (i) => a[i]!);
  const fitData = pick.length === n ? d : { x: take(d.x), tx: take(d.tx), T: take(d.T) };
  const repeat = Array.from(pick).filter((i) => d.x[i]! > 0 && spend[i]! > 0);
  const base = { sample: pick.length < n ? pick.length : null, repeatBuyers: repeat.length };
  if (repeat.length < MIN_REPEAT_BUYERS) return { method: 'historical', reason: 'tooFewRepeatBuyers', bgnbd: null, gammaGamma: null, ...base, millis: now() - started };
  const bgnbd = fitBgnbd(fitData);
  const gammaGamma = fitGammaGamma({ x: Float64Array.from(repeat, (i) => d.x[i]!), m: Float64Array.from(repeat, (i) => spend[i]!) });
  const problem = bgnbd.problem ?? gammaGamma.problem;
  return { method: problem ? 'historical' : 'models', reason: problem, bgnbd, gammaGamma, ...base, millis: now() - started };
}

export interface Predictions {
  /** P(alive); null for the historical estimate. */
  pAlive: Float64Array | null;
  /** Purchases expected over the horizon. */
  purchases: Float64Array;
  /** Spend expected per purchase, minor units. */
  spend: Float64Array;
  /** CLV, minor units. */
  clv: Float64Array;
}

/**
 * Every customer's predictions under the model, or the historical estimate. Models whose predictions
 * are not all finite numbers are not used: the historical estimate is returned, and the model says why.
 */
export function predict(model: ClvModel, p: Purchases, d: RepeatData, spend: Float64Array, digits: number, terms: ClvTerms): { model: ClvModel; predictions: Predictions } {
  const predictions = predictWith(model, p, d, spend, digits, terms);
  const finite = (a: Float64Array | null) => !a || a.every(Number.isFinite);
  if (model.method === 'models' && !(finite(predictions.clv) && finite(predictions.purchases) && finite(predictions.pAlive) && finite(predictions.spend))) {
    const fallback: ClvModel = { ...model, method: 'historical', reason: 'notFinite' };
    return { model: fallback, predictions: predictWith(fallback, p, d, spend, digits, terms) };
  }
  return { model, predictions };
}

function predictWith(model: ClvModel, p: Purchases, d: RepeatData, spend: Float64Array, digits: number, terms: ClvTerms): Predictions {
  const n = d.x.length;
  const scale = 10 ** digits;
  const out: Predictions = { pAlive: model.method === 'models' ? new Float64Array(n) : null, purchases: new Float64Array(n), spend: new Float64Array(n), clv: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    if (model.method === 'models') {
      const bg = model.bgnbd!.params;
      const perPurchase = expectedSpend(model.gammaGamma!.params, d.x[i]!, spend[i]!) * scale;
      const v = lifetimeValue(bg, perPurchase, d.x[i]!, d.tx[i]!, d.T[i]!, terms);
      out.pAlive![i] = pAlive(bg, d.x[i]!, d.tx[i]!, d.T[i]!);
      out.purchases[i] = v.purchases;
      out.spend[i] = perPurchase;
      out.clv[i] = v.value;
    } else {
      const perDay = p.total[i]! / Math.max(1, p.days[i]!);
      const v = historicalValue(perDay, p.days[i]!, p.ageDays[i]! + 1, terms);
      out.purchases[i] = v.purchases;
      out.spend[i] = perDay;
      out.clv[i] = v.value;
    }
  }
  return out;
}
