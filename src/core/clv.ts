// Customer lifetime value from the order history: the BG/NBD model of repeat purchases and dropping
// out (Fader, Hardie and Lee 2005, "Counting your customers the easy way") and the Gamma-Gamma model
// of spend per purchase (Fader, Hardie and Lee 2005, "RFM and CLV"), both fitted by maximum
// likelihood; what they predict per customer; the four value classes. Pure: the store hands in
// each customer's x (repeat purchase days), t_x (time of the last purchase) and T (age), all from
// the first purchase in the chosen unit, and the mean spend of their repeat purchase days.
//
// Numerics: every likelihood is a sum of logs (log-gamma, never gamma), the two terms of the BG/NBD
// likelihood are added in log space, P(alive) is a logistic of a log-ratio, and the hypergeometric
// term of the expected purchases is taken through Euler's transformation, which keeps its
// parameters from growing with x: a customer with a thousand purchases is as safe as one with two.
import gammaln from '@stdlib/math-base-special-gammaln';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { nelderMead } from './optimize.js';
import { Rng } from './random.js';

/** Each customer's purchase history in model terms, a column each. */
export interface RepeatData {
  /** Repeat purchase days (distinct purchase days after the first). */
  x: Float64Array;
  /** Time from the first to the last purchase day, in units. */
  tx: Float64Array;
  /** Time from the first purchase day to the end of the data, in units. */
  T: Float64Array;
}

export interface BgnbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** Why a fit cannot be used: it did not converge, did not move from where it started, or (Gamma-Gamma) q <= 1 gives an infinite mean spend. */
export type FitProblem = 'notConverged' | 'unmoved' | 'infiniteMean';

export interface Fit<P> {
  params: P;
  logLikelihood: number;
  /** Customers the fit used. */
  customers: number;
  iterations: number;
  evaluations: number;
  problem: FitProblem | null;
  /** Parameters that stopped at SHAPE_CAP (BG/NBD's r, a, b): the data show no spread there. */
  capped?: string[];
}

const logAddExp = (u: number, w: number) => (u === -Infinity ? w : w === -Infinity ? u : Math.max(u, w) + Math.log1p(Math.exp(-Math.abs(u - w))));

/**
 * The BG/NBD log-likelihood of the data (equation 6 of the paper, in logs):
 *   ln L_i = A1 + A2 + ln(exp(A3) + [x > 0] exp(A4)), with
 *   A1 = ln Γ(r+x) − ln Γ(r) + r ln α,     A2 = ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x),
 *   A3 = −(r+x) ln(α+T),                    A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x).
 * The terms that depend on x alone are worked out once per distinct x.
 */
export function bgnbdLogLikelihood({ r, alpha, a, b }: BgnbdParams, d: RepeatData): number {
  const byX = new Map<number, number>();
  const common = (x: number) => {
    let v = byX.get(x);
    if (v === undefined) {
      v = gammaln(r + x) - gammaln(r) + r * Math.log(alpha) + gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
      byX.set(x, v);
    }
    return v;
  };
  const lnA = Math.log(a);
  let sum = 0;
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i]!;
    const a3 = -(r + x) * Math.log(alpha + d.T[i]!);
    const a4 = x > 0 ? lnA - Math.log(b + x - 1) - (r + x) * Math.log(alpha + d.tx[i]!) : -Infinity;
    sum += common(x) + logAddExp(a3, a4);
  }
  return sum;
}

/** Whether a fit moved from its start: some parameter changed by more than a millionth. */
const moved = (start: number[], end: number[]) => end.some((v, i) => Math.abs(v - start[i]!) > 1e-6 * Math.max(1, Math.abs(start[i]!)));

/**
 * The largest r, a and b a fit may take. When the data show no spread in how often (r) or how
 * soon (a, b) customers drop out, the likelihood keeps rising towards r, a, b = ∞ along a ridge
 * (the limit is a model without that spread) and the search never settles. Past 10,000 the
 * predictions no longer change, so the search stops at the cap and the fit says so.
 */
export const SHAPE_CAP = 10_000;

/**
 * Fits BG/NBD by maximum likelihood: Nelder-Mead over the logs of r, α, a and b, started at
 * r = a = b = 1 and α = the mean age (α is a time scale, in the data's unit); r, a and b capped.
 */
