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
/** REML stops when a step changes τ² by at most this (relative above τ² = 1, where 1e-12 is below a double's precision). */
const REML_TOLERANCE = 1e-12;
const REML_MAX_ITERATIONS = 1000;

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
export interface PooledRandom {
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

/** Inverse-variance weights 1/(v + τ²), their sum and the weighted mean. */
interface Weighted {
  w: number[];
  sum: number;
  mu: number;
}

function weighted(studies: readonly StudyEffect[], tau2: number): Weighted {
  const w = studies.map((s) => 1 / (s.v + tau2));
  let sum = 0;
  let swy = 0;
  for (let i = 0; i < studies.length; i++) {
    sum += w[i]!;
    swy += w[i]! * studies[i]!.y;
  }
  // Equal estimates pool to themselves exactly: rounding must not invent a spread (HKSJ's SE would be 1e-17, not 0).
  const first = studies[0]!.y;
  const mu = studies.every((s) => s.y === first) ? first : swy / sum;
  return { w, sum, mu };
}

/** Generalised Q: Σ (y − μ̂(τ²))² / (v + τ²); Cochran's Q at τ² = 0. Decreasing in τ². */
function generalisedQ(studies: readonly StudyEffect[], tau2: number): number {
  const { w, mu } = weighted(studies, tau2);
  return studies.reduce((q, s, i) => q + w[i]! * (s.y - mu) ** 2, 0);
}

/** Σw − Σw²/Σw with w = 1/v: DerSimonian-Laird's denominator, and (k − 1)/s² of Higgins & Thompson's I². */
function typicalPrecision(studies: readonly StudyEffect[]): number {
  const w = studies.map((s) => 1 / s.v);
  const sum = w.reduce((a, x) => a + x, 0);
  return sum - w.reduce((a, x) => a + x * x, 0) / sum;
}

/**
 * The restricted log-likelihood's Fisher-scoring step at τ² (Viechtbauer 2005):
 * (y'PPy − tr P) / tr PP with P = W − ww'/Σw; its sign is the derivative's.
 */
function remlStep(studies: readonly StudyEffect[], tau2: number): number {
  const { w, sum, mu } = weighted(studies, tau2);
  let s2 = 0;
  let s3 = 0;
  let yPPy = 0;
  for (let i = 0; i < w.length; i++) {
    const wi = w[i]!;
    s2 += wi * wi;
    s3 += wi * wi * wi;
    yPPy += wi * wi * (studies[i]!.y - mu) ** 2;
  }
  const trP = sum - s2 / sum;
  const trPP = s2 - (2 * s3) / sum + (s2 * s2) / (sum * sum);
  return (yPPy - trP) / trPP;
}

function invalidInput(studies: readonly StudyEffect[]): Failure | undefined {
  if (!studies.length) return { ok: false, reason: "no estimable study" };
  const bad = studies.findIndex((s) => !Number.isFinite(s.y) || !Number.isFinite(s.v) || !(s.v > 0));
  if (bad >= 0) return { ok: false, reason: `study ${bad + 1} has no finite estimate with a positive, finite variance` };
  return undefined;
}

/**
 * τ² by restricted maximum likelihood: Fisher scoring from the DerSimonian-Laird
 * value with every step halved (plain scoring oscillates on some real analyses),
 * an iterate below 0 set to 0, exactly 0 when the likelihood does not increase
 * from 0. A failure, never a number, when it does not converge.
 */
export function remlTau2(studies: readonly StudyEffect[], options: { start?: number; maxIterations?: number } = {}): Tau2Fit {
  const invalid = invalidInput(studies);
  if (invalid) return invalid;
  if (studies.length === 1) return { ok: true, tau2: 0, iterations: 0 };
  const atZero = remlStep(studies, 0);
  if (!Number.isFinite(atZero)) return { ok: false, reason: "REML: the estimates or variances are out of the range it can compute with" };
  if (atZero <= 0) return { ok: true, tau2: 0, iterations: 0 };
  const maxIterations = options.maxIterations ?? REML_MAX_ITERATIONS;
  let tau2 = options.start ?? Math.max(0, (generalisedQ(studies, 0) - (studies.length - 1)) / typicalPrecision(studies));
  if (!(tau2 >= 0) || !Number.isFinite(tau2)) tau2 = 0;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const step = remlStep(studies, tau2) / 2;
    if (!Number.isFinite(step)) return { ok: false, reason: `REML: the likelihood could not be computed at τ² = ${tau2}` };
    const next = Math.max(0, tau2 + step);
    const change = Math.abs(next - tau2);
    tau2 = next;
    if (change <= REML_TOLERANCE * Math.max(1, tau2)) return { ok: true, tau2, iterations: iteration };
  }
  return { ok: false, reason: `REML did not converge in ${maxIterations} iterations` };
}

/** I² from τ² (Higgins & Thompson 2002): 100·τ²/(τ² + s²), s² = (k − 1)/(Σw − Σw²/Σw), w = 1/v. */
export function i2FromTau2(studies: readonly StudyEffect[], tau2: number): number | null {
  if (studies.length < 2) return null;
  const s2 = (studies.length - 1) / typicalPrecision(studies);
  return (100 * tau2) / (tau2 + s2);
}

