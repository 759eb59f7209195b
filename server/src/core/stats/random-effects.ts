/**
 * The random-effects methods Cochrane endorsed in 2022 and RevMan has had since
 * January 2025 (contract section 8.1): τ² by REML, I² from τ², the Q-profile
 * interval for τ², the Wald and Hartung-Knapp-Sidik-Jonkman (HKSJ) pooled
 * estimates, and prediction intervals.
 * Pure functions of each estimable study's estimate y and variance v on the
 * analysis scale (log for ratios); τ² may be REML's or one computed elsewhere
 * (RevMan 5's DerSimonian-Laird, core/meta-analysis.ts), so both estimators go
 * through one path. Reference: R's metafor (../shared/reference, test/random-effects.test.ts).
 */
import erfc from "@stdlib/math-base-special-erfc";
import chiSquareQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import { findDecreasingRoot } from "./root-finding";

/** The 97.5% quantile of the standard normal distribution (Wald intervals). */
const Z_975 = 1.959963984540054;
/**
 * REML stops when a step changes τ² by at most this, relative to τ²: metafor's
 * absolute threshold would leave a τ² of 1e-7 (data in small units) with a
 * relative error of 1e-5, and is finer than a double's spacing above τ² ≈ 8,000.
 */
const REML_TOLERANCE = 1e-12;
const REML_MAX_ITERATIONS = 1000;

/** A quantile as a function of df, computed once per df: @stdlib's are iterative, and most of the time of a cold run. */
function perDf(quantile: (df: number) => number): (df: number) => number {
  const known = new Map<number, number>();
  return (df) => {
    let x = known.get(df);
    if (x === undefined) {
      x = quantile(df);
      if (known.size < 10_000) known.set(df, x);
    }
    return x;
  };
}
const t975 = perDf((df) => tQuantile(0.975, df));
const chiSquare975 = perDf((df) => chiSquareQuantile(0.975, df));
const chiSquare025 = perDf((df) => chiSquareQuantile(0.025, df));

/** One estimable study on the analysis scale: its estimate and the estimate's variance. */
export interface StudyEffect {
  y: number;
  v: number;
}

/** A computation that gives no number, and why (shown to the author; never replaced by a number). */
export interface Failure {
  ok: false;
  reason: string;
}

export type Tau2Fit = { ok: true; tau2: number; iterations: number } | Failure;

/** A pooled estimate with its 95% interval and test, on the analysis scale. */
interface PooledRandom {
  ci: "wald" | "hksj";
  mu: number;
  se: number;
  interval: [number, number];
  /** Wald's z (signed); null under HKSJ, except with one study (its own result). */
  z: number | null;
  /** HKSJ's t (signed) and its degrees of freedom; null under Wald, with one study, or when SE is 0. */
  t: number | null;
  df: number | null;
  /** Two-sided; null when SE is 0. */
  p: number | null;
  /** 95% prediction interval; null under three studies. */
  prediction: [number, number] | null;
}

export interface RandomEffects {
  ok: true;
  k: number;
  tau2: number;
  /** REML's Fisher-scoring iterations; null when τ² was given. */
  iterations: number | null;
  /** Q-profile 95% interval; null with one study. */
  tau2Ci: [number, number] | null;
  /** I² from τ², in percent; null with one study. */
  i2: number | null;
  /** Cochran's Q around the inverse-variance fixed-effect estimate, and its df. */
  q: number;
  df: number;
  pooled: PooledRandom;
}

export interface RandomEffectsOptions {
  /** "REML", or a τ² computed elsewhere (DerSimonian-Laird). */
  tau2: "REML" | number;
  ci: "wald" | "hksj";
}

/** The studies of one analysis, checked once and laid out for the loops every iteration runs. */
interface Effects {
  k: number;
  y: Float64Array;
  v: Float64Array;
  /** Every estimate the same: they pool to it exactly (rounding must not invent a spread: HKSJ's SE would be 1e-17, not 0). */
  equal: boolean;
}

function effectsOf(studies: readonly StudyEffect[]): Effects | Failure {
  const k = studies.length;
  if (!k) return { ok: false, reason: "no estimable study" };
  // Plain loops: Float64Array.from with a mapping function was the most time of a whole analysis.
  const y = new Float64Array(k);
  const v = new Float64Array(k);
  let equal = true;
  for (let i = 0; i < k; i++) {
    const s = studies[i]!;
    if (!Number.isFinite(s.y) || !Number.isFinite(s.v) || !(s.v > 0)) return { ok: false, reason: `study ${i + 1} has no finite estimate with a positive, finite variance` };
    y[i] = s.y;
    v[i] = s.v;
    if (s.y !== y[0]) equal = false;
  }
  return { k, y, v, equal };
}