export function fitBgnbd(d: RepeatData, opts: { maxIterations?: number } = {}): Fit<BgnbdParams> {
  const n = d.x.length;
  let meanT = 0;
  for (let i = 0; i < n; i++) meanT += d.T[i]! / Math.max(1, n);
  const start = [0, Math.log(Math.max(meanT, 1e-3)), 0, 0];
  const cap = Math.log(SHAPE_CAP);
  const toParams = (z: number[]): BgnbdParams => ({ r: Math.exp(Math.min(z[0]!, cap)), alpha: Math.exp(z[1]!), a: Math.exp(Math.min(z[2]!, cap)), b: Math.exp(Math.min(z[3]!, cap)) });
  // Beyond the cap the objective is the cap's, a little worse the further out: the search comes back to it.
  const beyond = (z: number[]) => [0, 2, 3].reduce((s, k) => s + Math.max(0, z[k]! - cap), 0);
  const m = nelderMead((z) => -bgnbdLogLikelihood(toParams(z), d) + beyond(z), start, opts);
  const params = toParams(m.x);
  const capped = (['r', 'a', 'b'] as const).filter((k) => params[k] >= SHAPE_CAP * 0.999);
  return {
    params,
    logLikelihood: bgnbdLogLikelihood(params, d),
    customers: n,
    iterations: m.iterations,
    evaluations: m.evaluations,
    problem: !m.converged ? 'notConverged' : !moved(start, m.x) ? 'unmoved' : null,
    capped,
  };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + [x > 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)), as the logistic
 * of the log of the second term: 1 for a customer without repeat purchases, and never NaN.
 */
export function pAlive({ r, alpha, a, b }: BgnbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return logRatio > 0 ? Math.exp(-logRatio) / (1 + Math.exp(-logRatio)) : 1 / (1 + Math.exp(logRatio));
}

/**
 * E[Y(t) | x, t_x, T]: purchases expected in the next t units (equation 10 of the paper):
 *   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · 2F1(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive).
 * With z = t/(α+T+t), Euler's transformation turns (1−z)^(r+x) · 2F1(r+x, b+x; a+b+x−1; z) into
 * (1−z)^(a−1) · 2F1(a+b−1−r, a−1; a+b+x−1; z), whose terms stay small for any x; for very large a
 * (a fit that found almost no drop-out) the untransformed form is the stable one, and is used then.
 */
