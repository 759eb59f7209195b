/**
 * Meta-analysis (contract section 8): effect measures and the form of their data
 * rows, pooling methods, effect models, τ² estimators, CI methods, totals, which
 * way an outcome is good, and the forest plot's names and axes.
 */

/** The measures by name, for the computations and texts that differ by measure (RevMan 5's EFFECT_MEASURE). */
export const MEASURE = { RR: "RR", OR: "OR", RD: "RD", PETO_OR: "PETO-OR", MD: "MD", SMD: "SMD", GIV: "GIV" } as const;

/** Effect measures of an analysis (contract section 8). */
export interface MeasureDef {
  readonly id: string;
  readonly name: string;
  /** The form of its data rows. */
  readonly data: "dichotomous" | "continuous" | "generic";
  /** Pooled on the log scale and shown exponentiated. */
  readonly ratio: boolean;
  readonly methods: readonly string[];
  readonly defaultMethod: string;
}

export const MEASURES: readonly MeasureDef[] = [
  { id: MEASURE.RR, name: "Risk ratio", data: "dichotomous", ratio: true, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: MEASURE.OR, name: "Odds ratio", data: "dichotomous", ratio: true, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: MEASURE.RD, name: "Risk difference", data: "dichotomous", ratio: false, methods: ["MH", "IV"], defaultMethod: "MH" },
  { id: MEASURE.PETO_OR, name: "Peto odds ratio", data: "dichotomous", ratio: true, methods: ["PETO"], defaultMethod: "PETO" },
  { id: MEASURE.MD, name: "Mean difference", data: "continuous", ratio: false, methods: ["IV"], defaultMethod: "IV" },
  { id: MEASURE.SMD, name: "Standardised mean difference (Hedges' g)", data: "continuous", ratio: false, methods: ["IV"], defaultMethod: "IV" },
  { id: MEASURE.GIV, name: "Generic inverse variance", data: "generic", ratio: false, methods: ["IV"], defaultMethod: "IV" },
];

export const POOLING_METHODS = [
  { id: "MH", name: "Mantel-Haenszel" },
  { id: "IV", name: "Inverse variance" },
  { id: "PETO", name: "Peto" },
] as const;

/** The effect models, the first the default. */
export const FIXED_EFFECT = "fixed";
export const RANDOM_EFFECTS = "random";
export type EffectModel = typeof FIXED_EFFECT | typeof RANDOM_EFFECTS;

export const EFFECT_MODELS = [
  { id: FIXED_EFFECT, name: "Fixed effect" },
  { id: RANDOM_EFFECTS, name: "Random effects" },
] as const;

export const TAU2_ESTIMATORS = [
  { id: "DL", name: "DerSimonian-Laird (RevMan 5)" },
  { id: "REML", name: "Restricted maximum likelihood" },
] as const;

/** The confidence interval of a random-effects pool (contract section 8.1). */
export const CI_METHODS = [
  { id: "wald", name: "Wald (normal distribution; RevMan 5)" },
  { id: "hksj", name: "Hartung-Knapp-Sidik-Jonkman (t distribution, k − 1 df; random effects only)" },
] as const;

/** Which way of an outcome is good (contract section 2): sets a forest plot's labels. */
export const OUTCOME_DIRECTIONS = [
  { id: "lower-is-better", name: "Lower is better (e.g. deaths, pain): effects below the line of no effect favour the experimental arm", experimentalSide: "left" },
  { id: "higher-is-better", name: "Higher is better (e.g. response, quality of life): effects above the line of no effect favour the experimental arm", experimentalSide: "right" },
] as const;

/** Which totals an analysis pools, the first the default (RevMan's TOTALS: YES, SUB, NO). */
export const OVERALL_TOTAL = "overall";
export const SUBGROUP_TOTALS = "subgroups";
export const NO_TOTALS = "none";
export type Totals = typeof OVERALL_TOTAL | typeof SUBGROUP_TOTALS | typeof NO_TOTALS;

export const TOTALS = [
  { id: OVERALL_TOTAL, name: "Subgroup and overall totals" },
  { id: SUBGROUP_TOTALS, name: "Subgroup totals only" },
  { id: NO_TOTALS, name: "No totals" },
] as const;

export function measureById(id: string): MeasureDef | undefined {
  return MEASURES.find((m) => m.id === id);
}

/**
 * The names RevMan 5 prints over a forest plot's effect column ("Odds Ratio
 * M-H, Fixed, 95% CI"), by measure id, and for a GIV analysis whose `label` is
 * one of these abbreviations.
 */
export const FOREST_MEASURE_NAMES: Readonly<Record<string, string>> = {
  RR: "Risk Ratio",
  OR: "Odds Ratio",
  RD: "Risk Difference",
  "PETO-OR": "Peto Odds Ratio",
  MD: "Mean Difference",
  SMD: "Std. Mean Difference",
  HR: "Hazard Ratio",
  IRR: "Rate Ratio",
};

/**
 * A forest plot's axis when the analysis gives no `scale`: the smallest of these
 * ranges that holds every CI (RevMan 5's choices). Ratios run from 1/max to max
 * with these ticks; differences are symmetric, ±1, ±2 or ±5 × 10ⁿ.
 */
export const RATIO_AXES: readonly { max: number; ticks: readonly number[] }[] = [
  { max: 2, ticks: [0.5, 0.7, 1, 1.5, 2] },
  { max: 5, ticks: [0.2, 0.5, 1, 2, 5] },
  { max: 10, ticks: [0.1, 0.2, 0.5, 1, 2, 5, 10] },
  { max: 100, ticks: [0.01, 0.1, 1, 10, 100] },
];
export const DIFFERENCE_AXIS_STEPS: readonly number[] = [1, 2, 5];
