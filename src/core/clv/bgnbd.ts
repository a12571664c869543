// Customer lifetime value, the BG/NBD model of repeat purchases and dropping out (Fader, Hardie
// and Lee 2005, "Counting your customers the easy way"): its log-likelihood, the fit, and what it
// predicts per customer (P(alive), purchases expected, the wait for the next one).
import gammaln from '@stdlib/math-base-special-gammaln';
import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { nelderMead } from '../optimize.js';

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
export const moved = (start: number[], end: number[]) => end.some((v, i) => Math.abs(v - start[i]!) > 1e-6 * Math.max(1, Math.abs(start[i]!)));

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
