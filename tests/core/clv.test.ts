// The lifetime-value models against the literature (CDNOW, as in the BG/NBD paper), at the edges
// of their numerics, and on data simulated from the models themselves.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bgnbdLogLikelihood,
  expectedPurchases,
  expectedSpend,
  expectedWaitIfAlive,
  fitBgnbd,
  fitGammaGamma,
  fitModels,
  historicalValue,
  lifetimeValue,
  mostLikelyLost,
  nextPurchaseIfAlive,
  summarizeClasses,
  log2F1,
  MONTH_DAYS,
  pAlive,
  sampleIndices,
  SHAPE_CAP,
  valueClasses,
  valueDeciles,
  valueSoFar,
  VALUE_CLASSES,
  type BgnbdParams,
  type RepeatData,
} from '../../src/core/clv/index.js';
import { nelderMead } from '../../src/core/optimize.js';
import { Rng } from '../../src/core/random.js';
import { ROOT } from '../helpers/crm.js';

const CDNOW = path.join(ROOT, 'tests', 'fixtures', 'cdnow', 'cdnow_customers_summary_with_transactions.csv');

/** The CDNOW calibration summary (ID, x, t_x, T in weeks, zbar), as lifetimes ships it. */
function cdnow(): RepeatData & { zbar: Float64Array } {
  const rows = fs.readFileSync(CDNOW, 'utf8').trim().split(/\r?\n/).slice(1).map((l) => l.split(',').map(Number));
  return {
    x: Float64Array.from(rows, (r) => r[1]!),
    tx: Float64Array.from(rows, (r) => r[2]!),
    T: Float64Array.from(rows, (r) => r[3]!),
    zbar: Float64Array.from(rows, (r) => r[4]!),
  };
}

const PAPER: BgnbdParams = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

describe('BG/NBD on CDNOW (Fader, Hardie and Lee 2005)', () => {
  it('fits the published parameters and log-likelihood', () => {
    const fit = fitBgnbd(cdnow());
    expect(fit.problem).toBeNull();
    expect(fit.customers).toBe(2357);
    expect(fit.params.r).toBeCloseTo(0.243, 3);
    expect(fit.params.alpha).toBeCloseTo(4.414, 3);
    expect(fit.params.a).toBeCloseTo(0.793, 3);
    expect(fit.params.b).toBeCloseTo(2.426, 3);
    expect(fit.logLikelihood.toFixed(1)).toBe('-9582.4');
  });

  it('expects 1.226 purchases in 39 weeks from x = 2, t_x = 30.43, T = 38.86', () => {
    expect(expectedPurchases(PAPER, 39, 2, 30.43, 38.86).toFixed(3)).toBe('1.226');
  });

  it('P(alive) is 1 without repeat purchases, and nothing overflows for a thousand purchases', () => {
    expect(pAlive(PAPER, 0, 0, 38.86)).toBe(1);
    expect(pAlive(PAPER, 0, 0, 1e6)).toBe(1);
    for (const [x, tx, T] of [
      [1000, 10, 100],
      [1000, 100, 100],
      [400, 3.5, 1500],
      [1, 0.01, 1e5],
    ] as const) {
      const p = pAlive(PAPER, x, tx, T);
      expect(Number.isFinite(p) && p >= 0 && p <= 1, `P(alive) ${x} ${tx} ${T}`).toBe(true);
      const e = expectedPurchases(PAPER, 52, x, tx, T);
      expect(Number.isFinite(e) && e >= 0, `E[Y] ${x} ${tx} ${T}`).toBe(true);
      expect(Number.isFinite(bgnbdLogLikelihood(PAPER, { x: Float64Array.of(x), tx: Float64Array.of(tx), T: Float64Array.of(T) }))).toBe(true);
    }
    // Bought every week and still buying: alive, and about a purchase a week ahead.
    expect(pAlive(PAPER, 1000, 100, 100)).toBeGreaterThan(0.99);
    expect(expectedPurchases(PAPER, 52, 1000, 100, 100)).toBeGreaterThan(400);
    // A thousand purchases long ago and none since: gone.
    expect(pAlive(PAPER, 1000, 10, 100)).toBe(0);
  });

  it('stays finite when a fit drifts to a large a and b (little drop-out), agreeing with the direct formula', () => {
    // (1−z)^(a−1) underflows and the series overflows: the product is taken in logs.
    const big: BgnbdParams = { r: 0.5, alpha: 10, a: 1000, b: 2000 };
    expect(expectedPurchases(big, 52, 3, 20, 30)).toBeCloseTo(0.9085620835835625, 9);
    expect(expectedPurchases(big, 52, 0, 0, 30)).toBeCloseTo(0.494212464547188, 9);
    expect(Number.isFinite(expectedPurchases({ r: 0.5, alpha: 10, a: 847_000, b: 2_000_000 }, 52, 5, 25, 30))).toBe(true);
    expect(log2F1(1, 1, 2, 0.5)).toBeCloseTo(Math.log(2 * Math.log(2)), 12); // 2F1(1,1;2;z) = −ln(1−z)/z
    expect(log2F1(-1, 1, 2, 0.5)).toBeNaN();
  });

  it('the expected wait for the next purchase if alive: (α+T)/(r+x−1)', () => {
    // x = 18 repeat purchases in T = 35.86 weeks: (4.414 + 35.86) / (0.243 + 17) = 2.336 weeks.
    expect(expectedWaitIfAlive(PAPER, 18, 35.86)).toBeCloseTo(40.274 / 17.243, 10);
    // A first-time buyer with r < 1: the mean wait is infinite.
    expect(expectedWaitIfAlive(PAPER, 0, 10)).toBeNull();
  });

  it('expects nothing over no time, and more over longer', () => {
    expect(expectedPurchases(PAPER, 0, 3, 20, 38)).toBe(0);
    const e = [4, 13, 26, 52].map((t) => expectedPurchases(PAPER, t, 3, 20, 38));
    for (let i = 1; i < e.length; i++) expect(e[i]!).toBeGreaterThan(e[i - 1]!);
  });
});

