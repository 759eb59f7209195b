/**
 * How every number of an analysis is shown — hover, code lens, outline, text
 * forest, forest and funnel plots — as RevMan 5 prints it (contract section 8):
 * effects and CIs with two decimals, I² as a whole percent, P as
 * `P < 0.00001` / one significant digit below 0.01 / two decimals, minus signs
 * U+2212, and "Not estimable" / "Not applicable" where a number does not exist
 * (never NaN, Infinity or `P = 0.00`). The one place display text is made.
 */
import { FOREST_MEASURE_NAMES, MEASURE, measureById, NO_TOTALS, RANDOM_EFFECTS } from "../../../../schemas/src/domain";
import type { MetaAnalysisModel } from "../model/meta-analyses";
import type { MetaAnalysisResult, Heterogeneity, Pooled, RandomMethods } from "../stats/pooling";
import { EGGER_MIN_STUDIES, type SmallStudyTest } from "../stats/small-study";

export const MINUS = "−";
export const NOT_ESTIMABLE = "Not estimable";
const NOT_APPLICABLE = "Not applicable";

/** A number with fixed decimals and a true minus sign; a value that rounds to 0 has no sign. Not finite: "Not estimable". */
export function fixed(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return NOT_ESTIMABLE;
  // toFixed writes exponents from 1e21 on: keep three significant digits there instead.
  const s = Math.abs(x) >= 1e21 ? x.toPrecision(3) : x.toFixed(decimals);
  if (/^-0(\.0*)?$/.test(s)) return s.slice(1);
  return s.replace(/-/g, MINUS);
}

/** A number as written by the author (data columns): shortest form, true minus sign. */
export function plain(x: number): string {
  return Number.isFinite(x) ? String(x).replace(/-/g, MINUS) : NOT_ESTIMABLE;
}

/** "P = 0.04", "P = 0.0002", "P < 0.00001" (RevMan); a P that does not exist is "Not applicable". */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p) || p < 0) return `P ${NOT_APPLICABLE.toLowerCase()}`;
  if (p < 0.00001) return "P < 0.00001";
  if (p < 0.01) {
    // One significant digit; 0.0096 rounds up to 0.01 and prints as RevMan prints it.
    const rounded = Number(p.toPrecision(1));
    return rounded >= 0.01 ? "P = 0.01" : `P = ${rounded.toFixed(Math.ceil(-Math.log10(rounded) - 1e-9))}`;
  }
  return `P = ${Math.min(p, 1).toFixed(2)}`;
}

/** I² (percent) as a whole percent. */
function percent(x: number | null | undefined, decimals = 0): string {
  return x === null || x === undefined || !Number.isFinite(x) ? NOT_APPLICABLE : `${fixed(x, decimals)}%`;
}

