/**
 * Meta-analysis as RevMan 5 computes it (Deeks & Higgins, "Statistical algorithms
 * in Review Manager 5"; contract section 8): per-study effects, Mantel-Haenszel,
 * Peto and inverse-variance pooling, fixed and random effects (DerSimonian-Laird,
 * or section 8.1's methods on request: REML, HKSJ, prediction intervals, the
 * τ² interval, through random-effects.ts), heterogeneity and the test for
 * subgroup differences.
 * Pure functions of the numbers; the stored results of public .rm5 files are
 * the reference (test/meta-analysis.test.ts).
 */
import erfc from "@stdlib/math-base-special-erfc";
import gammainc from "@stdlib/math-base-special-gammainc";
import { FIXED_EFFECT, MEASURE, measureById, OVERALL_TOTAL, RANDOM_EFFECTS, SUBGROUP_TOTALS, type EffectModel, type Totals } from "../../../../schemas/src/domain";
import { randomEffects, type RandomEffects } from "./random-effects";
import { eggerTest, type SmallStudyTest } from "./small-study";

/** The 97.5% quantile of the normal distribution RevMan uses for 95% intervals. */
const Z_95 = 1.959963984540054;

export type DataRow =
  | { kind: "dichotomous"; events: [number, number]; total: [number, number] }
  | { kind: "continuous"; mean: [number, number]; sd: [number, number]; total: [number, number] }
  | { kind: "generic"; estimate: number; se: number; total?: [number, number] };

export interface StudyRow {
  study: string;
  row: DataRow;
}

export interface MetaAnalysisSpec {
  measure: string;
  /** MH | IV | PETO */
  method: string;
  model: EffectModel;
  tau2: "DL" | "REML";
  /** The random-effects pool's interval (section 8.1); default wald (RevMan 5). Fixed effect: always Wald. */
  ci?: "wald" | "hksj";
  /** Random effects: a 95% prediction interval (three or more studies). */
  prediction?: boolean;
  /** GIV: estimates and SEs are natural logs (shown exponentiated). */
  logScale: boolean;
  totals: Totals;
  /** One group without a name when the analysis has no subgroups. */
  groups: { name: string | null; rows: StudyRow[] }[];
}

export interface StudyResult {
  study: string;
  subgroup: string | null;
  estimable: boolean;
  /** On the natural scale (ratios exponentiated). */
  effect: number | null;
  ci: [number, number] | null;
  /** Percent of the analysis's total weight (of the subgroup's when there are no overall totals). */
  weight: number | null;
  /** On the analysis scale (log for ratios) with its variance. */
  y?: number;
  v?: number;
}

/** Heterogeneity; with df 0 (one study) RevMan shows "not applicable": `p` and `i2` are null. */
export interface Heterogeneity {
  q: number;
  df: number;
  p: number | null;
  i2: number | null;
  tau2: number | null;
  /** Random effects, two or more studies: the Q-profile 95% interval for τ² (section 8.1). */
  tau2Ci?: [number, number] | null;
}

export interface Pooled {
  effect: number;
  ci: [number, number];
  /** Wald's |z|; null under HKSJ (except with one study: its own result). */
  z: number | null;
  /** HKSJ's t (μ̂/SE, signed) and its k − 1 degrees of freedom; null under Wald, with one study, or when SE is 0. */
  t: number | null;
  df: number | null;
  /** Two-sided; null when the SE is 0 under HKSJ. */
  p: number | null;
  /** The 95% prediction interval (natural scale) when asked, random effects, three or more studies. */
  prediction: [number, number] | null;
  studies: number;
  /** Analysis scale (log for ratios). */
  y: number;
  se: number;
  /** Sum of the pooling weights, for the shares of subgroups. */
  weight: number;
}

interface GroupResult {
  name: string | null;
  studies: number;
  pooled: Pooled | null;
  heterogeneity: Heterogeneity | null;
  /** Why there is no pooled result where one was asked (REML that does not converge): never a number instead. */
  failure?: string;
}

/** How a random-effects pool was computed (section 8.1; DL with Wald and no prediction is RevMan 5's). */
export interface RandomMethods {
  tau2: "DL" | "REML";
  ci: "wald" | "hksj";
  prediction: boolean;
}