describe('Gamma-Gamma on CDNOW (Fader, Hardie and Lee 2005, "RFM and CLV")', () => {
  it('fits p, q, v on the 946 repeat buyers', () => {
    const d = cdnow();
    const repeat = Array.from(d.x.keys()).filter((i) => d.x[i]! > 0);
    expect(repeat).toHaveLength(946);
    const fit = fitGammaGamma({ x: Float64Array.from(repeat, (i) => d.x[i]!), m: Float64Array.from(repeat, (i) => d.zbar[i]!) });
    expect(fit.problem).toBeNull();
    expect(fit.params.p).toBeCloseTo(6.25, 2);
    expect(fit.params.q).toBeCloseTo(3.74, 2);
    // zbar in this summary is rounded to cents, which moves v to 15.448; the event log gives 15.44 (tests/e2e/clv.test.ts).
    expect(Math.abs(fit.params.v - 15.44)).toBeLessThan(0.01);
  });

  it('expects a spend between the population mean and the customer own mean', () => {
    const gg = { p: 6.25, q: 3.74, v: 15.44 };
    const population = (gg.p * gg.v) / (gg.q - 1);
    expect(expectedSpend(gg, 0, 0)).toBeCloseTo(population, 10);
    const own = 100;
    const e = expectedSpend(gg, 5, own);
    expect(e).toBeGreaterThan(population);
    expect(e).toBeLessThan(own);
    // More purchases, more weight on their own mean.
    expect(expectedSpend(gg, 50, own)).toBeGreaterThan(e);
  });
});

