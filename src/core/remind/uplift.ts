// Did the messages bring customers back? The share of the sent group who bought within the window
// against the share of the holdout (recorded, never sent), their difference and its 95% confidence
// interval (normal approximation for two proportions), and whether the groups are big enough to tell.
// Pure.

export interface Uplift {
  sentRate: number;
  holdoutRate: number;
  /** sentRate - holdoutRate, with its 95% interval. */
  difference: number;
  low: number;
  high: number;
  /** Both groups large enough for the approximation (at least 5 buyers and 5 non-buyers each, 30 people each). */
  enough: boolean;
  /** The interval lies wholly above (or below) zero. */
  significant: boolean;
}

const Z95 = 1.959964;

export function uplift(sent: number, sentBuyers: number, holdout: number, holdoutBuyers: number): Uplift | null {
  if (sent === 0 || holdout === 0) return null;
  const p1 = sentBuyers / sent;
  const p0 = holdoutBuyers / holdout;
  const se = Math.sqrt((p1 * (1 - p1)) / sent + (p0 * (1 - p0)) / holdout);
  const d = p1 - p0;
  const big = (n: number, k: number) => n >= 30 && k >= 5 && n - k >= 5;
  const enough = big(sent, sentBuyers) && big(holdout, holdoutBuyers);
  return { sentRate: p1, holdoutRate: p0, difference: d, low: d - Z95 * se, high: d + Z95 * se, enough, significant: enough && (d - Z95 * se > 0 || d + Z95 * se < 0) };
}