export interface MetaAnalysisResult {
  measure: string;
  method: string;
  model: EffectModel;
  /** Random effects: the τ² estimator, the interval and whether a prediction interval was asked. */
  randomMethods?: RandomMethods;
  ratio: boolean;
  studies: StudyResult[];
  subgroups: GroupResult[];
  pooled: Pooled | null;
  heterogeneity: Heterogeneity | null;
  /** Why the overall pooled result is missing though asked for (REML that does not converge). */
  failure?: string;
  subgroupDifferences: Heterogeneity | null;
  /** The fixed-effect estimate of all estimable rows (analysis scale), the funnel plot's centre; null when none is estimable. */
  fixedEffect: number | null;
  /** Egger's test over all estimable rows; null with fewer than 10 (or when it cannot be computed). */
  smallStudy: SmallStudyTest | null;
}

/** Two-sided P of a standard normal z (erfc keeps the precision of tiny P values). */
export function pNormal(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Upper tail of the chi-square distribution. */
function pChiSquare(q: number, df: number): number | null {
  if (df <= 0 || !Number.isFinite(q)) return null;
  if (q <= 0) return 1;
  return gammainc(q / 2, df / 2, true, true);
}

interface Cells {
  a: number;
  b: number;
  c: number;
  d: number;
}

/** One study's own estimate on the analysis scale, or undefined when not estimable. */
interface Estimate {
  y: number;
  v: number;
  /** Dichotomous cells after the zero-cell correction (what M-H uses; for RD only in its variance). */
  cells?: Cells;
  /** RD: the cells as counted (the M-H RD estimate and its weights use them). */
  raw?: Cells;
  /** Peto: O - E and its variance. */
  oe?: number;
  vPeto?: number;
}

function dichotomousEstimate(measure: string, events: [number, number], total: [number, number]): Estimate | undefined {
  const [e1, e2] = events;
  const [n1, n2] = total;
  if (!(n1 > 0 && n2 > 0) || e1 < 0 || e2 < 0 || e1 > n1 || e2 > n2) return undefined;
  if (measure === MEASURE.PETO_OR) {
    const n = n1 + n2;
    const m = e1 + e2;
    const oe = e1 - (n1 * m) / n;
    const v = (n1 * n2 * m * (n - m)) / (n * n * (n - 1));
    if (!(v > 0)) return undefined;
    return { y: oe / v, v: 1 / v, oe, vPeto: v };
  }
  const noneOrAll = (e1 === 0 && e2 === 0) || (e1 === n1 && e2 === n2);
  if (noneOrAll && measure !== MEASURE.RD) return undefined;
  const zero = e1 === 0 || e2 === 0 || e1 === n1 || e2 === n2;
  const k = zero ? 0.5 : 0;
  const a = e1 + k;
  const b = n1 - e1 + k;
  const c = e2 + k;
  const d = n2 - e2 + k;
  const cells = { a, b, c, d };
  if (measure === MEASURE.RR) return { y: Math.log((a / (a + b)) / (c / (c + d))), v: 1 / a + 1 / c - 1 / (a + b) - 1 / (c + d), cells };
  if (measure === MEASURE.OR) return { y: Math.log((a * d) / (b * c)), v: 1 / a + 1 / b + 1 / c + 1 / d, cells };
  // RD: the estimate from the counts as they are; the correction enters the variance only
  // (a study with no events, or only events, in both arms is estimable: RD 0 with the corrected variance).
  const y = e1 / n1 - e2 / n2;
  const v = (a * b) / (a + b) ** 3 + (c * d) / (c + d) ** 3;
  return { y, v, cells, raw: { a: e1, b: n1 - e1, c: e2, d: n2 - e2 } };
}

function continuousEstimate(measure: string, mean: [number, number], sd: [number, number], total: [number, number]): Estimate | undefined {
  const [m1, m2] = mean;
  const [s1, s2] = sd;
  const [n1, n2] = total;
  if (!(n1 >= 1 && n2 >= 1) || !(s1 > 0 && s2 > 0)) return undefined;
  if (measure === MEASURE.MD) return { y: m1 - m2, v: (s1 * s1) / n1 + (s2 * s2) / n2 };
  const n = n1 + n2;
  if (n <= 3.94 || n - 2 <= 0) return undefined;
  const s = Math.sqrt(((n1 - 1) * s1 * s1 + (n2 - 1) * s2 * s2) / (n - 2));
  if (!(s > 0)) return undefined;
  const g = ((m1 - m2) / s) * (1 - 3 / (4 * n - 9));
  return { y: g, v: n / (n1 * n2) + (g * g) / (2 * (n - 3.94)) };
}

function estimate(measure: string, row: DataRow): Estimate | undefined {
  if (row.kind === "dichotomous") return dichotomousEstimate(measure, row.events, row.total);
  if (row.kind === "continuous") return continuousEstimate(measure, row.mean, row.sd, row.total);
  if (!(row.se > 0) || !Number.isFinite(row.estimate)) return undefined;
  return { y: row.estimate, v: row.se * row.se };
}

interface Pool {
  y: number;
  /** The pooled estimate's variance: its SE², HKSJ's under `ci: hksj` (the test for subgroup differences takes it as reported). */
  v: number;
  /** The weight each study gets (same order as the input). */
  weights: number[];
  heterogeneity: Heterogeneity;
  /** Random effects: the pooled estimate as section 8.1 computes it (interval, test, prediction). */
  random?: RandomEffects["pooled"];
}

/** A pool that gives no number, and why. */
interface PoolFailure {
  failure: string;
}

function heterogeneityOf(q: number, df: number, tau2: number | null): Heterogeneity {
  if (df <= 0) return { q, df, p: null, i2: null, tau2 };
  return { q, df, p: pChiSquare(q, df), i2: q > 0 ? Math.max(0, (q - df) / q) * 100 : 0, tau2 };
}

/** Inverse-variance pool with between-study variance `tau2` (0: fixed effect). */
function inverseVariance(es: readonly Estimate[], tau2 = 0): { y: number; v: number; weights: number[] } {
  const weights = es.map((e) => 1 / (e.v + tau2));
  const sw = weights.reduce((s, w) => s + w, 0);
  const y = es.reduce((s, e, i) => s + weights[i]! * e.y, 0) / sw;
  return { y, v: 1 / sw, weights };
}

/** Cochran's Q around `centre` with the studies' own inverse-variance weights. */
function cochranQ(es: readonly Estimate[], centre: number): number {
  return es.reduce((s, e) => s + ((e.y - centre) * (e.y - centre)) / e.v, 0);
}

function dersimonianLaird(es: readonly Estimate[], q: number): number {
  const w = es.map((e) => 1 / e.v);
  const sw = w.reduce((s, x) => s + x, 0);
  const sw2 = w.reduce((s, x) => s + x * x, 0);
  const denominator = sw - sw2 / sw;
  return denominator > 0 ? Math.max(0, (q - (es.length - 1)) / denominator) : 0;
}

/** Mantel-Haenszel pooled estimate (log scale for RR/OR) and its variance. */
function mantelHaenszel(measure: string, es: readonly Estimate[]): { y: number; v: number; weights: number[] } {
  const cells = es.map((e) => e.cells!);
  if (measure === MEASURE.OR) {
    let sr = 0, ss = 0, spr = 0, sps = 0, sqs = 0;
    const weights: number[] = [];
    for (const { a, b, c, d } of cells) {
      const n = a + b + c + d;
      const r = (a * d) / n, s = (b * c) / n, p = (a + d) / n, q = (b + c) / n;
      sr += r; ss += s; spr += p * r; sps += p * s + q * r; sqs += q * s;
      weights.push(s);
    }
    return { y: Math.log(sr / ss), v: spr / (2 * sr * sr) + sps / (2 * sr * ss) + sqs / (2 * ss * ss), weights };
  }
  if (measure === MEASURE.RR) {
    let sr = 0, ss = 0, sp = 0;
    const weights: number[] = [];
    for (const { a, b, c, d } of cells) {
      const n1 = a + b, n2 = c + d, n = n1 + n2;
      sr += (a * n2) / n; ss += (c * n1) / n;
      sp += (n1 * n2 * (a + c) - a * c * n) / (n * n);
      weights.push((c * n1) / n);
    }
    return { y: Math.log(sr / ss), v: sp / (sr * ss), weights };
  }
  // RD: the estimate and its weights from the counts as they are; the variance from the
  // corrected cells of every study with a zero cell (double zeros included), as RevMan 5.
  let sw = 0, swd = 0, sv = 0;
  const weights: number[] = [];
  es.forEach((e) => {
    const { a, b, c, d } = e.raw!;
    const n1 = a + b, n2 = c + d, n = n1 + n2;
    const w = (n1 * n2) / n;
    sw += w; swd += w * (a / n1 - c / n2);
    const k = e.cells!;
    const m1 = k.a + k.b, m2 = k.c + k.d, m = m1 + m2;
    sv += (k.a * k.b * m2 ** 3 + k.c * k.d * m1 ** 3) / (m1 * m2 * m * m);
    weights.push(w);
  });
  return { y: swd / sw, v: sv / (sw * sw), weights };
}

function pool(spec: MetaAnalysisSpec, es: readonly Estimate[]): Pool | PoolFailure {
  const k = es.length;
  let fixed: { y: number; v: number; weights: number[] };
  let q: number;
  if (spec.measure === MEASURE.PETO_OR) {
    const soe = es.reduce((s, e) => s + e.oe!, 0);
    const sv = es.reduce((s, e) => s + e.vPeto!, 0);
    fixed = { y: soe / sv, v: 1 / sv, weights: es.map((e) => e.vPeto!) };
    q = es.reduce((s, e) => s + (e.oe! * e.oe!) / e.vPeto!, 0) - (soe * soe) / sv;
  } else if (spec.method === "MH" && (spec.measure === MEASURE.RR || spec.measure === MEASURE.OR || spec.measure === MEASURE.RD)) {
    fixed = mantelHaenszel(spec.measure, es);
    // Heterogeneity around the M-H estimate with the studies' inverse-variance weights.
    q = cochranQ(es, fixed.y);
  } else {
    fixed = inverseVariance(es);
    q = cochranQ(es, fixed.y);
  }
  const random = spec.model === RANDOM_EFFECTS;
  if (k === 1) {
    // One estimable study: the pooled result is its own.
    return { y: es[0]!.y, v: es[0]!.v, weights: [1], heterogeneity: { ...heterogeneityOf(0, 0, random ? 0 : null), ...(random ? { tau2Ci: null } : {}) } };
  }
  const df = k - 1;
  if (!random) return { ...fixed, heterogeneity: heterogeneityOf(q, df, null) };
  // Random effects: the inverse-variance pool with τ² added, whatever the method (section 8); τ² by DL from
  // this Q (RevMan 5) or by REML, and the interval, test and prediction of section 8.1.
  const fit = randomEffects(es, { tau2: spec.tau2 === "REML" ? "REML" : dersimonianLaird(es, q), ci: spec.ci ?? "wald" });
  if (!fit.ok) return { failure: fit.reason };
  const heterogeneity = heterogeneityOf(q, df, fit.tau2);
  // I² from τ² under REML (Higgins & Thompson 2002); under DL it equals the Q-based I², kept as RevMan computes it.
  if (spec.tau2 === "REML") heterogeneity.i2 = fit.i2;
  heterogeneity.tau2Ci = fit.tau2Ci;
  const weights = es.map((e) => 1 / (e.v + fit.tau2));
  const pooled = spec.prediction ? fit.pooled : { ...fit.pooled, prediction: null };
  return { y: fit.pooled.mu, v: fit.pooled.se ** 2, weights, heterogeneity, random: pooled };
}

function pooledOf(p: Pool, studies: number, ratio: boolean): Pooled {
  const show = (x: number) => (ratio ? Math.exp(x) : x);
  const weight = p.weights.reduce((s, w) => s + w, 0);
  const r = p.random;
  if (r) {
    const prediction: [number, number] | null = r.prediction ? [show(r.prediction[0]), show(r.prediction[1])] : null;
    const z = r.z === null ? null : Math.abs(r.z);
    return { effect: show(r.mu), ci: [show(r.interval[0]), show(r.interval[1])], z, t: r.t, df: r.df, p: r.p, prediction, studies, y: r.mu, se: r.se, weight };
  }
  const se = Math.sqrt(p.v);
  const z = p.y / se;
  return { effect: show(p.y), ci: [show(p.y - Z_95 * se), show(p.y + Z_95 * se)], z: Math.abs(z), t: null, df: null, p: pNormal(z), prediction: null, studies, y: p.y, se, weight };
}

function isRatio(spec: Pick<MetaAnalysisSpec, "measure" | "logScale">): boolean {
  if (spec.measure === MEASURE.GIV) return spec.logScale;
  return measureById(spec.measure)?.ratio ?? false;
}

/** Each study's own estimate, in the analysis's groups (subgroups) and in order. */
function studyResults(spec: MetaAnalysisSpec, show: (x: number) => number): { studies: StudyResult[]; estimable: { group: number; index: number; e: Estimate }[] } {
  const studies: StudyResult[] = [];
  const estimable: { group: number; index: number; e: Estimate }[] = [];
  spec.groups.forEach((g, gi) => {
    for (const { study, row } of g.rows) {
      const e = estimate(spec.measure, row);
      const index = studies.length;
      if (!e || !Number.isFinite(e.y) || !(e.v > 0) || !Number.isFinite(e.v)) {
        studies.push({ study, subgroup: g.name, estimable: false, effect: null, ci: null, weight: null });
        continue;
      }
      const se = Math.sqrt(e.v);
      studies.push({ study, subgroup: g.name, estimable: true, effect: show(e.y), ci: [show(e.y - Z_95 * se), show(e.y + Z_95 * se)], weight: null, y: e.y, v: e.v });
      estimable.push({ group: gi, index, e });
    }
  });
  return { studies, estimable };
}

/** The test for subgroup differences: Q over the subgroups' pooled estimates (section 8). */
function subgroupTest(pools: readonly Pool[]): Heterogeneity | null {
  // A subgroup with an SE of 0 (HKSJ when its estimates agree) would weigh infinitely: no test rather than NaN.
  if (pools.length < 2 || pools.some((p) => !(p.v > 0))) return null;
  const w = pools.map((p) => 1 / p.v);
  const sw = w.reduce((s, x) => s + x, 0);
  const mean = pools.reduce((s, p, i) => s + w[i]! * p.y, 0) / sw;
  const q = pools.reduce((s, p, i) => s + w[i]! * (p.y - mean) ** 2, 0);
  return heterogeneityOf(q, pools.length - 1, null);
}

/**
 * Every number RevMan shows for an analysis. `totals` decides what is pooled:
 * `overall` the subgroups and the total, `subgroups` the subgroups and the test
 * for their differences (no total), `none` nothing (studies only).
 */
export function computeMetaAnalysis(spec: MetaAnalysisSpec): MetaAnalysisResult {
  const ratio = isRatio(spec);
  const show = (x: number) => (ratio ? Math.exp(x) : x);
  const { studies, estimable } = studyResults(spec, show);
  const named = spec.groups.some((g) => g.name !== null);
  // Subgroup totals of an analysis without subgroups: nothing to total (RevMan: not estimable).
  const pooling = spec.totals === OVERALL_TOTAL || (spec.totals === SUBGROUP_TOTALS && named);
  const setWeights = (members: typeof estimable, p: Pool) => {
    const sw = p.weights.reduce((s, w) => s + w, 0);
    members.forEach((x, i) => (studies[x.index]!.weight = (p.weights[i]! / sw) * 100));
  };

  const subgroups: GroupResult[] = [];
  const groupPools: Pool[] = [];
  let subgroupFailed = false;
  spec.groups.forEach((g, gi) => {
    const members = estimable.filter((x) => x.group === gi);
    if (!pooling || !members.length) {
      subgroups.push({ name: g.name, studies: g.rows.length, pooled: null, heterogeneity: null });
      return;
    }
    const p = pool(spec, members.map((m) => m.e));
    if ("failure" in p) {
      subgroupFailed = true;
      subgroups.push({ name: g.name, studies: g.rows.length, pooled: null, heterogeneity: null, failure: p.failure });
      return;
    }
    groupPools.push(p);
    subgroups.push({ name: g.name, studies: g.rows.length, pooled: pooledOf(p, g.rows.length, ratio), heterogeneity: p.heterogeneity });
    // Subgroup totals only: each study's weight is its share of its subgroup.
    if (spec.totals === SUBGROUP_TOTALS && named) setWeights(members, p);
  });

  let pooled: Pooled | null = null;
  let heterogeneity: Heterogeneity | null = null;
  let failure: string | undefined;
  const all = estimable.map((x) => x.e);
  if (spec.totals === OVERALL_TOTAL && all.length) {
    const p = pool(spec, all);
    if ("failure" in p) failure = p.failure;
    else {
      pooled = pooledOf(p, studies.length, ratio);
      heterogeneity = p.heterogeneity;
      setWeights(estimable, p);
    }
  }
  // A subgroup without its result (REML that did not converge): no test over the others, which would differ from the one asked.
  const subgroupDifferences = pooling && named && !subgroupFailed ? subgroupTest(groupPools) : null;
  // The funnel plot's centre: the fixed-effect estimate of every estimable row, whatever the totals.
  const fixedPool = all.length ? pool({ ...spec, model: FIXED_EFFECT }, all) : null;
  const fixedEffect = fixedPool && "y" in fixedPool ? fixedPool.y : null;
  const smallStudy = eggerTest(estimable.map((x) => x.e.y), estimable.map((x) => Math.sqrt(x.e.v)));
  const random = spec.model === RANDOM_EFFECTS ? { randomMethods: { tau2: spec.tau2, ci: spec.ci ?? "wald", prediction: spec.prediction ?? false } } : {};
  return { measure: spec.measure, method: spec.method, model: spec.model, ...random, ratio, studies, subgroups, pooled, heterogeneity, ...(failure ? { failure } : {}), subgroupDifferences, fixedEffect, smallStudy };
}