/** "[0.49, 1.06]" */
function formatCi(ci: readonly [number, number] | null | undefined): string {
  if (!ci || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return NOT_ESTIMABLE;
  return `[${fixed(ci[0])}, ${fixed(ci[1])}]`;
}

/** "0.72 [0.49, 1.06]", or "Not estimable". */
export function formatEffect(effect: number | null | undefined, ci: readonly [number, number] | null | undefined): string {
  if (effect === null || effect === undefined || !Number.isFinite(effect) || formatCi(ci) === NOT_ESTIMABLE) return NOT_ESTIMABLE;
  return `${fixed(effect)} ${formatCi(ci)}`;
}

/** What a display needs to know of how the numbers were computed. */
type Methods = Pick<MetaAnalysisResult, "model" | "randomMethods">;

/**
 * Section 8.1's methods in use (REML, HKSJ or a prediction interval): the displays
 * then name them and give the τ² interval; otherwise they stay RevMan 5's.
 */
function newMethods(r: Methods): RandomMethods | undefined {
  const m = r.model === RANDOM_EFFECTS ? r.randomMethods : undefined;
  return m && (m.tau2 === "REML" || m.ci === "hksj" || m.prediction) ? m : undefined;
}

/** "Tau² = 0.08 [0.03, 0.26] (REML)" under section 8.1's methods, RevMan 5's "Tau² = 0.06" otherwise. */
function formatTau2(h: Heterogeneity, r: Methods): string {
  const methods = newMethods(r);
  if (!methods) return `Tau² = ${fixed(h.tau2)}`;
  return `Tau² = ${fixed(h.tau2)}${h.tau2Ci ? ` ${formatCi(h.tau2Ci)}` : ""} (${methods.tau2})`;
}

/**
 * "Heterogeneity: Tau² = 0.06; Chi² = 85.89, df = 14 (P < 0.00001); I² = 84%"
 * (with "Tau² = 0.08 [0.03, 0.26] (REML)" under section 8.1's methods), or
 * "Heterogeneity: Not applicable".
 */
export function formatHeterogeneity(h: Heterogeneity | null, r: Methods): string {
  if (!h || h.df <= 0 || !Number.isFinite(h.q)) return `Heterogeneity: ${NOT_APPLICABLE}`;
  const tau = r.model === RANDOM_EFFECTS && h.tau2 !== null && Number.isFinite(h.tau2) ? `${formatTau2(h, r)}; ` : "";
  return `Heterogeneity: ${tau}Chi² = ${fixed(h.q)}, df = ${h.df} (${formatP(h.p)}); I² = ${percent(h.i2)}`;
}

/** "Test for overall effect: Z = 3.29 (P = 0.001)", HKSJ's "… t = −4.55 (df = 14; P = 0.0005)", or "… Not applicable". */
export function formatOverall(p: Pooled | null): string {
  if (p && p.t !== null && p.df !== null && p.p !== null && Number.isFinite(p.t)) return `Test for overall effect: t = ${fixed(p.t)} (df = ${p.df}; ${formatP(p.p)})`;
  if (!p || p.z === null || p.p === null || !Number.isFinite(p.z) || !Number.isFinite(p.p)) return `Test for overall effect: ${NOT_APPLICABLE}`;
  return `Test for overall effect: Z = ${fixed(p.z)} (${formatP(p.p)})`;
}

/**
 * "Prediction interval 0.41 to 1.12" when one was asked; "… not applicable
 * (fewer than 3 studies)" under three; undefined when none was asked.
 */
export function formatPrediction(p: Pooled | null, r: Methods): string | undefined {
  if (!p || r.model !== RANDOM_EFFECTS || !r.randomMethods?.prediction) return undefined;
  if (!p.prediction) return `Prediction interval ${NOT_APPLICABLE.toLowerCase()} (fewer than 3 studies)`;
  return `Prediction interval ${fixed(p.prediction[0])} to ${fixed(p.prediction[1])}`;
}

/** "Test for subgroup differences: Chi² = 1.23, df = 2 (P = 0.54), I² = 0%", or "… Not applicable". */
export function formatSubgroupDifferences(d: Heterogeneity | null): string {
  if (!d || d.df <= 0 || !Number.isFinite(d.q)) return `Test for subgroup differences: ${NOT_APPLICABLE}`;
  return `Test for subgroup differences: Chi² = ${fixed(d.q)}, df = ${d.df} (${formatP(d.p)}), I² = ${percent(d.i2, 1)}`;
}

/** Egger's test as the hover and the funnel plot state it, or why it was not done. */
export function formatSmallStudy(r: MetaAnalysisResult): string {
  const k = r.studies.filter((s) => s.estimable).length;
  if (k < EGGER_MIN_STUDIES) return `Egger's test: not done, fewer than ${EGGER_MIN_STUDIES} studies (${k})`;
  const s: SmallStudyTest | null = r.smallStudy;
  if (!s) return `Egger's test: ${NOT_APPLICABLE} (the studies' standard errors do not vary)`;
  return `Egger's test: intercept ${fixed(s.intercept)} (SE ${fixed(s.se)}), t = ${fixed(s.t)}, df = ${s.df} (${formatP(s.p)})`;
}

/** RevMan's name of the analysis's measure: "Odds Ratio", "Std. Mean Difference", a GIV's label. */
export function measureTitle(a: Pick<MetaAnalysisModel, "spec" | "label" | "measure">): string {
  const id = a.spec?.measure ?? a.measure?.id ?? "";
  if (id !== MEASURE.GIV) return FOREST_MEASURE_NAMES[id] ?? measureById(id)?.name ?? id;
  const label = a.label?.trim();
  if (label) return FOREST_MEASURE_NAMES[label.toUpperCase()] ?? label;
  return a.spec?.logScale ? "Ratio" : "Estimate";
}

/** What the analysis's effect is called in short: "RR", "SMD", or a GIV's label. */
export function measureLabel(a: Pick<MetaAnalysisModel, "spec" | "label" | "measure">): string {
  if (!a.spec) return a.measure?.id ?? "?";
  if (a.spec.measure === MEASURE.GIV) return a.label ?? (a.spec.logScale ? "Ratio" : "Estimate");
  return a.spec.measure;
}

/** A measure's long name, for hovers. */
export function measureName(id: string): string {
  return measureById(id)?.name ?? id;
}

/** "M-H, Fixed, 95% CI"; under section 8.1's methods they are named: "IV, Random (REML, HKSJ), 95% CI". */
export function methodName(r: Pick<MetaAnalysisResult, "method" | "model" | "randomMethods">): string {
  const method = r.method === "MH" ? "M-H" : r.method === "PETO" ? "Peto" : "IV";
  const methods = newMethods(r);
  const named = methods ? ` (${[methods.tau2, ...(methods.ci === "hksj" ? ["HKSJ"] : [])].join(", ")})` : "";
  return `${method}, ${r.model === RANDOM_EFFECTS ? `Random${named}` : "Fixed"}, 95% CI`;
}

/** "1 study", "15 studies" */
export function studies(n: number): string {
  return `${n} ${n === 1 ? "study" : "studies"}`;
}

/** The code lens and outline text: "RR 0.68 [0.59, 0.79] · 15 studies · I² 42%". */
export function analysisSummary(a: MetaAnalysisModel): string {
  const r = a.result;
  if (!a.spec || !r) return `${a.id}: cannot be computed (check measure${a.measure?.data === "generic" ? " and scale" : ""})`;
  const n = studies(r.studies.length);
  if (r.failure) return `${measureLabel(a)} · ${n} · not computed: ${r.failure}`;
  if (!r.pooled) {
    if (a.spec.totals === NO_TOTALS) return `${measureLabel(a)} · ${n} · no totals`;
    const shown = r.subgroups.filter((g) => g.name !== null && g.pooled);
    return `${measureLabel(a)} · ${n} · ${shown.length ? `subgroup totals only (${shown.length})` : "no estimable total"}`;
  }
  const h = r.heterogeneity;
  const prediction = r.pooled.prediction ? ` · prediction ${fixed(r.pooled.prediction[0])} to ${fixed(r.pooled.prediction[1])}` : "";
  return `${measureLabel(a)} ${formatEffect(r.pooled.effect, r.pooled.ci)} · ${n}${h && h.df > 0 && h.i2 !== null ? ` · I² ${percent(h.i2)}` : ""}${prediction}`;
}