/** Gamma(shape, rate) by Marsaglia and Tsang. */
function gamma(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return gamma(rng, shape + 1, rate) * Math.pow(rng.float() || 1e-12, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.normal();
    const v = Math.pow(1 + c * z, 3);
    if (v <= 0) continue;
    const u = rng.float();
    if (Math.log(u || 1e-300) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** Customers from BG/NBD: purchase rate λ ~ Gamma(r, α), drop-out p ~ Beta(a, b) after each repeat purchase. */
function simulateBgnbd(p: BgnbdParams, n: number, rng: Rng): RepeatData {
  const d: RepeatData = { x: new Float64Array(n), tx: new Float64Array(n), T: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const lambda = gamma(rng, p.r, p.alpha);
    const ga = gamma(rng, p.a, 1);
    const drop = ga / (ga + gamma(rng, p.b, 1));
    const T = 20 + rng.float() * 60; // customers who joined over a year and a half
    let t = 0;
    let x = 0;
    let tx = 0;
    for (;;) {
      t += -Math.log(1 - rng.float()) / lambda;
      if (t > T) break;
      x++;
      tx = t;
      if (rng.float() < drop) break;
    }
    d.x[i] = x;
    d.tx[i] = tx;
    d.T[i] = T;
  }
  return d;
}

describe('fits recover the parameters of data simulated from the models', () => {
  it('BG/NBD', () => {
    const truth: BgnbdParams = { r: 0.5, alpha: 6, a: 0.9, b: 3 };
    const fit = fitBgnbd(simulateBgnbd(truth, 20_000, new Rng(1, 2, 3, 4)));
    expect(fit.problem).toBeNull();
    expect(fit.params.r / truth.r).toBeGreaterThan(0.9);
    expect(fit.params.r / truth.r).toBeLessThan(1.1);
    expect(fit.params.alpha / truth.alpha).toBeGreaterThan(0.85);
    expect(fit.params.alpha / truth.alpha).toBeLessThan(1.15);
    expect(fit.params.a / truth.a).toBeGreaterThan(0.75);
    expect(fit.params.a / truth.a).toBeLessThan(1.25);
    expect(fit.params.b / truth.b).toBeGreaterThan(0.75);
    expect(fit.params.b / truth.b).toBeLessThan(1.25);
  });

  it('Gamma-Gamma', () => {
    const truth = { p: 6, q: 4, v: 15 };
    const rng = new Rng(5, 6, 7, 8);
    const n = 5000;
    const x = new Float64Array(n);
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 1 + Math.floor(rng.float() * 10);
      const nu = gamma(rng, truth.q, truth.v); // each customer's spend rate
      let sum = 0;
      for (let k = 0; k < x[i]!; k++) sum += gamma(rng, truth.p, nu);
      m[i] = sum / x[i]!;
    }
    const fit = fitGammaGamma({ x, m });
    expect(fit.problem).toBeNull();
    for (const k of ['p', 'q', 'v'] as const) {
      expect(fit.params[k] / truth[k], k).toBeGreaterThan(0.85);
      expect(fit.params[k] / truth[k], k).toBeLessThan(1.15);
    }
  });
});

describe('fits that cannot be used are said to be so', () => {
  it('a fit stopped before it converged is reported, not passed off as a result', () => {
    const fit = fitBgnbd(cdnow(), { maxIterations: 5 });
    expect(fit.problem).toBe('notConverged');
  });

  it('Gamma-Gamma with q <= 1 (spend with no finite mean) is reported, and the models are not used', () => {
    const rng = new Rng(9, 10, 11, 12);
    const n = 3000;
    const x = new Float64Array(n);
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 1 + Math.floor(rng.float() * 5);
      const nu = gamma(rng, 0.6, 15);
      let sum = 0;
      for (let k = 0; k < x[i]!; k++) sum += gamma(rng, 4, nu);
      m[i] = sum / x[i]!;
    }
    const fit = fitGammaGamma({ x, m });
    expect(fit.params.q).toBeLessThanOrEqual(1);
    expect(fit.problem).toBe('infiniteMean');
    const model = fitModels({ x, tx: Float64Array.from(x, (v) => v * 2), T: Float64Array.from(x, () => 20) }, m);
    expect(model.method).toBe('historical');
    expect(model.reason).toBe('infiniteMean');
  });

  it('customers who all spend at one rate: q stops at the cap instead of running off, and the fit is usable', () => {
    const rng = new Rng(17, 14, 15, 16); // a seed whose sample has its likelihood rising all the way (about half do)
    const n = 400;
    const x = new Float64Array(n);
    const m = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = 1 + Math.floor(rng.float() * 6);
      let sum = 0;
      for (let k = 0; k < x[i]!; k++) sum += gamma(rng, 3, 1 / 30); // the same rate for everyone: no spread in nu
      m[i] = sum / x[i]!;
    }
    const fit = fitGammaGamma({ x, m });
    expect(fit.problem).toBeNull();
    expect(fit.capped).toContain('q');
    expect(fit.params.q).toBeGreaterThan(SHAPE_CAP * 0.999);
    expect(fit.params.q).toBeLessThanOrEqual(SHAPE_CAP);
    // The population mean spend p·v/(q−1) is still the data's: about 3 × 30.
    expect((fit.params.p * fit.params.v) / (fit.params.q - 1)).toBeGreaterThan(80);
    expect((fit.params.p * fit.params.v) / (fit.params.q - 1)).toBeLessThan(100);
  });

  it('too few repeat buyers: the historical estimate, with the reason', () => {
    const d: RepeatData = { x: Float64Array.of(0, 1, 2), tx: Float64Array.of(0, 3, 8), T: Float64Array.of(10, 10, 10) };
    const model = fitModels(d, Float64Array.of(0, 20, 30));
    expect(model.method).toBe('historical');
    expect(model.reason).toBe('tooFewRepeatBuyers');
    expect(model.bgnbd).toBeNull();
  });

  it('Nelder-Mead finds the bottom of the Rosenbrock valley', () => {
    const m = nelderMead(([x, y]) => (1 - x!) ** 2 + 100 * (y! - x! ** 2) ** 2, [-1.2, 1]);
    expect(m.converged).toBe(true);
    expect(m.x[0]).toBeCloseTo(1, 4);
    expect(m.x[1]).toBeCloseTo(1, 4);
  });
});

