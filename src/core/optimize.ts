// Nelder-Mead minimization (the downhill simplex of Nelder and Mead 1965, with the usual reflection,
// expansion, contraction and shrink coefficients 1, 2, 1/2, 1/2). Small enough to own: the npm
// packages for it are unmaintained (`fmin` does not load under Node 20). Used on log-parameters, so
// every point it tries is a valid model.

export interface Minimum {
  x: number[];
  /** f at x. */
  value: number;
  iterations: number;
  evaluations: number;
  /** The simplex shrank within the tolerances before the iteration limit. */
  converged: boolean;
}

export interface NelderMeadOptions {
  /** Stop after this many iterations, not converged (default 5,000). */
  maxIterations?: number;
  /** Converged when the simplex's values differ by at most this (default 1e-9, relative to |f| + 1e-9)... */
  fTolerance?: number;
  /** ... and its points lie within this of the best one in every coordinate (default 1e-7). */
  xTolerance?: number;
  /** The initial simplex: x0 and x0 moved by this along each axis (default 0.5). */
  step?: number;
}

/** The minimum of f near x0. Values that are not finite count as +Infinity (outside the model). */
export function nelderMead(f: (x: number[]) => number, x0: number[], opts: NelderMeadOptions = {}): Minimum {
  const { maxIterations = 5000, fTolerance = 1e-9, xTolerance = 1e-7, step = 0.5 } = opts;
  const n = x0.length;
  let evaluations = 0;
  const value = (x: number[]) => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Infinity;
  };
  let simplex = [x0.slice(), ...x0.map((_, i) => x0.map((v, j) => (i === j ? v + step : v)))];
  let values = simplex.map(value);
  let iterations = 0;
  let converged = false;
  const combine = (a: number[], b: number[], t: number) => a.map((v, i) => v + t * (b[i]! - v));
  for (; iterations < maxIterations; iterations++) {
    const order = values.map((_, i) => i).sort((i, j) => values[i]! - values[j]!);
    simplex = order.map((i) => simplex[i]!);
    values = order.map((i) => values[i]!);
    const best = values[0]!;
    const worst = values[n]!;
    const spread = Math.abs(worst - best);
    const width = Math.max(...simplex.slice(1).map((p) => Math.max(...p.map((v, i) => Math.abs(v - simplex[0]![i]!)))));
    if (spread <= fTolerance * (Math.abs(best) + 1e-9) && width <= xTolerance) {
      converged = true;
      break;
    }
    const centroid = x0.map((_, i) => simplex.slice(0, n).reduce((s, p) => s + p[i]!, 0) / n);
    const reflected = combine(centroid, simplex[n]!, -1);
    const fr = value(reflected);
    if (fr < best) {
      const expanded = combine(centroid, simplex[n]!, -2);
      const fe = value(expanded);
      if (fe < fr) [simplex[n], values[n]] = [expanded, fe];
      else [simplex[n], values[n]] = [reflected, fr];
    } else if (fr < values[n - 1]!) {
      [simplex[n], values[n]] = [reflected, fr];
    } else {
      // Contract towards the better of the worst point and its reflection.
      const outside = fr < worst;
      const contracted = combine(centroid, outside ? reflected : simplex[n]!, 0.5);
      const fc = value(contracted);
      if (fc < (outside ? fr : worst)) [simplex[n], values[n]] = [contracted, fc];
      else {
        for (let k = 1; k <= n; k++) {
          simplex[k] = combine(simplex[0]!, simplex[k]!, 0.5);
          values[k] = value(simplex[k]!);
        }
      }
    }
  }
  const at = values.indexOf(Math.min(...values));
  return { x: simplex[at]!, value: values[at]!, iterations, evaluations, converged };
}