/**
 * Q-profile 95% interval for τ² (Viechtbauer 2007): where the generalised Q
 * equals the 0.975 and 0.025 quantiles of χ² with k − 1 df; a bound below 0 is 0.
 * No cap on the search: the upper bound can be very large with few studies.
 */
export function tau2ConfidenceInterval(studies: readonly StudyEffect[]): [number, number] | Failure | null {
  const invalid = invalidInput(studies);
  if (invalid) return invalid;
  if (studies.length < 2) return null;
  const df = studies.length - 1;
  const bound = (quantile: number): number | Failure => {
    const target = chiSquareQuantile(quantile, df);
    const root = findDecreasingRoot((tau2) => generalisedQ(studies, tau2) - target);
    return root.ok ? root.x : { ok: false, reason: `τ² interval: ${root.reason}` };
  };
  const lower = bound(0.975);
  if (typeof lower !== "number") return lower;
  const upper = bound(0.025);
  if (typeof upper !== "number") return upper;
  return [lower, upper];
}

/** ± t(0.975, k − 2)·√(τ² + SE²) around μ̂ (Higgins, Thompson & Spiegelhalter 2009), three or more studies. */
function predictionInterval(k: number, mu: number, se: number, tau2: number): [number, number] | null {
  if (k < 3) return null;
  const half = tQuantile(0.975, k - 2) * Math.sqrt(tau2 + se * se);
  return [mu - half, mu + half];
}

function wald(mu: number, se: number, k: number, tau2: number): PooledRandom {
  const z = mu / se;
  return { ci: "wald", mu, se, interval: [mu - Z_975 * se, mu + Z_975 * se], z, t: null, df: null, p: erfc(Math.abs(z) / Math.SQRT2), prediction: predictionInterval(k, mu, se, tau2) };
}

/** HKSJ: SE² = Σw(y − μ̂)²/((k − 1)Σw), t with k − 1 df, no ad hoc widening; SE 0 gives the point and no test. */
function hksj(studies: readonly StudyEffect[], at: Weighted, tau2: number): PooledRandom {
  const k = studies.length;
  const df = k - 1;
  const rss = studies.reduce((a, s, i) => a + at.w[i]! * (s.y - at.mu) ** 2, 0);
  const se = Math.sqrt(rss / (df * at.sum));
  const prediction = predictionInterval(k, at.mu, se, tau2);
  if (se === 0) return { ci: "hksj", mu: at.mu, se, interval: [at.mu, at.mu], z: null, t: null, df, p: null, prediction };
  const t = at.mu / se;
  const half = tQuantile(0.975, df) * se;
  return { ci: "hksj", mu: at.mu, se, interval: [at.mu - half, at.mu + half], z: null, t, df, p: 2 * tCdf(-Math.abs(t), df), prediction };
}

/** The pooled estimate with between-study variance τ²; one study gives its own result (Wald) whatever the interval asked. */
export function poolRandom(studies: readonly StudyEffect[], tau2: number, ci: "wald" | "hksj"): PooledRandom {
  const at = weighted(studies, tau2);
  if (studies.length === 1) return wald(studies[0]!.y, Math.sqrt(studies[0]!.v), 1, 0);
  return ci === "hksj" ? hksj(studies, at, tau2) : wald(at.mu, Math.sqrt(1 / at.sum), studies.length, tau2);
}

/** Every number of section 8.1 for one analysis (or subgroup), or why there is none. */
export function randomEffects(studies: readonly StudyEffect[], options: RandomEffectsOptions): RandomEffects | Failure {
  const invalid = invalidInput(studies);
  if (invalid) return invalid;
  let tau2: number;
  let iterations: number | null = null;
  if (options.tau2 === "REML") {
    const fit = remlTau2(studies);
    if (!fit.ok) return fit;
    ({ tau2, iterations } = fit);
  } else {
    tau2 = options.tau2;
    if (!(tau2 >= 0) || !Number.isFinite(tau2)) return { ok: false, reason: `τ² must be a finite number ≥ 0, not ${tau2}` };
  }
  const tau2Ci = tau2ConfidenceInterval(studies);
  if (tau2Ci && !Array.isArray(tau2Ci)) return tau2Ci;
  const k = studies.length;
  const result: RandomEffects = { ok: true, k, tau2, iterations, tau2Ci, i2: i2FromTau2(studies, tau2), q: generalisedQ(studies, 0), df: k - 1, pooled: poolRandom(studies, tau2, options.ci) };
  return allFinite(result) ? result : { ok: false, reason: "the estimates or variances are out of the range these methods can compute with" };
}

/** No NaN or infinity anywhere in the numbers (nulls are fine). */
function allFinite(r: RandomEffects): boolean {
  const p = r.pooled;
  const numbers = [r.tau2, r.q, p.mu, p.se, ...p.interval, ...(r.tau2Ci ?? []), r.i2, p.z, p.t, p.p, ...(p.prediction ?? [])];
  return numbers.every((x) => x === null || Number.isFinite(x));
}