describe('lifetime value and value classes', () => {
  const terms = { months: 12, monthlyDiscount: 0, margin: 0.5, unitDays: 7 };

  it('CLV without discount is margin × spend × the purchases expected over the horizon', () => {
    const v = lifetimeValue(PAPER, 40, 3, 20, 38, terms);
    expect(v.purchases).toBeCloseTo(expectedPurchases(PAPER, (12 * MONTH_DAYS) / 7, 3, 20, 38), 10);
    expect(v.value).toBeCloseTo(0.5 * 40 * v.purchases, 8);
    // Discounting only lowers it.
    expect(lifetimeValue(PAPER, 40, 3, 20, 38, { ...terms, monthlyDiscount: 0.01 }).value).toBeLessThan(v.value);
  });

  it('the historical estimate: spend per purchase day × purchase days a year (over at least a year) × margin', () => {
    // 6 purchase days in 365.25 days: half a purchase a month; 12 months, ¥100 a purchase day, margin 0.5: ¥300.
    const h = historicalValue(100, 6, 365.25, terms);
    expect(h.purchases).toBeCloseTo(6, 10);
    expect(h.value).toBeCloseTo(300, 8);
    // One purchase yesterday is one a year, not twelve.
    expect(historicalValue(100, 1, 1, terms).purchases).toBeCloseTo(1, 10);
  });

  it('classes: below zero first, then the top share, then the growable, then the rest', () => {
    const clv = Float64Array.of(500, 400, 300, 90, 60, 5);
    const soFar = Float64Array.of(100, 100, 200, 40, 100, 1);
    const classes = valueClasses(clv, soFar, { topShare: 0.34, growthFactor: 2, yearlyCost: 10 }, 12);
    // Top 34% of 6 = 2 customers: 500 and 400. 300 < 2 × 200: maintain. 90 >= 2 × 40: growable. 60 < 2 × 100: maintain.
    // 5 < 10 a year: below zero.
    expect([...classes].map((c) => VALUE_CLASSES[c])).toEqual(['mostValuable', 'mostValuable', 'maintain', 'mostGrowable', 'maintain', 'belowZero']);
  });

  it('value so far: spend per horizon-length span since the first purchase; a lapsed big spender is not growable', () => {
    // ¥3,000 over three years, horizon 12 months, margin 0.3: ¥300 a year so far.
    expect(valueSoFar(3000, 3 * 365.25, 12, 0.3)).toBeCloseTo(300, 8);
    // Younger than the horizon: all they spent.
    expect(valueSoFar(500, 100, 12, 0.3)).toBeCloseTo(150, 8);
    const classes = valueClasses(Float64Array.of(1000, 0.5, 400), Float64Array.of(100, 300, 150), { topShare: 0.2, growthFactor: 2, yearlyCost: 0 }, 12);
    expect([...classes].map((c) => VALUE_CLASSES[c])).toEqual(['mostValuable', 'maintain', 'mostGrowable']);
    // At least one customer is most valuable, however few there are.
    expect([...valueClasses(Float64Array.of(5, 9), Float64Array.of(0, 0), { topShare: 0.2, growthFactor: 2, yearlyCost: 0 }, 12)].map((c) => VALUE_CLASSES[c])).toEqual(['mostGrowable', 'mostValuable']);
  });

  it('the share of value each tenth of the customers holds, highest first', () => {
    // Twenty customers: the top two hold 100 of 200.
    const clv = Float64Array.from({ length: 20 }, (_, i) => (i < 2 ? 50 : 100 / 18));
    const shares = valueDeciles(clv)!;
    expect(shares).toHaveLength(10);
    expect(shares[0]).toBeCloseTo(0.5, 12);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(valueDeciles(Float64Array.of(1, 2, 3))).toBeNull();
  });

  it('sums up the value classes, and picks the biggest spenders most likely lost', () => {
    const clv = Float64Array.of(100, 50, 10, 0);
    const alive = Float64Array.of(0.9, 0.2, 0.4, 0.6);
    const classes = Uint8Array.from(['mostValuable', 'maintain', 'maintain', 'belowZero'], (c) => VALUE_CLASSES.indexOf(c as (typeof VALUE_CLASSES)[number]));
    const rows = summarizeClasses(clv, alive, classes);
    expect(rows.map((r) => [r.cls, r.customers, r.total, r.average])).toEqual([
      ['mostValuable', 1, 100, 100],
      ['mostGrowable', 0, 0, 0],
      ['maintain', 2, 60, 30],
      ['belowZero', 1, 0, 0],
    ]);
    expect(rows[2]!.share).toBe(0.5);
    expect(rows[2]!.alive).toBeCloseTo(0.3, 12);
    expect(rows[1]!.alive).toBeNull();
    expect(summarizeClasses(clv, null, classes)[0]!.alive).toBeNull();
    // Under 50%: customers 1 (spent 300) and 2 (spent 900): the bigger spender first.
    expect(mostLikelyLost(alive, Float64Array.of(1000, 300, 900, 50))).toEqual([2, 1]);
    expect(mostLikelyLost(alive, Float64Array.of(1000, 300, 900, 50), 1)).toEqual([2]);
  });

  it('the next purchase if alive: the as-of day plus the expected wait, in days', () => {
    // First purchase 100 days before the as-of day, 3 purchase days: x = 2, T = 100/7 weeks.
    const wait = expectedWaitIfAlive(PAPER, 2, 100 / 7)!;
    expect(nextPurchaseIfAlive(PAPER, [900, 950, 990], 1000, 7)).toBe(1000 + Math.round(wait * 7));
    expect(nextPurchaseIfAlive(PAPER, [], 1000, 7)).toBeNull();
    expect(nextPurchaseIfAlive(PAPER, [990], 1000, 7)).toBeNull(); // r + x <= 1
  });

  it('a sample is a seeded choice of distinct customers', () => {
    const s = sampleIndices(1000, 100, 7);
    expect(s).toHaveLength(100);
    expect(new Set(s).size).toBe(100);
    expect([...s]).toEqual([...s].sort((a, b) => a - b));
    expect([...sampleIndices(1000, 100, 7)]).toEqual([...s]);
    expect([...sampleIndices(5, 10, 7)]).toEqual([0, 1, 2, 3, 4]);
  });
});