export function expectedPurchases(p: BgnbdParams, t: number, x: number, tx: number, T: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  let term = Math.pow(1 - z, a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + x - 1, z);
  // With a large a, (1−z)^(a−1) underflows while the series overflows. The untransformed product
  // is then well-behaved (its parameters are not large unless x is); failing that, the product in logs.
  if (!Number.isFinite(term)) term = Math.pow(1 - z, r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  if (!Number.isFinite(term)) term = Math.exp((a - 1) * Math.log1p(-z) + log2F1(a + b - 1 - r, a - 1, a + b + x - 1, z));
  const factor = Math.abs(a - 1) < 1e-9 ? NaN : (a + b + x - 1) / (a - 1);
  return factor * (1 - term) * pAlive(p, x, tx, T);
}

/**
 * ln 2F1(a, b; c; z) by its series, summed in logs, for a, b, c > 0 and 0 <= z < 1 (every term
 * positive); NaN otherwise or when it has not converged in a million terms.
 */
export function log2F1(a: number, b: number, c: number, z: number): number {
  if (!(a > 0 && b > 0 && c > 0 && z >= 0 && z < 1)) return NaN;
  if (z === 0) return 0;
  const lnZ = Math.log(z);
  let logTerm = 0;
  let logSum = 0;
  for (let k = 0; k < 1_000_000; k++) {
    logTerm += Math.log(a + k) + Math.log(b + k) - Math.log(c + k) - Math.log(k + 1) + lnZ;
    logSum = logAddExp(logSum, logTerm);
    // Past the largest term, and the rest (a geometric tail at most) is negligible.
    const ratio = ((a + k + 1) * (b + k + 1) * z) / ((c + k + 1) * (k + 2));
    if (ratio < 1 && logTerm - logSum < Math.log(1e-17 * (1 - ratio))) return logSum;
  }
  return NaN;
}

/**
 * If they are still a customer: the expected wait for their next purchase, in units. Alive, their
 * purchase rate λ has the posterior Gamma(r+x, α+T), and the wait for a Poisson purchase is 1/λ on
 * average, so E[1/λ] = (α+T)/(r+x−1); null when r+x <= 1 (that mean is infinite).
 */
export function expectedWaitIfAlive({ r, alpha }: BgnbdParams, x: number, T: number): number | null {
  return r + x > 1 ? (alpha + T) / (r + x - 1) : null;
}

// ---- Gamma-Gamma --------------------------------------------------------------------------------

/** Repeat buyers: their repeat purchase days and the mean spend of those days. */
export interface SpendData {
  x: Float64Array;
  /** Mean spend per repeat purchase day (any unit of money; the fit's v is in it). */
  m: Float64Array;
}

/**
 * The Gamma-Gamma log-likelihood (equation 3 of "RFM and CLV", for the mean m of x purchases):
 *   ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(xm+v).
 */
export function gammaGammaLogLikelihood({ p, q, v }: GammaGammaParams, d: SpendData): number {
  const byX = new Map<number, number>();
  const lnQ = gammaln(q);
  const lnV = Math.log(v);
  let sum = 0;
  for (let i = 0; i < d.x.length; i++) {
    const x = d.x[i]!;
    const m = d.m[i]!;
    let c = byX.get(x);
    if (c === undefined) byX.set(x, (c = gammaln(p * x + q) - gammaln(p * x) - lnQ + p * x * Math.log(x)));
    sum += c + q * lnV + (p * x - 1) * Math.log(m) - (p * x + q) * Math.log(x * m + v);
  }
  return sum;
}

/** Fits Gamma-Gamma on repeat buyers: Nelder-Mead over the logs of p, q and v, from p = 1, q = 2, v = the mean spend. */
export function fitGammaGamma(d: SpendData, opts: { maxIterations?: number } = {}): Fit<GammaGammaParams> {
  const n = d.x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += d.m[i]! / Math.max(1, n);
  const start = [0, Math.log(2), Math.log(Math.max(mean, 1e-6))];
  // The shapes p and q are capped like BG/NBD's: customers who all spend at one rate send q (and v with it) to ∞.
  const cap = Math.log(SHAPE_CAP);
  const toParams = (z: number[]): GammaGammaParams => ({ p: Math.exp(Math.min(z[0]!, cap)), q: Math.exp(Math.min(z[1]!, cap)), v: Math.exp(z[2]!) });
  const beyond = (z: number[]) => Math.max(0, z[0]! - cap) + Math.max(0, z[1]! - cap);
  const m = nelderMead((z) => -gammaGammaLogLikelihood(toParams(z), d) + beyond(z), start, opts);
  const params = toParams(m.x);
  return {
    params,
    logLikelihood: gammaGammaLogLikelihood(params, d),
    customers: n,
    iterations: m.iterations,
    evaluations: m.evaluations,
    problem: !m.converged ? 'notConverged' : !moved(start, m.x) ? 'unmoved' : params.q <= 1 ? 'infiniteMean' : null,
    capped: (['p', 'q'] as const).filter((k) => params[k] >= SHAPE_CAP * 0.999),
  };
}

/**
 * E[M | x, m]: the expected spend per purchase, a weighted mean of the population's p·v/(q−1) and
 * the customer's own mean m: (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · m = p(v + xm)/(px + q − 1).
 */
export function expectedSpend({ p, q, v }: GammaGammaParams, x: number, m: number): number {
  return x > 0 ? (p * (v + x * m)) / (p * x + q - 1) : (p * v) / (q - 1);
}

// ---- Lifetime value -----------------------------------------------------------------------------

export interface ClvTerms {
  /** The horizon in months. */
  months: number;
  /** Discount rate per month (0.01 = 1%). */
  monthlyDiscount: number;
  /** Share of spend that is margin (0.3 = 30%). */
  margin: number;
  /** Days in the data's unit (1 or 7). */
  unitDays: number;
}

export const MONTH_DAYS = 365.25 / 12;

/**
 * CLV over the horizon: margin × expected spend per purchase × the purchases expected in each month,
 * each discounted by (1 + d)^k for month k. Returns the value and the purchases over the horizon.
 */
export function lifetimeValue(bg: BgnbdParams, spend: number, x: number, tx: number, T: number, terms: ClvTerms): { value: number; purchases: number } {
  const month = MONTH_DAYS / terms.unitDays;
  let value = 0;
  let before = 0;
  for (let k = 1; k <= terms.months; k++) {
    const upTo = expectedPurchases(bg, k * month, x, tx, T);
    value += (upTo - before) / Math.pow(1 + terms.monthlyDiscount, k);
    before = upTo;
  }
  return { value: value * spend * terms.margin, purchases: before };
}

/**
 * The historical estimate, when there is too little to fit: spend per purchase day × purchase days
 * a year so far (over at least a year: one purchase yesterday is not twelve a year) over the
 * horizon, discounted and times the margin as above.
 */
export function historicalValue(spendPerDay: number, purchaseDays: number, ageDays: number, terms: ClvTerms): { value: number; purchases: number } {
  const perMonth = (purchaseDays / Math.max(ageDays, 365.25)) * MONTH_DAYS;
  let value = 0;
  for (let k = 1; k <= terms.months; k++) value += perMonth / Math.pow(1 + terms.monthlyDiscount, k);
  return { value: value * spendPerDay * terms.margin, purchases: perMonth * terms.months };
}

/** Fewer repeat buyers than this and the models are not fitted (the historical estimate is used). */
export const MIN_REPEAT_BUYERS = 30;

// ---- Value classes ------------------------------------------------------------------------------

export const VALUE_CLASSES = ['mostValuable', 'mostGrowable', 'maintain', 'belowZero'] as const;
export type ValueClass = (typeof VALUE_CLASSES)[number];

export interface ValueClassRules {
  /** The customers with the highest CLV, this share of all (0.2): most valuable. */
  topShare: number;
  /** CLV at least this many times their value so far: most growable. */
  growthFactor: number;
  /** What serving a customer costs a year (minor units): CLV under its cost over the horizon is below zero. */
  yearlyCost: number;
}

/**
 * A customer's value so far, on the horizon's scale: margin × their spend per span as long as the
 * horizon since their first purchase (all of it when they are younger than the horizon). A
 * customer who spent well and left long ago has a value so far, and no growth ahead.
 */
export function valueSoFar(total: number, ageDays: number, months: number, margin: number): number {
  const span = months * MONTH_DAYS;
  return (margin * total * span) / Math.max(span, ageDays);
}

/**
 * The four value classes of CRM practice, first rule that holds: below zero (CLV under the cost to
 * serve over the horizon), most valuable (the top share by CLV: at least one customer), most
 * growable (CLV above 0 and at least growthFactor × their value so far), maintain (the rest).
 */
export function valueClasses(clv: Float64Array, soFar: Float64Array, rules: ValueClassRules, months: number): Uint8Array {
  const n = clv.length;
  const out = new Uint8Array(n);
  const cost = (rules.yearlyCost * months) / 12;
  const sorted = Float64Array.from(clv).sort();
  const top = n === 0 ? 0 : Math.max(1, Math.round(n * rules.topShare));
  // The least CLV still in the top share (ties at the edge all count).
  const edge = top > 0 ? sorted[n - top]! : Infinity;
  const code = (c: ValueClass) => VALUE_CLASSES.indexOf(c);
  for (let i = 0; i < n; i++) {
    const v = clv[i]!;
    out[i] = v < cost ? code('belowZero') : v >= edge && v > cost ? code('mostValuable') : v > 0 && v >= rules.growthFactor * soFar[i]! ? code('mostGrowable') : code('maintain');
  }
  return out;
}

// ---- From purchase summaries to a fitted model and predictions ----------------------------------

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

// ---- The holdout check --------------------------------------------------------------------------

export interface HoldoutRow {
  /** Repeat purchase days in the calibration span: 0, 1, ... and the last group "7 or more". */
  x: number;
  atLeast: boolean;
  customers: number;
  /** Repeat purchase days in the holdout span, mean per customer: actual and predicted. */
  actual: number;
  predicted: number;
}

/** Predicted against actual purchases in the holdout, per number of calibration repeat purchases (0..6, 7+), and in all. */
export function holdoutTable(bg: BgnbdParams, d: RepeatData, actual: Float64Array, holdoutUnits: number, groups = 7): { rows: HoldoutRow[]; actual: number; predicted: number } {
  const rows: HoldoutRow[] = Array.from({ length: groups + 1 }, (_, x) => ({ x, atLeast: x === groups, customers: 0, actual: 0, predicted: 0 }));
  let totalActual = 0;
  let totalPredicted = 0;
  for (let i = 0; i < d.x.length; i++) {
    const row = rows[Math.min(groups, d.x[i]!)]!;
    const predicted = expectedPurchases(bg, holdoutUnits, d.x[i]!, d.tx[i]!, d.T[i]!);
    row.customers++;
    row.actual += actual[i]!;
    row.predicted += predicted;
    totalActual += actual[i]!;
    totalPredicted += predicted;
  }
  for (const row of rows) {
    row.actual /= Math.max(1, row.customers);
    row.predicted /= Math.max(1, row.customers);
  }
  return { rows: rows.filter((r) => r.customers > 0), actual: totalActual, predicted: totalPredicted };
}

/** Each tenth of the customers' share of the total CLV, highest CLV first (ten shares; null under ten customers). */
export function valueDeciles(clv: Float64Array): number[] | null {
  const n = clv.length;
  if (n < 10) return null;
  const sorted = Float64Array.from(clv).sort().reverse();
  let total = 0;
  for (let i = 0; i < n; i++) total += sorted[i]!;
  const shares: number[] = [];
  for (let k = 0; k < 10; k++) {
    let s = 0;
    for (let i = Math.floor((k * n) / 10); i < Math.floor(((k + 1) * n) / 10); i++) s += sorted[i]!;
    shares.push(total > 0 ? s / total : 0);
  }
  return shares;
}

export interface ClassSummary {
  cls: ValueClass;
  customers: number;
  /** Share of all the customers scored. */
  share: number;
  total: number;
  average: number;
  /** Mean P(alive); null without customers or without P(alive) (the historical estimate). */
  alive: number | null;
}

/** Customers, total and average CLV and mean P(alive) per value class, in VALUE_CLASSES order. */
export function summarizeClasses(clv: Float64Array, alive: Float64Array | null, classes: Uint8Array): ClassSummary[] {
  const rows = VALUE_CLASSES.map((cls) => ({ cls, customers: 0, share: 0, total: 0, average: 0, alive: null as number | null, aliveSum: 0 }));
  for (let i = 0; i < clv.length; i++) {
    const row = rows[classes[i]!]!;
    row.customers++;
    row.total += clv[i]!;
    row.aliveSum += alive ? alive[i]! : 0;
  }
  return rows.map(({ aliveSum, ...row }) => ({
    ...row,
    share: clv.length > 0 ? row.customers / clv.length : 0,
    average: row.customers > 0 ? row.total / row.customers : 0,
    alive: alive && row.customers > 0 ? aliveSum / row.customers : null,
  }));
}

/** The customers most likely lost worth a call: P(alive) under 50%, the biggest spenders first (indexes, at most `k`). */
export function mostLikelyLost(alive: Float64Array, spend: Float64Array, k = 10): number[] {
  return Array.from(alive.keys())
    .filter((i) => alive[i]! < 0.5)
    .sort((i, j) => spend[j]! - spend[i]! || i - j)
    .slice(0, k);
}

/**
 * The next purchase the model expects if they are still a customer: `asOf` plus the expected wait
 * (expectedWaitIfAlive) given their distinct purchase days up to it (day numbers, ascending), as a
 * day number; null without purchases or when the wait has no finite mean.
 */
export function nextPurchaseIfAlive(p: BgnbdParams, days: readonly number[], asOf: number, unitDays: number): number | null {
  if (days.length === 0) return null;
  const wait = expectedWaitIfAlive(p, days.length - 1, (asOf - days[0]!) / unitDays);
  return wait === null ? null : asOf + Math.round(wait * unitDays);
}
