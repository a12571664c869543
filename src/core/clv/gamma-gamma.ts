// Customer lifetime value, the Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005,
// "RFM and CLV"): its log-likelihood, the fit, and the expected spend per purchase.
import gammaln from '@stdlib/math-base-special-gammaln';
import { nelderMead } from '../optimize.js';
import { moved, SHAPE_CAP, type Fit } from './bgnbd.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

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
