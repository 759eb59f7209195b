/**
 * Egger's test for small-study effects (Egger et al., BMJ 1997; Cochrane
 * Handbook 13.3.5.4; contract section 8): ordinary least squares of y/SE on
 * 1/SE over every estimable row of an analysis, and the t test of the
 * intercept with k − 2 df. Asked only with 10 or more rows, as the Handbook
 * advises. metafor's `regtest(model = "lm", predictor = "sei")` gives the same
 * numbers (../shared/reference/random-effects.json).
 */
import tCdf from "@stdlib/stats-base-dists-t-cdf";

export interface SmallStudyTest {
  intercept: number;
  se: number;
  t: number;
  df: number;
  p: number;
}

/** Fewer rows than this: the test has too little power to be asked (Handbook 13.3.5.4). */
export const EGGER_MIN_STUDIES = 10;

/** Egger's regression of y/SE on 1/SE; null with fewer than 10 rows, or when the regression is degenerate (all SEs equal, a perfect fit). */
export function eggerTest(y: readonly number[], se: readonly number[]): SmallStudyTest | null {
  const k = y.length;
  if (k < EGGER_MIN_STUDIES || se.length !== k) return null;
  const x = se.map((s) => 1 / s);
  const z = y.map((v, i) => v / se[i]!);
  const xbar = x.reduce((s, v) => s + v, 0) / k;
  const zbar = z.reduce((s, v) => s + v, 0) / k;
  let sxx = 0;
  let sxz = 0;
  for (let i = 0; i < k; i++) {
    sxx += (x[i]! - xbar) ** 2;
    sxz += (x[i]! - xbar) * (z[i]! - zbar);
  }
  if (!(sxx > 0)) return null;
  const slope = sxz / sxx;
  const intercept = zbar - slope * xbar;
  const rss = z.reduce((s, v, i) => s + (v - intercept - slope * x[i]!) ** 2, 0);
  const df = k - 2;
  const seIntercept = Math.sqrt((rss / df) * (1 / k + (xbar * xbar) / sxx));
  if (!(seIntercept > 0) || !Number.isFinite(seIntercept)) return null;
  const t = intercept / seIntercept;
  // Two-sided, from the lower tail (keeps its precision for large |t|).
  return { intercept, se: seIntercept, t, df, p: 2 * tCdf(-Math.abs(t), df) };
}
