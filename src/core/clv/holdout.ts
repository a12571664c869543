// Customer lifetime value, the holdout check: the model's predicted purchases against the actual
// ones in a span it was not fitted on.
import { expectedPurchases, type BgnbdParams, type RepeatData } from './bgnbd.js';

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