/** The sum of the weights 1/(v + τ²) and the weighted mean μ̂(τ²). */
function weightedMean(e: Effects, tau2: number): { sum: number; mu: number } {
  let sum = 0;
  let swy = 0;
  for (let i = 0; i < e.k; i++) {
    const w = 1 / (e.v[i]! + tau2);
    sum += w;
    swy += w * e.y[i]!;
  }
  return { sum, mu: e.equal ? e.y[0]! : swy / sum };
}

/** Σ w(y − μ)² with w = 1/(v + τ²): the generalised Q at μ = μ̂(τ²) (Cochran's Q at τ² = 0), HKSJ's numerator. */
function weightedSquares(e: Effects, tau2: number, mu: number): number {
  let q = 0;
  for (let i = 0; i < e.k; i++) q += (e.y[i]! - mu) ** 2 / (e.v[i]! + tau2);
  return q;
}

/** Generalised Q: Σ (y − μ̂(τ²))² / (v + τ²), decreasing in τ². */
function generalisedQ(e: Effects, tau2: number): number {
  return weightedSquares(e, tau2, weightedMean(e, tau2).mu);
}

/** Σw − Σw²/Σw with w = 1/v: DerSimonian-Laird's denominator, and (k − 1)/s² of Higgins & Thompson's I². */
function typicalPrecision(e: Effects): number {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < e.k; i++) {
    sum += 1 / e.v[i]!;
    squares += 1 / e.v[i]! ** 2;
  }
  return sum - squares / sum;
}

/**
 * The restricted log-likelihood's Fisher-scoring step at τ² (Viechtbauer 2005):
 * (y'PPy − tr P) / tr PP with P = W − ww'/Σw; its sign is the derivative's.
 */
function remlStep(e: Effects, tau2: number): number {
  const { sum, mu } = weightedMean(e, tau2);
  let s2 = 0;
  let s3 = 0;
  let yPPy = 0;
  for (let i = 0; i < e.k; i++) {
    const w = 1 / (e.v[i]! + tau2);
    s2 += w * w;
    s3 += w * w * w;
    yPPy += w * w * (e.y[i]! - mu) ** 2;
  }
  const trP = sum - s2 / sum;
  const trPP = s2 - (2 * s3) / sum + (s2 * s2) / (sum * sum);
  return (yPPy - trP) / trPP;
}

/**
 * τ² by restricted maximum likelihood: Fisher scoring from the DerSimonian-Laird
 * value with every step halved (plain scoring oscillates on some real analyses),
 * an iterate below 0 set to 0, exactly 0 when the likelihood does not increase
 * from 0. A failure, never a number, when it does not converge.
 */
export function remlTau2(studies: readonly StudyEffect[], options: { maxIterations?: number } = {}): Tau2Fit {
  const e = effectsOf(studies);
  return "ok" in e ? e : reml(e, options.maxIterations ?? REML_MAX_ITERATIONS);
}

function reml(e: Effects, maxIterations: number): Tau2Fit {
  if (e.k === 1) return { ok: true, tau2: 0, iterations: 0 };
  const atZero = remlStep(e, 0);
  if (!Number.isFinite(atZero)) return { ok: false, reason: "REML: the estimates or variances are out of the range it can compute with" };
  if (atZero <= 0) return { ok: true, tau2: 0, iterations: 0 };
  let tau2 = Math.max(0, (generalisedQ(e, 0) - (e.k - 1)) / typicalPrecision(e));
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const step = remlStep(e, tau2) / 2;
    if (!Number.isFinite(step)) return { ok: false, reason: `REML: the likelihood could not be computed at τ² = ${tau2}` };
    const next = Math.max(0, tau2 + step);
    const change = Math.abs(next - tau2);
    tau2 = next;
    if (change <= REML_TOLERANCE * tau2) return { ok: true, tau2, iterations: iteration };
  }
  return { ok: false, reason: `REML did not converge in ${maxIterations.toLocaleString("en")} iterations` };
}

/** I² from τ² (Higgins & Thompson 2002): 100·τ²/(τ² + s²), s² = (k − 1)/(Σw − Σw²/Σw), w = 1/v. */
function i2FromTau2(e: Effects, tau2: number): number | null {
  if (e.k < 2) return null;
  const s2 = (e.k - 1) / typicalPrecision(e);
  return (100 * tau2) / (tau2 + s2);
}

/**
 * Q-profile 95% interval for τ² (Viechtbauer 2007): where the generalised Q
 * equals the 0.975 and 0.025 quantiles of χ² with k − 1 df; a bound below 0 is 0.
 * No cap on the search: the upper bound can be very large with few studies.
 */
function tau2ConfidenceInterval(e: Effects): [number, number] | Failure | null {
  if (e.k < 2) return null;
  const bound = (target: number): number | Failure => {
    const root = findDecreasingRoot((tau2) => generalisedQ(e, tau2) - target);
    return root.ok ? root.x : { ok: false, reason: `τ² interval: ${root.reason}` };
  };
  const lower = bound(chiSquare975(e.k - 1));
  if (typeof lower !== "number") return lower;
  const upper = bound(chiSquare025(e.k - 1));
  if (typeof upper !== "number") return upper;
  return [lower, upper];
}

/** ± t(0.975, k − 2)·√(τ² + SE²) around μ̂ (Higgins, Thompson & Spiegelhalter 2009), three or more studies. */
function predictionInterval(k: number, mu: number, se: number, tau2: number): [number, number] | null {
  if (k < 3) return null;
  const half = t975(k - 2) * Math.sqrt(tau2 + se * se);
  return [mu - half, mu + half];
}

function wald(mu: number, se: number, k: number, tau2: number): PooledRandom {
  const z = mu / se;
  return { ci: "wald", mu, se, interval: [mu - Z_975 * se, mu + Z_975 * se], z, t: null, df: null, p: erfc(Math.abs(z) / Math.SQRT2), prediction: predictionInterval(k, mu, se, tau2) };
}

/** HKSJ: SE² = Σw(y − μ̂)²/((k − 1)Σw), t with k − 1 df, no ad hoc widening; SE 0 gives the point and no test. */
function hksj(e: Effects, tau2: number): PooledRandom {
  const { sum, mu } = weightedMean(e, tau2);
  const df = e.k - 1;
  const se = Math.sqrt(weightedSquares(e, tau2, mu) / (df * sum));
  const prediction = predictionInterval(e.k, mu, se, tau2);
  if (se === 0) return { ci: "hksj", mu, se, interval: [mu, mu], z: null, t: null, df, p: null, prediction };
  const t = mu / se;
  const half = t975(df) * se;
  return { ci: "hksj", mu, se, interval: [mu - half, mu + half], z: null, t, df, p: 2 * tCdf(-Math.abs(t), df), prediction };
}

/** The pooled estimate with between-study variance τ²; one study gives its own result (Wald) whatever the interval asked. */
function poolRandom(e: Effects, tau2: number, ci: "wald" | "hksj"): PooledRandom {
  if (e.k === 1) return wald(e.y[0]!, Math.sqrt(e.v[0]!), 1, 0);
  if (ci === "hksj") return hksj(e, tau2);
  const { sum, mu } = weightedMean(e, tau2);
  return wald(mu, Math.sqrt(1 / sum), e.k, tau2);
}

/**
 * Every number of section 8.1 for one analysis (or subgroup), or why there is
 * none: τ² (REML's, or one given, e.g. DerSimonian-Laird's), its Q-profile
 * interval, I² from τ², Cochran's Q, and the pooled estimate by `ci`.
 */
export function randomEffects(studies: readonly StudyEffect[], options: RandomEffectsOptions): RandomEffects | Failure {
  const e = effectsOf(studies);
  if ("ok" in e) return e;
  let tau2: number;
  let iterations: number | null = null;
  if (options.tau2 === "REML") {
    const fit = reml(e, REML_MAX_ITERATIONS);
    if (!fit.ok) return fit;
    ({ tau2, iterations } = fit);
  } else {
    tau2 = options.tau2;
    if (!(tau2 >= 0) || !Number.isFinite(tau2)) return { ok: false, reason: `τ² must be a finite number ≥ 0, not ${tau2}` };
  }
  const tau2Ci = tau2ConfidenceInterval(e);
  if (tau2Ci && !Array.isArray(tau2Ci)) return tau2Ci;
  const result: RandomEffects = { ok: true, k: e.k, tau2, iterations, tau2Ci, i2: i2FromTau2(e, tau2), q: generalisedQ(e, 0), df: e.k - 1, pooled: poolRandom(e, tau2, options.ci) };
  return allFinite(result) ? result : { ok: false, reason: "the estimates or variances are out of the range these methods can compute with" };
}

/** No NaN or infinity anywhere in the numbers (nulls are fine). */
function allFinite(r: RandomEffects): boolean {
  const p = r.pooled;
  const numbers = [r.tau2, r.q, p.mu, p.se, ...p.interval, ...(r.tau2Ci ?? []), r.i2, p.z, p.t, p.p, ...(p.prediction ?? [])];
  return numbers.every((x) => x === null || Number.isFinite(x));
}
